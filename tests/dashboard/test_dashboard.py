"""The director's dashboard: its query count does not grow with the data, every number equals the list
it links to, and it hides what the viewer may not see (a deputy, a staff member, a unit user)."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from office.dashboard import selectors

from . import world as W
from .conftest import classified_doc_waiting_for

pytestmark = pytest.mark.django_db


def number(body: str, testid: str) -> int:
    m = re.search(rf'data-testid="{testid}">(\d+)', body)
    assert m, f"{testid} not on the page"
    return int(m.group(1))


def href(body: str, element_id: str) -> str:
    m = re.search(rf'href="([^"]+)" id="{element_id}"', body) or re.search(
        rf'id="{element_id}"[^>]*href="([^"]+)"', body
    )
    assert m, f"link {element_id} not on the page"
    return m.group(1).replace("&amp;", "&")


@pytest.fixture
def office(clock):
    return W.build(k=1, now=timezone.now())


def _live(client, user):
    client.force_login(user)
    response = client.get("/dashboard/live/")
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_query_count_is_the_same_at_ten_times_the_data(
    client, office, clock, django_assert_max_num_queries
):
    """Both ways a refresh is answered cost the same number of queries with ten times the data: the
    full read (the page; the first refresh after a change or in a new minute) and the copy served
    while nothing changed (the session, the user, his roles and the version: four)."""
    client.force_login(office.director)
    client.get("/dashboard/")  # warm the caches (content types, the session); keeps this minute's copy
    with CaptureQueriesContext(connection) as kept1:
        response = client.get("/dashboard/live/")
    assert response["X-Dashboard-Cache"] == "hit" and len(kept1) <= 4
    clock.shift(dt.timedelta(minutes=1))  # a new minute: read again
    with CaptureQueriesContext(connection) as once:
        response = client.get("/dashboard/live/")
    assert response["X-Dashboard-Cache"] == "miss"
    body1 = response.content.decode()
    W.more(office, timezone.now(), 9)  # audited: the version moves
    with django_assert_max_num_queries(len(once)):
        response = client.get("/dashboard/live/")
    assert response["X-Dashboard-Cache"] == "miss"
    body10 = response.content.decode()
    # the data did grow tenfold: the rule is not satisfied by an empty page
    assert number(body1, "sup-light-red") == 1 and number(body10, "sup-light-red") == 10
    assert number(body10, "doc-proposed") == 10
    with django_assert_max_num_queries(len(kept1)):
        response = client.get("/dashboard/live/")
    assert response["X-Dashboard-Cache"] == "hit" and number(response.content.decode(), "sup-light-red") == 10
    with django_assert_max_num_queries(len(once) + 12):  # the page adds its chrome (nav, profile, inbox)
        assert client.get("/dashboard/").status_code == 200


def test_each_supervision_number_equals_the_list_it_links_to(client, office):
    from supervision.selectors import item_list_for_user
    from supervision.views import list_filters_from

    body = _live(client, office.director)
    for testid, link in [
        ("sup-light-red", "sup-light-red"),
        ("sup-light-yellow", "sup-light-yellow"),
        ("sup-light-green", "sup-light-green"),
        ("sup-rung-1", "sup-rung-1"),
        ("sup-rung-2", "sup-rung-2"),
        ("sup-active", "sup-active"),
        ("asg-active", "asg-active"),
    ]:
        url = href(body, link)
        assert urlsplit(url).path == "/supervision/"
        listed = item_list_for_user(user=office.director, **list_filters_from(QueryDict(urlsplit(url).query)))
        assert number(body, testid) == listed.count(), testid
    assert number(body, "sup-light-red") == 1 and number(body, "sup-rung-1") == 1
    assert number(body, "sup-active") == 4  # red, yellow, green, the deputy's assignment (closed excluded)
    # the list page itself shows exactly those rows
    client.force_login(office.director)
    page = client.get(href(body, "sup-light-red")).content.decode()
    assert "甲镇招商项目签约落地" in page and "乙镇老旧小区改造" not in page


def test_duty_documents_and_suggestions_numbers_equal_their_lists(client, office):
    from documents.incoming.selectors import incoming_list_for_user
    from duty.selectors.reports import report_list_for_user
    from duty.selectors.stats import duty_stats_for_user
    from suggestions.selectors import submission_list_for_user

    body = _live(client, office.director)
    q = QueryDict(urlsplit(href(body, "duty-open")).query)
    assert (
        number(body, "duty-open")
        == report_list_for_user(user=office.director, status=q["status"]).count()
        == 1
    )
    q = QueryDict(urlsplit(href(body, "duty-late")).query)
    stats = duty_stats_for_user(user=office.director, year=int(q["year"]), month=int(q["month"]))
    assert number(body, "duty-late") == len(stats["late_reports"])
    q = QueryDict(urlsplit(href(body, "doc-proposed")).query)
    assert (
        number(body, "doc-proposed")
        == incoming_list_for_user(user=office.director, status=q["status"]).count()
        == 1
    )
    q = QueryDict(urlsplit(href(body, "sug-replies")).query)
    listed = submission_list_for_user(
        user=office.director, campaign=office.campaign, filters={"status": q["status"]}
    )
    assert number(body, "sug-replies") == listed.count()
    assert number(body, "doc-mine") == 1 and number(body, "doc-late") == 1


def test_countdowns_carry_their_deadline_for_the_ticking_script(client, office):
    body = _live(client, office.director)
    report = (
        office.shift.reports.first()
        or __import__("duty.models", fromlist=["UrgentReport"]).UrgentReport.objects.first()
    )
    assert f'data-deadline="{int(report.phone_due_at.timestamp())}"' in body
    assert 'data-server-now="' in body and 'hx-trigger="every 15s"' in body


def test_only_the_director_and_deputies_open_the_dashboard(client, office):
    for user, status in [
        (office.director, 200),
        (office.deputy, 200),
        (office.staff, 403),
        (office.commissioner, 403),
        (office.officer, 403),
        (office.user_a, 403),
    ]:
        client.force_login(user)
        assert client.get("/dashboard/").status_code == status, user
        assert client.get("/dashboard/live/").status_code == status, user


def test_home_is_the_dashboard_for_leaders_and_my_work_for_everyone_else(client, office):
    client.force_login(office.director)
    body = client.get("/").content.decode()
    assert 'data-testid="dashboard-live"' in body and "个人信息" in body
    client.force_login(office.staff)
    body = client.get("/").content.decode()
    assert 'data-testid="my-work-live"' in body and 'data-testid="dashboard-live"' not in body
    assert "领导驾驶舱" not in body  # neither the tab nor the navigation entry


def test_a_classified_document_waits_on_the_directors_dashboard_but_not_on_a_deputys(client, office):
    classified_doc_waiting_for(office.director, "机密级文稿测试")
    assert "机密级文稿测试" in _live(client, office.director)
    deputy_view = _live(client, office.deputy)
    assert "机密级文稿测试" not in deputy_view
    assert number(deputy_view, "doc-late") == 1  # only the 内部 one


def test_a_deputy_sees_his_assignments_first_and_only_his_sections_short_list(client, office):
    body = _live(client, office.deputy)
    panels = re.findall(r'data-testid="panel-(\w+)"', body)
    assert panels[0] == "assignments" and "我牵头" in body
    # the short list: his section's staff named, the other section's not
    assert "张科员" in body and "刘科员" not in body
    director_view = _live(client, office.director)
    assert "张科员" in director_view and "刘科员" in director_view
    assert re.findall(r'data-testid="panel-(\w+)"', director_view)[0] == "supervision"


def test_this_week_strip_has_what_falls_due_across_the_apps(client, office):
    items = selectors.due_soon_for_user(user=office.director)
    apps = {i.app for i in items}
    assert {"supervision", "documents", "duty"} <= apps  # due items, the sign-off step, nothing beyond 7 days
    assert all(i.due_at <= selectors.week_end(timezone.now()) for i in items)
    assert not any("甲镇产业园建设" in i.title for i in items)  # due in 40 days


def test_my_work_read_within_a_dashboard_refresh_equals_my_work_read_alone(office):
    """The panels' reads are shared with the "my work" providers in one refresh (the duty board, the
    documents waiting, the campaign's progress): the answers are the ones each provider gives alone."""
    for user in (office.director, office.deputy, office.deputy2):
        data = selectors.dashboard_for_user(user=user)
        alone = selectors.my_work_for_user(user=user, now=data["now"])
        assert data["work_count"] == len(alone), user
        assert data["work_overdue"] == sum(1 for w in alone if w.overdue), user
        week = selectors.due_soon_for_user(user=user, now=data["now"])
        assert [(w.app, w.url, w.due_at) for w in data["week"]] == [(w.app, w.url, w.due_at) for w in week]
    # a deputy is asked for his ideas: the shared progress answered it
    assert any(w.kind == "提交意见" for w in selectors.my_work_for_user(user=office.deputy))
