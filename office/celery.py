"""The Celery application. Periodic tasks live in settings.CELERY_BEAT_SCHEDULE (synced into
django-celery-beat's DatabaseScheduler at beat start)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")

app = Celery("office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
