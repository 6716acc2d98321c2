"""Tunable rules of the documents app (override in settings)."""

from django.conf import settings

# The body that prints in red at the top of documents issued by the office (发文机关标志).
DEFAULT_ISSUING_BODY = getattr(settings, "DOCUMENTS_DEFAULT_ISSUING_BODY", None) or getattr(
    settings, "OFFICE_NAME", "中共某某市委办公室"
)
