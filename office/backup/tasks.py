"""The daily backup, run by beat (office/celery.py) on both defaults."""

from celery import shared_task

from .services import backup_create, backup_rotate


@shared_task(name="office.backup.daily", ignore_result=True)
def backup_daily_task() -> str:
    result = backup_create()
    backup_rotate(directory=result.path.parent)
    return str(result.path)
