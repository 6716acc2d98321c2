import io

import pytest
from django.utils import timezone

from duty.demo import populate
from duty.models import PhoneRecord, Roster, UrgentReport
from office.org.demo import build_organisation


@pytest.mark.django_db
def test_demo_populate_is_idempotent():
    build_organisation()
    out = io.StringIO()
    populate(out)
    populate(out)
    # this month and the next (issue 14); on the 1st also last month, whose night shift is still on duty
    first_of_month = timezone.localdate().day == 1
    assert Roster.objects.filter(status="published").count() == (3 if first_of_month else 2)
    assert PhoneRecord.objects.count() == 2 and UrgentReport.objects.filter(status="open").count() == 1
    from duty.selectors.roster import on_duty_now

    now = on_duty_now()
    assert now["leader"].username.startswith("deputy") and now["main_officer"].username.startswith("duty")
