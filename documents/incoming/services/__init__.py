"""Every write of incoming documents (收文). Each transition: ask access, lock the row, guard the state,
write, audit, notify (delivered after commit). Split by sub-domain: ``registration`` (签收, 登记, the
API), ``handling`` (初审 … 归档, the deadline on the clock), ``circulation`` (传阅, 催阅) and ``bridge``
(转督办, registered by supervision: documents never import supervision). Import from here.
"""

from .bridge import (
    LinkedItem,
    SupervisionBridge,
    incoming_link_supervision_item,
    incoming_lock_for_supervision,
    incoming_to_supervision,
    register_supervision_bridge,
    supervision_bridge,
)
from .circulation import incoming_circulate, incoming_mark_read, incoming_urge_reader
from .common import DUE_TIMER_KIND, IncomingError, clerks, leaders
from .handling import (
    incoming_archive,
    incoming_assign,
    incoming_check,
    incoming_close,
    incoming_instruct,
    incoming_propose,
    incoming_reply,
    incoming_return,
)
from .registration import IncomingFields, incoming_receive_via_api, incoming_register

__all__ = [
    "DUE_TIMER_KIND",
    "IncomingError",
    "IncomingFields",
    "LinkedItem",
    "SupervisionBridge",
    "clerks",
    "incoming_archive",
    "incoming_assign",
    "incoming_check",
    "incoming_circulate",
    "incoming_close",
    "incoming_instruct",
    "incoming_link_supervision_item",
    "incoming_lock_for_supervision",
    "incoming_mark_read",
    "incoming_propose",
    "incoming_receive_via_api",
    "incoming_register",
    "incoming_reply",
    "incoming_return",
    "incoming_to_supervision",
    "incoming_urge_reader",
    "leaders",
    "register_supervision_bridge",
    "supervision_bridge",
]
