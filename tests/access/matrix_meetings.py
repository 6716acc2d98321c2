"""The authorization matrix's rows for the meetings app (see matrix.py for how to read a row).

The world: an 内部 training meeting in an hour, run by the section chief (a manager by role), presided by
the director with the deputy attending, unit A invited; the notice sent (receipts of unit A, the director
and the deputy); a decision of its minutes led by unit A. Managers (MEETING_MANAGER_ROLES) are the
director, the deputy and the section chief; the rest of the office sees the meeting but may not run it;
unit A sees the notice, its receipt and its sign-in; unit B gets 404 for all of it."""

from .matrix import Case, Sees, api, api_out, page_any, page_get, page_out, page_post

MANAGERS = ("director", "deputy", "section_chief")
OTHERS = ("staff", "duty_officer", "duty_leader", "commissioner", "researcher")


def _world(w):
    if getattr(w, "meet", None) is None:
        import datetime as dt
        from types import SimpleNamespace

        from django.utils import timezone

        from office.meetings.models import MeetingType, Room
        from office.meetings.seed import ensure_defaults
        from office.meetings.services.meetings import meeting_create
        from office.meetings.services.minutes import decision_add
        from office.meetings.services.notices import notice_send

        ensure_defaults()
        u = w.users
        room = Room.objects.create(name="矩阵会议室", capacity=50, equipment="话筒\n投影")
        start = timezone.now() + dt.timedelta(hours=1)
        meeting = meeting_create(
            actor=None,
            meeting_type=MeetingType.objects.get(code="training"),
            title="矩阵培训会",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            room=room,
            presiding=u["director"],
            organizer=u["section_chief"],
            leaders=[u["deputy"]],
            units=[w.unit_a],
        )
        notice_send(actor=None, meeting=meeting)
        decision = decision_add(actor=None, meeting=meeting, text="甲镇牵头落实培训成果", lead_unit=w.unit_a)
        w.meet = SimpleNamespace(
            meeting=meeting,
            receipt=meeting.receipts.get(unit=w.unit_a),
            tea=meeting.checklist_items.get(code="tea"),
            av=meeting.checklist_items.get(code="av-test"),
            decision=decision,
        )
    return w.meet


def _built(w):
    _world(w)  # a list URL takes no kwargs: build the world before the first role asks
    return {}


def _m(w):
    return {"pk": _world(w).meeting.pk}


def _receipt(w):
    return {"pk": _world(w).receipt.pk}


def _tea(w):
    return {"pk": _world(w).tea.pk}


def _av(w):
    return {"pk": _world(w).av.pk}


def _decision(w):
    return {"pk": _world(w).decision.pk}


def _title(w) -> str:
    return _world(w).meeting.title


def _mg(status: int) -> dict:
    return {r: status for r in MANAGERS}


def _oth(status: int) -> dict:
    return {r: status for r in OTHERS}


# a manager-only page or action of the meeting: the rest of the office 403, unit A 403 (it sees the
# meeting but may not run it), unit B 404
def _manage(status: int) -> dict:
    return page_out(**_oth(403), unit_own=403, unit_other=404, **_mg(status))


# the office's internal business (checklist, decisions): units get 404 whatever their invitation
def _internal(status: int, others: int = 403) -> dict:
    return page_out(**_oth(others), UNITS=404, **_mg(status))


SEES_TITLE = Sees(
    "the meeting's title",
    _title,
    must=("director", "unit_own", "key_own"),
    must_not=("unit_other", "key_other"),
)
API_ALL = ("director", "deputy", "section_chief", *OTHERS, "unit_own", "unit_other", "key_own", "key_other")

ROWS: dict[str, list[Case]] = {
    "meetings:calendar": [Case(expect=page_get(page_out(SIGNED_IN=200)))],
    "meetings:create": [
        Case(expect=page_any(page_out(SIGNED_IN=403, **_mg(200)), page_out(SIGNED_IN=403, **_mg(400))))
    ],
    "meetings:rooms": [Case(expect=page_get(page_out(INTERNAL=200, UNITS=403)))],
    "meetings:detail": [
        Case(
            _m,
            page_get(page_out(INTERNAL=200, unit_own=200, unit_other=404)),
            sees=(Sees("the meeting's title", _title, must=("director", "staff", "unit_own")),),
        )
    ],
    "meetings:edit": [Case(_m, page_any(_manage(200), _manage(400)))],
    "meetings:cancel": [Case(_m, page_post(_manage(302)))],  # no reason given: refused with the message
    "meetings:notice": [Case(_m, page_post(_manage(302)))],  # already sent: refused with the message
    # the phone page: whoever sees the meeting; POST signs in the invited (director, deputy: 302), refuses
    # the uninvited (403) and asks unit A which of its attendees (400)
    "meetings:sign-in": [
        Case(
            _m,
            page_any(
                page_out(INTERNAL=200, unit_own=200, unit_other=404),
                page_out(INTERNAL=403, director=302, deputy=302, unit_own=400, unit_other=404),
            ),
        )
    ],
    "meetings:desk": [Case(_m, page_post(_manage(302)))],
    "meetings:qr": [Case(_m, page_get(_manage(200)))],
    "meetings:door": [Case(_m, page_get(_manage(200)))],
    "meetings:incident": [Case(_m, page_post(_manage(302)))],
    "meetings:decision-add": [Case(_m, page_post(_manage(302)))],
    "meetings:minutes": [Case(_m, page_post(_manage(302)))],
    "meetings:seating": [Case(_m, page_get(_manage(200)))],
    "meetings:seating-generate": [Case(_m, page_post(_manage(302)))],
    "meetings:seating-swap": [Case(_m, page_post(_manage(302)))],
    "meetings:seating-docx": [Case(_m, page_get(_manage(200)))],
    "meetings:seating-pdf": [Case(_m, page_get(_manage(200)))],
    # unit A's receipt: its liaison and the meeting's managers; empty POST is 400
    "meetings:receipt": [
        Case(
            _receipt,
            page_any(
                page_out(**_oth(403), unit_own=200, unit_other=404, **_mg(200)),
                page_out(**_oth(403), unit_own=400, unit_other=404, **_mg(400)),
            ),
        )
    ],
    "meetings:item-done": [Case(_tea, page_post(_internal(302)))],
    "meetings:item-devices": [Case(_av, page_post(_internal(302)))],
    # the director and the deputy register supervision items; the section chief runs the meeting but not that
    "meetings:decision-supervision": [
        Case(
            _decision,
            page_post(page_out(**_oth(403), UNITS=404, director=302, deputy=302, section_chief=403)),
        )
    ],
    # --- the units' API -----------------------------------------------------------------------------
    "meetings-api-notices": [Case(_built, api(API_ALL, GET=api_out(AUTHENTICATED=200)), sees=(SEES_TITLE,))],
    "meetings-api-notice": [
        Case(_m, api(API_ALL, GET=api_out(INTERNAL=200, OWN=200, OTHER=404)), sees=(SEES_TITLE,))
    ],
    "meetings-api-sign-ins": [Case(_m, api(API_ALL, GET=api_out(INTERNAL=200, OWN=200, OTHER=404)))],
    "meetings-api-receipt": [
        Case(_receipt, api(API_ALL, POST=api_out(**_oth(403), OWN=400, OTHER=404, **_mg(400))))
    ],
}
