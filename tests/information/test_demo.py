"""The demo office's 信息报送: a month of history (some adopted, one late at the unit's stage) and today's
work; the overdue draft is marked 迟报 by the clock's first sweep. Loading twice adds nothing."""

import io

import pytest

from office.clock.services import clock_tick
from office.org.demo import build_organisation
from research.information import selectors
from research.information.demo import populate
from research.information.models import Adoption, InfoReport, InfoStatus


@pytest.mark.django_db
def test_the_demo_month_and_this_mornings_work():
    build_organisation()
    out = io.StringIO()
    populate(out)
    populate(out)
    assert InfoReport.objects.count() == 15
    assert Adoption.objects.filter(kind="instruction").count() == 1
    assert InfoReport.objects.filter(submit_late=True).count() == 1  # last month's, at the unit's stage
    statuses = set(InfoReport.objects.values_list("status", flat=True))
    assert {
        InfoStatus.SUBMITTED,
        InfoStatus.RECEIVED,
        InfoStatus.PENDING_APPROVAL,
        InfoStatus.DRAFT,
    } <= statuses
    clock_tick()
    late_draft = InfoReport.objects.get(title__startswith="北坪乡")
    assert late_draft.submit_late is True
    rows = selectors.ranking(period=selectors.Period("year", late_draft.facts_at.year, 0))
    assert rows and rows[0].rank == 1
