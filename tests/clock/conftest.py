from datetime import timedelta

import pytest
from django.utils import timezone

from office.audit.services import audit_record
from office.clock import registry
from office.clock.models import LadderTemplate, LadderTemplateStep
from tests.factories import UnitFactory


@pytest.fixture
def clock_registry():
    """Register test handlers freely; the registry is restored afterwards."""
    saved = (dict(registry._HANDLERS), dict(registry._LADDER_ACTIONS), dict(registry._RESOLVERS))
    yield registry
    for table, copy in zip(
        (registry._HANDLERS, registry._LADDER_ACTIONS, registry._RESOLVERS), saved, strict=True
    ):
        table.clear()
        table.update(copy)


@pytest.fixture
def fired(clock_registry):
    """A handler "test.record" that remembers each call and writes an audit row (counted in the database)."""
    calls = []

    @clock_registry.timer_handler("test.record")
    def record(timer):
        calls.append(timer.pk)
        audit_record(actor=None, actor_label="test", verb="test.fired", subject=timer)

    return calls


@pytest.fixture
def poison(clock_registry):
    @clock_registry.timer_handler("test.poison")
    def boom(timer):
        audit_record(actor=None, actor_label="test", verb="test.poison_wrote", subject=timer)
        raise RuntimeError("处理程序出错")

    return boom


@pytest.fixture
def subject(db):
    return UnitFactory()


@pytest.fixture
def no_fast_path(monkeypatch):
    """Swallow fast-path sends (a lost broker message); returns the list of what would have been sent."""
    sent = []
    monkeypatch.setattr(
        "office.clock.services.timers.send_fast_path",
        lambda timer_id, due_at: sent.append((timer_id, due_at)),
    )
    return sent


@pytest.fixture
def no_fan_out(monkeypatch):
    sent = []
    monkeypatch.setattr("office.clock.services.engine._fan_out", lambda n: sent.append(n) or n)
    return sent


@pytest.fixture
def ladder_template(db):
    template = LadderTemplate.objects.create(code="test-ladder", name="测试督促流程")
    LadderTemplateStep.objects.create(
        template=template, order=1, name="提醒", wait_hours=2, recipients="role:section_chief"
    )
    LadderTemplateStep.objects.create(
        template=template, order=2, name="分管领导督促", wait_working_days=1, recipients="deputy_directors"
    )
    LadderTemplateStep.objects.create(
        template=template, order=3, name="主任督办", wait_working_days=2, recipients="director"
    )
    return template


def soon(seconds=0):
    return timezone.now() + timedelta(seconds=seconds)
