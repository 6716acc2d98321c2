"""Several ticks racing over the same due timers, each on its own database connection."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone

from office.audit.models import AuditEvent
from office.clock.models import Timer
from office.clock.services import clock_tick
from tests.factories import UnitFactory

N_TIMERS = 1000
N_TICKS = 4


@pytest.mark.postgres
def test_racing_ticks_fire_each_of_a_thousand_timers_exactly_once(
    transactional_db, fired, no_fan_out, settings
):
    settings.OFFICE_CLOCK_BATCH_SIZE = 40  # many small batches, so the ticks really interleave
    subject = UnitFactory()
    ct = ContentType.objects.get_for_model(subject)
    now = timezone.now()
    Timer.objects.bulk_create(
        [
            Timer(subject_type=ct, subject_id=str(subject.pk), kind="test.record", step=i, due_at=now)
            for i in range(N_TIMERS)
        ]
    )
    barrier = threading.Barrier(N_TICKS)
    results, errors, backends = [], [], set()

    def tick():
        try:
            barrier.wait(timeout=30)
            with connection.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                backends.add(cur.fetchone()[0])
            results.append(clock_tick(drain=True).fired)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick) for _ in range(N_TICKS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert len(backends) == N_TICKS  # really separate connections
    assert sum(results) == N_TIMERS
    assert sum(1 for r in results if r) >= 2  # more than one tick did some of the work
    assert Timer.objects.filter(fired_at__isnull=True).count() == 0
    per_timer = AuditEvent.objects.filter(verb="test.fired").values("subject_id").annotate(n=Count("id"))
    assert len(per_timer) == N_TIMERS
    assert {row["n"] for row in per_timer} == {1}
    assert len(fired) == N_TIMERS and len(set(fired)) == N_TIMERS
