import io

import pytest

from duty.demo import populate
from duty.models import PhoneRecord, Roster, UrgentReport
from office.org.demo import build_organisation


@pytest.mark.django_db
def test_demo_populate_is_idempotent():
    build_organisation()
    out = io.StringIO()
    populate(out)
    populate(out)
    assert Roster.objects.filter(status="published").count() == 2  # this month and the next (issue 14)
    assert PhoneRecord.objects.count() == 2 and UrgentReport.objects.filter(status="open").count() == 1
    from duty.selectors.roster import on_duty_now

    now = on_duty_now()
    assert now["leader"].username.startswith("deputy") and now["main_officer"].username.startswith("duty")
