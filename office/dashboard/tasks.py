"""Thin Celery wrapper of the Monday briefing (beat runs it at the briefing hour on weekdays; the
service decides whether today is the first working day of the week and sends once)."""

from celery import shared_task


@shared_task(name="office.dashboard.weekly_briefing", acks_late=True)
def weekly_briefing_task() -> str:
    from .services import briefing_send

    briefing = briefing_send()
    return briefing.week_start.isoformat() if briefing else ""
