"""Issue 14, walk-through, the demo office's supervision: a unit's acknowledgement (签收) and progress
report are recorded under the unit's own liaison, not under the director."""

import io

import pytest

from office.audit.models import AuditEvent
from office.org.demo import build_organisation
from supervision.demo import populate

pytestmark = pytest.mark.django_db


def test_units_acknowledge_through_their_own_liaison():
    build_organisation()
    populate(io.StringIO())
    acks = list(
        AuditEvent.objects.filter(verb="supervision.item_acknowledged").select_related("actor__staff__unit")
    )
    assert acks
    for event in acks:
        assert event.actor.staff.unit.name == event.data["unit"], (event.actor, event.data)
    reports = AuditEvent.objects.filter(verb="supervision.progress_submitted").select_related("actor__staff")
    assert reports and all(not e.actor.groups.filter(name="director").exists() for e in reports)
