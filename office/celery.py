"""The Celery application. Periodic tasks are added to the beat schedule below (django-celery-beat's
DatabaseScheduler syncs them into its tables when beat starts).

Queues: "critical" (the clock's fast path and drain tasks) and "default". A worker must consume both:
``celery -A office worker -Q critical,default`` (embedded) or one worker per queue in production. Beat
runs as its own process (notification re-delivery sweep); the clock's sweep is ``manage.py
clock_sweeper``, which does not ride the broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")

app = Celery("office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _office_beat_schedule(sender, **_kwargs):
    # The clock's sweep is not a beat message: manage.py clock_sweeper runs it on its own timer
    # (office/clock/services/sweeper.py), so a flushed broker or a busy queue cannot delay it.
    schedule = dict(sender.conf.beat_schedule or {})
    from office.notifications import conf as notify_conf

    sweep = notify_conf.sweep_seconds()
    # Delivery tasks lost by the broker are found again by this sweep of due rows and expired leases.
    schedule.setdefault(
        "office-notifications-redeliver-due",
        {
            "task": "office.notifications.redeliver_due",
            "schedule": float(sweep),
            "options": {"expires": float(sweep * 2)},
        },
    )
    from celery.schedules import crontab

    from office.conf import office_setting

    if office_setting("OFFICE_BACKUP_DAILY", True):
        # manage.py backup every night (office/backup/services.py), rotated: daily 14, weekly 8.
        schedule.setdefault(
            "office-backup-daily",
            {
                "task": "office.backup.daily",
                "schedule": crontab(hour=2, minute=30),
                "options": {"queue": "default"},
            },
        )
    from office.dashboard import conf as dashboard_conf

    # The director's weekly briefing: every day at the hour; the task sends only on the first working
    # day of the week (office/dashboard/services/briefing.py), once.
    schedule.setdefault(
        "office-dashboard-weekly-briefing",
        {
            "task": "office.dashboard.weekly_briefing",
            "schedule": crontab(hour=dashboard_conf.briefing_hour(), minute=0),
            "options": {"queue": "default"},
        },
    )
    # The API's idempotency keys past OFFICE_API_IDEMPOTENCY_HOURS (office/api/services.py), hourly.
    schedule.setdefault(
        "office-api-idempotency-purge",
        {
            "task": "office.api.idempotency_purge",
            "schedule": crontab(minute=40),
            "options": {"queue": "default"},
        },
    )
    sender.conf.beat_schedule = schedule
    # The clock's tasks go to "critical" however they are sent.
    routes = sender.conf.task_routes
    routes = dict(routes) if isinstance(routes, dict) else {}
    routes.setdefault("office.clock.*", {"queue": "critical"})
    sender.conf.task_routes = routes
