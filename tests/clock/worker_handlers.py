"""Timer handlers loaded into the real workers of the reliability tests (``celery worker -I``)."""

import time

from django.contrib.auth import get_user_model

from office.audit.services import audit_record
from office.clock.registry import timer_handler
from office.notifications.services import notify


@timer_handler("test.worker")
def worker_fire(timer) -> None:
    """Slow enough that a batch takes a while (so a SIGKILL lands inside one); notifies and audits."""
    sleep_ms = int((timer.data or {}).get("sleep_ms", 0))
    if sleep_ms:
        time.sleep(sleep_ms / 1000)
    user = get_user_model().objects.get(pk=timer.data["user"])
    notify(
        recipients=[user],
        subject=timer,
        step="test.worker",
        title=f"定时任务 {timer.pk} 到期",
        channels=["inbox", "email"],
    )
    audit_record(actor=None, actor_label="test", verb="test.worker_fired", subject=timer)
