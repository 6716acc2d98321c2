"""Thin Celery wrappers. Both are safe to run twice: delivery claims the row before sending."""

from celery import shared_task

from . import services


@shared_task(name="office.notifications.deliver", acks_late=True, ignore_result=True)
def notification_deliver_task(*, notification_id: int) -> str:
    """Deliver one notification. Retries are scheduled in the database (``next_attempt_at``) with
    exponential backoff, not by Celery, so every attempt is recorded and a lost message is found
    again by the sweep."""
    return services.notification_deliver(notification_id=notification_id)


@shared_task(name="office.notifications.redeliver_due", acks_late=True, ignore_result=True)
def notification_redeliver_due_task() -> int:
    """The periodic sweep: send a delivery task for every due pending row and every expired lease."""
    ids = services.notification_due_ids()
    for notification_id in ids:
        notification_deliver_task.delay(notification_id=notification_id)
    return len(ids)
