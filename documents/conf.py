"""Tunable rules of the documents app, read through ``office.conf.office_setting``.

``DOCUMENTS_CLEARANCE`` (which roles clear which 密级) is read in ``documents.access``."""

from office.conf import office_setting


def default_issuing_body() -> str:
    """The body that prints in red at the top of documents issued by the office (发文机关标志)."""
    return office_setting("DOCUMENTS_DEFAULT_ISSUING_BODY", "") or office_setting(
        "OFFICE_NAME", "中共某某市委办公室"
    )


# 发文字号: the 机关代字 of each type's register (one counter per prefix and year).
DEFAULT_NUMBER_PREFIXES = {
    "letter": "市委办函",
    "reply": "市委办函",
    "report": "市委办报",
    "request": "市委办报",
    "motion": "市委办报",
    "minutes": "市委办纪",
    "*": "市委办发",
}

# The chain the new-draft form proposes, per type ("*" for the rest): reviewers' roles in order,
# countersigning roles, the signer's role. The drafter changes the people before submitting.
DEFAULT_CHAINS = {
    "*": {"review": ["section_chief"], "countersign": [], "sign_off": "director"},
}


def number_prefix(doc_type: str) -> str:
    prefixes = office_setting("DOCUMENTS_NUMBER_PREFIXES", DEFAULT_NUMBER_PREFIXES) or DEFAULT_NUMBER_PREFIXES
    return prefixes.get(doc_type) or prefixes.get("*") or DEFAULT_NUMBER_PREFIXES["*"]


def default_chain(doc_type: str) -> dict:
    chains = office_setting("DOCUMENTS_DEFAULT_CHAINS", DEFAULT_CHAINS) or DEFAULT_CHAINS
    return chains.get(doc_type) or chains.get("*") or DEFAULT_CHAINS["*"]


def reminders_per_day() -> int:
    """Manual 催办 of one step per calendar day; the next one after that is refused until tomorrow."""
    return int(office_setting("DOCUMENTS_REMINDERS_PER_DAY", 3))


def step_due_hours() -> int:
    """Working hours a review step has before its deadline, unless the chain says otherwise."""
    return int(office_setting("DOCUMENTS_STEP_DUE_HOURS", 8))
