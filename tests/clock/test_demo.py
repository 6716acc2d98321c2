import io

import pytest

from office.clock import demo
from office.clock.models import LadderTemplate
from office.clock.services import ladder_plan, ladder_start

pytestmark = pytest.mark.django_db


def test_demo_ladder_is_idempotent_and_startable(subject, no_fast_path):
    demo.populate(io.StringIO())
    demo.populate(io.StringIO())
    template = LadderTemplate.objects.get(code="generic-3step")
    assert template.steps.count() == 3
    for step in template.steps.all():
        step.full_clean()
    ladder_start(subject=subject, template_code="generic-3step")
    assert len(ladder_plan(subject)) == 3
