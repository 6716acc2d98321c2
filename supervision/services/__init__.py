"""Every write of supervision. Split by sub-domain: items (register → issue → … → closed),
ladder (the three-strike escalation on the office clock), ledger (Excel export/import)."""

from .common import SupervisionError  # noqa: F401
from .extensions import extension_decide, extension_request  # noqa: F401
from .feedback import feedback_review, feedback_submit  # noqa: F401
from .items import (  # noqa: F401
    item_acknowledge,
    item_cancel,
    item_close,
    item_create,
    item_issue,
    item_send_back,
    item_update,
    milestone_add,
    milestone_movable,
    milestone_reschedule,
)
from .ladder import communication_log, document_signed, ladder_register_miss  # noqa: F401
from .numbering import next_item_number  # noqa: F401
from .visits import site_visit_log  # noqa: F401
