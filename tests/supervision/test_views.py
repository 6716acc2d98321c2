import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.models import Status

from .conftest import at
from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(clock, director, unit_a, unit_b):
    a = make_item(actor=director, lead_unit=unit_a, issue=True, title="甲镇的事项", due=dt.date(2026, 4, 30))
    b = make_item(actor=director, lead_unit=unit_b, issue=True, title="乙镇的事项", due=dt.date(2026, 4, 30))
    return a, b


def test_unit_users_see_only_their_units_items_in_the_list(client, items, user_a):
    client.force_login(user_a)
    body = client.get("/supervision/").content.decode()
    assert "甲镇的事项" in body and "乙镇的事项" not in body


def test_unit_user_gets_404_for_another_units_item(client, items, user_a):
    a, b = items
    client.force_login(user_a)
    assert client.get(f"/supervision/{b.pk}/").status_code == 404
    assert client.get(f"/supervision/{a.pk}/").status_code == 200


def test_unit_user_cannot_create_or_issue(client, items, user_a):
    client.force_login(user_a)
    assert client.get("/supervision/new/").status_code == 403
    assert client.post(f"/supervision/{items[0].pk}/issue").status_code == 403


def test_item_page_shows_light_countdown_and_timeline(client, items, director):
    client.force_login(director)
    body = client.get(f"/supervision/{items[0].pk}/").content.decode()
    assert 'data-light="green"' in body
    assert "剩 52 天" in body
    assert 'title="supervision.item_issued">交办' in body


def test_list_filters_by_light_and_shows_red(client, clock, items, director):
    clock.move_to(at(2026, 5, 2))
    client.force_login(director)
    body = client.get("/supervision/?light=red").content.decode()
    assert body.count('data-testid="item-row"') == 2 and 'data-light="red"' in body
    assert client.get("/supervision/?light=green").content.decode().count('data-testid="item-row"') == 0


def test_list_query_count_does_not_grow_with_rows(client, clock, director, unit_a):
    client.force_login(director)
    make_item(actor=director, lead_unit=unit_a, issue=True)
    with CaptureQueriesContext(connection) as one:
        client.get("/supervision/")
    for _ in range(8):
        make_item(actor=director, lead_unit=unit_a, issue=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/supervision/").status_code == 200
    assert len(many) == len(one)


def test_create_form_registers_a_draft_with_milestones(client, clock, director, unit_a):
    client.force_login(director)
    resp = client.post(
        "/supervision/new/",
        {
            "title": "城区道路改造",
            "requirement": "按期完工",
            "source": "leaders_meeting",
            "category": "urban",
            "urgency": "normal",
            "lead_unit": unit_a.pk,
            "due": "2026-04-30",
            "milestones": "2026-03-20 完成设计\n2026-04-10 开工",
        },
    )
    assert resp.status_code == 302
    from supervision.models import SupervisionItem

    item = SupervisionItem.objects.get(title="城区道路改造")
    assert item.status == Status.DRAFT and item.milestones.count() == 2


def test_create_form_bad_milestone_line_writes_nothing(client, clock, director, unit_a):
    client.force_login(director)
    resp = client.post(
        "/supervision/new/",
        {
            "title": "城区道路改造",
            "requirement": "按期完工",
            "source": "leaders_meeting",
            "category": "urban",
            "urgency": "normal",
            "lead_unit": unit_a.pk,
            "milestones": "三月底 完成设计",
        },
    )
    assert resp.status_code == 200 and "日期格式" in resp.content.decode()
    from supervision.models import SupervisionItem

    assert not SupervisionItem.objects.exists()


def test_htmx_actions_acknowledge_and_report(client, items, user_a):
    a, _b = items
    client.force_login(user_a)
    resp = client.post(f"/supervision/{a.pk}/acknowledge", HTTP_HX_REQUEST="true")
    assert resp.status_code == 204 and resp["HX-Redirect"] == f"/supervision/{a.pk}/"
    resp = client.post(f"/supervision/{a.pk}/acknowledge", HTTP_HX_REQUEST="true")
    assert "已签收" in resp.content.decode()
    resp = client.post(
        f"/supervision/{a.pk}/feedback", {"kind": "result", "content": "已完成"}, HTTP_HX_REQUEST="true"
    )
    assert resp.status_code == 204
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED


def test_stats_page_unit_sees_only_own_row(client, items, user_a, director):
    client.force_login(user_a)
    body = client.get("/supervision/stats/").content.decode()
    assert "甲镇" in body and "乙镇" not in body
    client.force_login(director)
    body = client.get("/supervision/stats/").content.decode()
    assert "甲镇" in body and "乙镇" in body


def _edit_data(item, **overrides):
    data = {
        "title": item.title,
        "requirement": item.requirement,
        "source": item.source,
        "category": item.category,
        "urgency": item.urgency,
        "due": "2026-04-30",
        "version": item.updated_at.isoformat(),
    }
    data.update(overrides)
    return data


def test_draft_edit_saves_and_refuses_a_stale_version(client, clock, director, unit_a):
    item = make_item(actor=director, lead_unit=unit_a)
    client.force_login(director)
    assert client.get(f"/supervision/{item.pk}/edit").status_code == 200
    stale = _edit_data(item, title="改后的名称")
    clock.move_to(at(2026, 3, 9, 10))
    resp = client.post(f"/supervision/{item.pk}/edit", stale)
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.title == "改后的名称" and item.due_at == at(2026, 4, 30, 17, 30)
    resp = client.post(f"/supervision/{item.pk}/edit", {**stale, "title": "另一人的修改"})
    assert resp.status_code == 200 and "已被他人修改" in resp.content.decode()
    item.refresh_from_db()
    assert item.title == "改后的名称"


def test_admin_pages_open_read_only_for_workflow_fields(client, clock, director, unit_a, admin_user):
    item = make_item(
        actor=director, lead_unit=unit_a, issue=True, milestones=[("节点", dt.date(2026, 3, 20))]
    )
    client.force_login(admin_user)
    assert client.get("/admin/supervision/supervisionitem/").status_code == 200
    body = client.get(f"/admin/supervision/supervisionitem/{item.pk}/change/").content.decode()
    assert 'name="due_at' not in body and 'name="status"' not in body
    assert client.get("/admin/documents/document/").status_code == 200
