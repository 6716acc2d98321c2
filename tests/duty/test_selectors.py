"""Scoping of the duty room's reads, and list pages without N+1."""

import pytest
from django.http import Http404

from duty.selectors.logs import handover_get_for_user, phone_record_list_for_user
from duty.selectors.reports import report_get_for_user, report_list_for_user
from duty.selectors.roster import roster_list_for_user, shift_get_for_user
from duty.services.logs import phone_record_create
from duty.services.reports import report_receive
from office.org.models import Role, UnitKind
from tests.factories import UnitFactory, make_user

from .factories import at, make_shift


def test_external_unit_user_sees_only_its_own_reports_and_nothing_else(db, officer):
    town = UnitFactory(kind=UnitKind.TOWNSHIP)
    other = UnitFactory(kind=UnitKind.TOWNSHIP)
    user = make_user(Role.EXTERNAL_UNIT, unit=town)
    own = report_receive(actor=officer, title="本镇", level="general", source_unit=town)
    theirs = report_receive(actor=officer, title="他镇", level="general", source_unit=other)
    assert list(report_list_for_user(user=user)) == [own]
    assert report_get_for_user(user=user, id=own.pk) == own
    with pytest.raises(Http404):
        report_get_for_user(user=user, id=theirs.pk)
    with pytest.raises(Http404):
        report_get_for_user(user=user, id=999999)
    assert list(phone_record_list_for_user(user=user)) == []
    assert list(roster_list_for_user(user=user)) == []
    shift = make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), main=officer)
    with pytest.raises(Http404):
        shift_get_for_user(user=user, id=shift.pk)
    with pytest.raises(Http404):
        handover_get_for_user(user=user, id=1)
    assert set(report_list_for_user(user=officer)) == {own, theirs}


def test_report_and_phone_lists_do_not_grow_queries_with_rows(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    for i in range(15):
        report_receive(actor=officer, title=f"事件{i}", level="general", source_unit=UnitFactory())
        phone_record_create(
            actor=officer, caller_unit="甲", caller_name="乙", caller_number="1", content=f"{i}"
        )
    with django_assert_max_num_queries(8):
        assert client.get("/duty/reports/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/duty/phone/").status_code == 200


def test_roster_page_queries_are_constant(client, db, leader, officer, deputy, django_assert_max_num_queries):
    from datetime import timedelta

    start = at(2026, 12, 1, 8, 30)
    for d in range(20):
        s = start + timedelta(days=d)
        make_shift(s, s + timedelta(hours=24), leader=leader, main=officer, deputy=deputy, published=False)
    from duty.models import Roster

    roster = Roster.objects.get()
    client.force_login(leader)
    with django_assert_max_num_queries(10):
        body = client.get(f"/duty/roster/{roster.pk}/").content.decode()
    assert body.count('name="main_officer"') == 20
