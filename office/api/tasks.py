"""Thin Celery wrapper of the purge of expired idempotency keys (beat runs it every hour, office/celery.py).
Safe to run twice: the second run finds nothing to delete."""

from celery import shared_task

from .services import idempotency_purge


@shared_task(name="office.api.idempotency_purge", acks_late=True, ignore_result=True)
def idempotency_purge_task() -> int:
    return idempotency_purge()
