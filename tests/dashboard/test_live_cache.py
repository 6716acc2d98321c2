"""The dashboard's refresh keeps one viewer's rendered copy while nothing it shows has changed: every
audited write, a message to the viewer and the turn of the minute move its key, so the next refresh
after a change shows the change (never a stale copy), and two viewers, or one viewer whose rights
changed, never share a copy."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from duty.models import ReportLevel
from duty.services.handover import handover_acknowledge, handover_write
from duty.services.reports import report_receive
from office.dashboard import selectors
from office.notifications.services import notify
from office.org.models import Role
from office.org.roles import assign_roles
from supervision.models import Status, SupervisionItem
from tests.duty.factories import make_shift
from tests.supervision.factories import make_item

from . import world as W

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(clock):
    return W.build(k=1, now=timezone.now())


def refresh(client, user) -> tuple[str, str]:
    """One poll of the live fragment: its body and whether it was the kept copy ("hit") or read."""
    client.force_login(user)
    response = client.get("/dashboard/live/")
    assert response.status_code == 200
    return response.content.decode(), response["X-Dashboard-Cache"]


def number(body: str, testid: str) -> int:
    m = re.search(rf'data-testid="{testid}">(\d+)', body)
    assert m, f"{testid} not on the page"
    return int(m.group(1))


def new_item(office):
    """An audited write of supervision: a new item issued to 乙镇, due in two days (a yellow light)."""
    return make_item(
        actor=office.director,
        lead_unit=office.unit_b,
        issue=True,
        due=timezone.now() + dt.timedelta(days=2),
        title="乙镇新交办事项",
    )


def test_a_refresh_with_nothing_changed_serves_the_kept_copy_with_this_responses_clock(client, office, clock):
    first, how = refresh(client, office.director)
    assert how == "miss"
    clock.shift(dt.timedelta(seconds=20))  # the next poll, the same minute
    again, how = refresh(client, office.director)
    assert how == "hit"
    # the same figures, but the countdowns' reference is this response's clock, not the copy's
    server_now = re.compile(r'data-server-now="(\d+)"')
    assert int(server_now.search(again).group(1)) - int(server_now.search(first).group(1)) == 20
    assert server_now.sub("", again) == server_now.sub("", first)


def test_a_new_item_shows_on_the_next_refresh(client, office):
    before, _ = refresh(client, office.director)
    assert refresh(client, office.director)[1] == "hit"
    new_item(office)
    after, how = refresh(client, office.director)
    assert how == "miss"
    assert number(after, "sup-active") == number(before, "sup-active") + 1
    assert number(after, "sup-light-yellow") == number(before, "sup-light-yellow") + 1


def test_a_new_urgent_report_shows_on_the_next_refresh(client, office):
    before, _ = refresh(client, office.director)
    report_receive(
        actor=office.officer, title="某村山体滑坡", level=ReportLevel.MAJOR, received_at=timezone.now()
    )
    after, how = refresh(client, office.director)
    assert how == "miss"
    assert number(after, "duty-open") == number(before, "duty-open") + 1
    assert "某村山体滑坡" in after and "某村山体滑坡" not in before


def test_an_acknowledged_handover_shows_on_the_next_refresh(client, office, clock):
    current = office.shift
    earlier = make_shift(
        current.starts_at - dt.timedelta(hours=24),
        current.starts_at,
        leader=office.duty_leader,
        main=office.officer,
    )
    handover = handover_write(actor=office.officer, from_shift=earlier, notes="平稳")
    before, _ = refresh(client, office.director)
    assert "已接班" not in before
    assert refresh(client, office.director)[1] == "hit"
    handover_acknowledge(actor=office.officer, handover=handover)
    after, how = refresh(client, office.director)
    assert how == "miss" and "已接班" in after


def test_the_lights_change_with_the_clock_alone(client, office, clock):
    """No write at all: an item's deadline passes, and the next minute's refresh shows it red."""
    item = make_item(
        actor=office.director, lead_unit=office.unit_a, issue=True, due=timezone.now() + dt.timedelta(days=9)
    )
    SupervisionItem.objects.filter(pk=item.pk).update(  # unaudited, like time passing
        due_at=timezone.now() + dt.timedelta(seconds=30), status=Status.IN_PROGRESS
    )
    before, _ = refresh(client, office.director)
    clock.shift(dt.timedelta(minutes=1))
    after, how = refresh(client, office.director)
    assert how == "miss"
    assert number(after, "sup-light-red") == number(before, "sup-light-red") + 1


def test_a_message_to_the_viewer_moves_his_key_only(office):
    now = timezone.now()
    director, deputy = (
        selectors.dashboard_cache_key(user=u, now=now) for u in (office.director, office.deputy)
    )
    notify(recipients=[office.director], subject=office.campaign, step="test", title="请阅")
    assert selectors.dashboard_cache_key(user=office.director, now=now) != director
    assert selectors.dashboard_cache_key(user=office.deputy, now=now) == deputy


def test_two_viewers_with_different_rights_never_share_a_copy(client, office):
    from .conftest import classified_doc_waiting_for

    classified_doc_waiting_for(office.director, "机密级文稿缓存测试")
    now = timezone.now()
    keys = {selectors.dashboard_cache_key(user=u, now=now) for u in (office.director, office.deputy)}
    assert len(keys) == 2
    director_view, _ = refresh(client, office.director)
    assert "机密级文稿缓存测试" in director_view
    deputy_view, how = refresh(client, office.deputy)  # the same minute, the same audit trail
    assert how == "miss" and "机密级文稿缓存测试" not in deputy_view
    assert refresh(client, office.deputy)[1] == "hit"
    # one viewer whose rights change (a role is not an audited write) gets a new key at once
    deputy_key = selectors.dashboard_cache_key(user=office.deputy, now=now)
    assign_roles(office.deputy, [Role.DIRECTOR])
    office.deputy.refresh_from_db()
    assert selectors.dashboard_cache_key(user=office.deputy, now=now) != deputy_key
    promoted, how = refresh(client, office.deputy)
    assert how == "miss" and "机密级文稿缓存测试" in promoted


def test_two_deputies_with_the_same_roles_never_share_a_copy(client, office):
    """The same roles, different sections in charge: each sees his own sections' short list. Neither has
    a message (that would tell their keys apart by chance): only who they are does."""
    from office.notifications.models import Notification

    Notification.objects.filter(recipient__in=[office.deputy, office.deputy2]).delete()
    first, _ = refresh(client, office.deputy)
    assert "张科员" in first and "刘科员" not in first
    second, how = refresh(client, office.deputy2)  # the same minute, the same audit trail, the same roles
    assert how == "miss" and "刘科员" in second and "张科员" not in second


def test_the_copy_is_kept_per_language(office):
    now = timezone.now()
    with translation.override("zh-hans"):
        chinese = selectors.dashboard_cache_key(user=office.director, now=now)
    with translation.override("en"):
        english = selectors.dashboard_cache_key(user=office.director, now=now)
    assert chinese != english


def test_the_page_reads_afresh_and_keeps_its_copy_for_the_next_poll(client, office):
    client.force_login(office.director)
    page = client.get("/dashboard/").content.decode()
    body, how = refresh(client, office.director)
    assert how == "hit" and number(body, "sup-active") == number(page, "sup-active")


def test_no_copy_is_kept_when_the_cache_is_turned_off(client, office, settings):
    settings.DASHBOARD_LIVE_CACHE_SECONDS = 0
    refresh(client, office.director)
    assert refresh(client, office.director)[1] == "miss"


def _without_stamp(body: str) -> str:
    return re.sub(r'<time data-testid="dashboard-stamp"[^<]*</time>', "", body)


def test_a_surge_of_urgent_reports_rereads_the_duty_part_only_and_the_page_equals_a_fresh_read(
    client, office, builds
):
    """On the typhoon night every township's report is an audited write: each refresh re-reads the duty
    room's panel and work, and keeps every other app's part (nothing of theirs was written). What it
    shows is what a read of everything shows."""
    from django.core.cache import cache

    refresh(client, office.director)
    assert builds["panel:duty"] == 1 and builds["panel:supervision"] == 1
    builds.clear()
    report_receive(
        actor=office.officer, title="台风致某村断电", level=ReportLevel.MAJOR, received_at=timezone.now()
    )
    after, how = refresh(client, office.director)
    assert how == "miss" and "台风致某村断电" in after
    assert builds["panel:duty"] == 1 and builds["work:duty"] == 1
    others = {name: n for name, n in builds.items() if not name.endswith(":duty")}
    assert others == {}, others
    cache.clear()  # the same minute, everything read again
    fresh, how = refresh(client, office.director)
    assert how == "miss" and _without_stamp(fresh) == _without_stamp(after)


def test_a_write_of_another_app_rereads_that_apps_part_and_those_that_read_it(client, office, builds):
    """A new supervision item: supervision's panels and work are read again (and show it), and so is the
    suggestions' panel (it shows the status of the supervision items suggestions became); the duty
    room's part is kept."""
    before, _ = refresh(client, office.director)
    builds.clear()
    new_item(office)
    after, how = refresh(client, office.director)
    assert number(after, "sup-active") == number(before, "sup-active") + 1
    assert builds["panel:supervision"] == 1 and builds["work:supervision"] == 1
    assert builds["panel:suggestions"] == 1
    assert builds["panel:duty"] == 0 and builds["work:duty"] == 0 and builds["panel:risks"] == 0


def test_a_write_outside_every_named_app_rereads_every_part(client, office, builds):
    """The org's people and units are shown by every panel: a change there (here, someone's roles) reads
    everything again."""
    from office.org.services import staff_set_roles

    refresh(client, office.director)
    builds.clear()
    staff_set_roles(actor=office.director, staff=office.staff2.staff, roles=[Role.STAFF, Role.DUTY_OFFICER])
    refresh(client, office.director)
    assert builds["panel:duty"] == 1 and builds["panel:supervision"] == 1 and builds["panel:documents"] == 1
    assert builds["work:meetings"] == 1 and builds["work:research"] == 1
