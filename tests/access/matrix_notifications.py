"""The authorization matrix's rows for issue 14's second half: the live channel, alarms, and the URLs
the walk-through's fixes added (see matrix.py for how to read a row)."""

from .matrix import Case, outcome, page_get, page_out, page_post

ROWS: dict[str, list[Case]] = {
    # polled by live.js on every page: a stranger is told 401 (stop asking), never sent to sign in
    "notifications:live": [Case(expect=page_get(outcome(SIGNED_IN=200, STRANGERS=401), login_first=False))],
    # "知道了" on an alarm: one person's message, everybody else is told it does not exist
    "notifications:acknowledge": [
        Case(lambda w: {"pk": w.notification.pk}, page_post(page_out(SIGNED_IN=404, director=200)))
    ],
    # each person's own choice of a tone and a desktop notification
    "notifications:alarm-signals": [Case(expect=page_post(page_out(SIGNED_IN=302)))],
    # issue 14 walk-through: a commissioner accepts or returns a unit's progress report (the managers
    # of supervision; the unit itself may not judge its own report; another unit is told it does not exist)
    "supervision:feedback-review": [
        Case(
            lambda w: {"pk": w.item.pk, "fb_pk": w.feedback.pk},
            page_post(page_out(INTERNAL=403, MANAGERS=302, unit_own=403, unit_other=404)),
        )
    ],
}
