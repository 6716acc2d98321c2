import threading

import pytest
from django.db import connection

from supervision.models import ItemNumberSequence, SupervisionItem
from tests.factories import UnitFactory

from .factories import make_item


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_never_duplicates_numbers():
    unit = UnitFactory(name="并发镇", code="concurrent")
    threads_n, per_thread = 8, 5
    barrier = threading.Barrier(threads_n)
    errors = []

    def worker():
        try:
            barrier.wait()
            for _ in range(per_thread):
                make_item(lead_unit=unit)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = sorted(SupervisionItem.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, threads_n * per_thread + 1))
    assert len(set(SupervisionItem.objects.values_list("number", flat=True))) == threads_n * per_thread
    assert ItemNumberSequence.objects.get().last_value == threads_n * per_thread
