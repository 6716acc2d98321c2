"""Tunable rules of supervision (DOMAIN.md defaults), each read when asked through
``office.conf.office_setting``: override any of them in settings or the environment (same name)."""

from office.conf import office_setting


def yellow_days() -> int:
    """Yellow light when a milestone or the due date is within this many days."""
    return office_setting("SUPERVISION_YELLOW_DAYS", 3)


def ack_working_days() -> int:
    """A unit acknowledges an issued item within this many working days."""
    return office_setting("SUPERVISION_ACK_WORKING_DAYS", 1)


def default_due_working_days() -> int:
    """No deadline given: 15 days (counted as working days here)."""
    return office_setting("SUPERVISION_DEFAULT_DUE_WORKING_DAYS", 15)


def step_working_days() -> dict[str, int]:
    """New deadline set by each ladder step for the unit to catch up."""
    return office_setting("SUPERVISION_STEP_WORKING_DAYS", {"communication": 3, "notice": 3, "circular": 5})


def communication_log_working_days() -> int:
    """The commissioner logs the call or visit within this many working days."""
    return office_setting("SUPERVISION_COMMUNICATION_LOG_WORKING_DAYS", 1)


def urgent_start_step() -> str:
    """Urgent items enter the ladder here on their first miss."""
    return office_setting("SUPERVISION_URGENT_START_STEP", "notice")


def notice_signer() -> str:
    """Who signs a supervision notice: "unit_head" (the head of the supervision office) or "director"."""
    return office_setting("SUPERVISION_NOTICE_SIGNER", "unit_head")


def circular_signer() -> str:
    """Who signs a 通报批评: "director" (the seed) or "unit_head"."""
    return office_setting("SUPERVISION_CIRCULAR_SIGNER", "director")


def office_unit_code() -> str:
    """The code of the supervision office's unit (督办室); its head is the commissioners' chief."""
    return office_setting("SUPERVISION_OFFICE_UNIT_CODE", "duban")


def copy_to() -> str:
    """抄送 of the ladder's documents: organisations, never a person."""
    return office_setting("SUPERVISION_DOCUMENT_COPY_TO", "市委办公室")


def number_prefix() -> str:
    return office_setting("SUPERVISION_NUMBER_PREFIX", "督")


def notice_prefix() -> str:
    return office_setting("SUPERVISION_NOTICE_PREFIX", "督办通")


def circular_prefix() -> str:
    return office_setting("SUPERVISION_CIRCULAR_PREFIX", "督办通报")


def issuing_body() -> str:
    return office_setting("SUPERVISION_ISSUING_BODY", "市委市政府督办室")


# Who is told of each event of an item: "commissioners" (the item's 督查专员, who must act; the director
# when the item has none), "director", "office_head" (the head of the 督办室). Override any key.
NOTIFY_DEFAULTS: dict[str, tuple[str, ...]] = {
    "progress": ("commissioners",),  # a unit's progress report: the commissioner reviews it
    "result": ("commissioners", "director"),  # the result: the commissioner verifies, the director hears
    "escalation": ("commissioners", "director"),  # the item climbs to 督办通知 / 通报批评
    "late": ("commissioners", "director"),  # still late after a 通报批评
    "visit": ("director",),
}


def notify_audience(event: str) -> tuple[str, ...]:
    """``SUPERVISION_NOTIFY`` = {event: [audience, …]} overrides the defaults above, event by event."""
    custom = dict(office_setting("SUPERVISION_NOTIFY", {}) or {})
    return tuple(custom.get(event, NOTIFY_DEFAULTS.get(event, ("commissioners",))))
