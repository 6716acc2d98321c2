"""Thin Celery wrappers around the engine. Both run on the "critical" queue and are safe to run twice."""

from celery import shared_task

from .services.engine import clock_tick, timer_fire


@shared_task(name="office.clock.tick", acks_late=True, ignore_result=True)
def clock_tick_task(drain: bool = False) -> int:
    return clock_tick(drain=drain).fired


@shared_task(name="office.clock.fire_timer", acks_late=True, ignore_result=True)
def clock_fire_timer_task(timer_id: int) -> str:
    return timer_fire(timer_id=timer_id)
