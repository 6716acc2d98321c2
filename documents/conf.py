"""Tunable rules of the documents app, read through ``office.conf.office_setting``.

``DOCUMENTS_CLEARANCE`` (which roles clear which 密级) is read in ``documents.access``."""

from office.conf import office_setting


def default_issuing_body() -> str:
    """The body that prints in red at the top of documents issued by the office (发文机关标志)."""
    return office_setting("DOCUMENTS_DEFAULT_ISSUING_BODY", "") or office_setting(
        "OFFICE_NAME", "中共某某市委办公室"
    )
