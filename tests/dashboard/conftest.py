import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from office.org.models import Role, UnitKind
from tests.factories import UnitFactory, make_user

TZ = ZoneInfo("Asia/Shanghai")


def classified_doc_waiting_for(director, title: str):
    """A 机密 document in review whose step, the director's, is an hour overdue: on the director's
    dashboard, never on a deputy's."""
    from django.utils import timezone

    from documents.models import Classification, DocStatus, ReviewStep, StepKind, StepStatus
    from tests.documents.factories import make_document

    doc = make_document(actor=director, title=title, classification=Classification.CONFIDENTIAL)
    doc.status = DocStatus.IN_REVIEW
    doc.save(update_fields=["status"])
    ReviewStep.objects.create(
        document=doc,
        stage=1,
        kind=StepKind.REVIEW,
        assignee=director,
        status=StepStatus.PENDING,
        due_at=timezone.now() - dt.timedelta(hours=1),
    )
    return doc


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _no_shared_ranking(settings):
    """Each test's own world: the units' ranking is not shared between tests through the cache."""
    settings.DASHBOARD_RANKING_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test's own cache: the frozen clock and rolled-back ids would otherwise let one test's kept
    dashboard meet another's key."""
    import uuid

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex},
    }


@pytest.fixture
def clock():
    """Monday 9 March 2026, 09:00 Beijing time (a working day)."""
    with time_machine.travel(at(2026, 3, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def deputy(db):
    return make_user(Role.DEPUTY_DIRECTOR)


@pytest.fixture
def commissioner(db):
    return make_user(Role.SUPERVISION_COMMISSIONER, unit=UnitFactory(code="duban", kind=UnitKind.SECTION))


@pytest.fixture
def user_a(unit_a):
    return make_user(Role.EXTERNAL_UNIT, unit=unit_a)


@pytest.fixture
def user_b(unit_b):
    return make_user(Role.EXTERNAL_UNIT, unit=unit_b)


@pytest.fixture
def builds(monkeypatch):
    """How many times each panel's builder and each my-work provider ran (the registry's entries wrapped)."""
    from collections import Counter
    from dataclasses import replace

    from office.dashboard import registry

    calls: Counter = Counter()

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    for code, panel in list(registry._PANELS.items()):
        monkeypatch.setitem(
            registry._PANELS, code, replace(panel, build=counted(f"panel:{code}", panel.build))
        )
    for code, fn in list(registry._MY_WORK.items()):
        monkeypatch.setitem(registry._MY_WORK, code, counted(f"work:{code}", fn))
    return calls
