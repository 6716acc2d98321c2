"""The demo office's Monday: this week's briefing (last week and the week ahead) is already in the
director's inbox, as the beat task leaves it on the first working day at 08:00. Idempotent: one
briefing per week, sent once."""

from django.db import transaction


@transaction.atomic
def populate(stdout=None) -> None:
    from .services import briefing_send

    briefing = briefing_send(force=True)
    if stdout is not None and briefing is not None:
        stdout.write(f"每周工作简报：{briefing.week_start:%Y-%m-%d} 周，已送主任收件箱。")
