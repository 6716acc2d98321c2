"""Issue 15: a form that comes back with errors ties each error to its field (the ids Django's
aria-describedby names exist on the page), summarises them at the top with links to the fields, and
labels every field visibly; no id is used twice (the report page had two id_kind)."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from office.org.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _check(html: str) -> None:
    ids = re.findall(r'\sid="([^"]+)"', html)
    twice = [i for i, n in Counter(ids).items() if n > 1]
    assert not twice, f"ids used twice: {twice}"
    described = {i for group in re.findall(r'aria-describedby="([^"]+)"', html) for i in group.split()}
    assert described, "no field is described: the check below would prove nothing"
    missing = described - set(ids)
    assert not missing, f"aria-describedby points to ids the page does not render: {sorted(missing)}"
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="(id_[^"]+)"', html):
        if 'type="hidden"' in html.split(f'id="{field_id}"')[0].rsplit("<", 1)[-1]:
            continue
        assert f'for="{field_id}"' in html or re.search(rf'id="{field_id}"[^>]*aria-label=', html), (
            f"{field_id} has no label"
        )


def test_the_urgent_report_form_with_errors_ties_them_to_the_fields_and_summarises_them(client):
    client.force_login(make_user(Role.DUTY_OFFICER))
    html = client.post(reverse("duty:report-create"), {"level": "major"}).content.decode()
    assert "data-error-summary" in html and 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_title"' in html  # the summary links to the field
    _check(html)


def test_the_item_form_with_errors_ties_them_to_the_fields(client):
    client.force_login(make_user(Role.DIRECTOR))
    html = client.post(reverse("supervision:create"), {"source": "nonsense"}).content.decode()
    assert "data-error-summary" in html and 'aria-invalid="true"' in html
    _check(html)


def test_the_report_page_has_no_id_twice_and_every_field_labelled(client, unit_a):
    import datetime as dt

    from django.utils import timezone

    from duty.models import ReportLevel, UrgentReport

    now = timezone.now()
    report = UrgentReport.objects.create(
        title="甲镇化工厂火情",
        level=ReportLevel.MAJOR,
        source_unit=unit_a,
        received_at=now,
        phone_due_at=now + dt.timedelta(minutes=30),
        written_due_at=now + dt.timedelta(hours=1),
    )
    client.force_login(make_user(Role.DUTY_LEADER))
    html = client.get(reverse("duty:report-detail", args=[report.pk])).content.decode()
    assert 'id="id_upward_kind"' in html and 'id="id_update_kind"' in html
    _check(html)
