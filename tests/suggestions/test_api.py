"""The office staff's API: submit (named or anonymous) and reply through the same services and rules
as the pages; other offices' keys are refused; no author id or token in any answer."""

import pytest
import time_machine
from django.test import Client

from office.org.models import UnitAPIKey

from .conftest import at
from .factories import open_campaign, prompt, submit

pytestmark = pytest.mark.django_db


def test_submit_anonymously_through_the_api_and_the_answer_names_nobody(office):
    c = open_campaign(office.director)
    client = Client()
    client.force_login(office.two)
    with time_machine.travel(at(2026, 3, 6, 10, 0), tick=False):
        r = client.post(
            f"/api/v1/suggestions/campaigns/{c.pk}/items",
            {"prompt": prompt(c), "text": "希望改善值班室条件", "visibility": "anonymous"},
            content_type="application/json",
        )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["author"] == "匿名" and "author_token" not in body and "author_id" not in body
    assert client.get(f"/api/v1/suggestions/campaigns/{c.pk}").json()["my_count"] == 1
    client.force_login(office.director)
    items = client.get(f"/api/v1/suggestions/campaigns/{c.pk}/items").json()["results"]
    assert [i["author"] for i in items] == ["匿名"]
    assert "李二" not in str(items)


def test_reply_through_the_api_refuses_a_bare_received(office):
    c = open_campaign(office.director)
    item = submit(office.one, c, "打印机经常卡纸")
    client = Client()
    client.force_login(office.director)
    r = client.post(
        f"/api/v1/suggestions/items/{item.pk}/reply",
        {"reply_code": "B", "text": "收到"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid" and "text" in r.json()["fields"]
    r = client.post(
        f"/api/v1/suggestions/items/{item.pk}/reply",
        {"reply_code": "D", "text": "打印机已列入明年采购计划。"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "reason" in r.json()["fields"]
    r = client.post(
        f"/api/v1/suggestions/items/{item.pk}/reply",
        {"reply_code": "B", "text": "已通知后勤科本周内维修打印机。"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["reply_code"] == "B"


def test_another_offices_key_is_refused(office, unit_a):
    c = open_campaign(office.director)
    _, key = UnitAPIKey.objects.create_key(name="甲镇系统", unit=unit_a)
    r = Client(headers={"X-Api-Key": key}).get(f"/api/v1/suggestions/campaigns/{c.pk}")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
