"""Issue 14, what the walk-through found in the portal's frame: the page title, the active navigation
tab on every section, and Chinese by default whatever the browser's Accept-Language."""

import re

import pytest
from django.urls import reverse

from office.org.models import Role
from office.web.navigation import mark_active
from tests.factories import make_user


@pytest.fixture
def director(db):
    return make_user(Role.DIRECTOR)


def _title(body: str) -> str:
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


def test_the_page_title_separates_the_page_from_the_office(client, director, settings):
    client.force_login(director)
    title = _title(client.get(reverse("notifications:inbox")).content.decode())
    assert title == f"消息中心 · {settings.OFFICE_NAME}"


def _nav(body: str) -> str:
    return body.split('id="office-nav-list"')[1].split("</ul>")[0]


def test_every_section_lights_its_own_tab(client, director):
    client.force_login(director)
    nav = re.findall(r'<li><a href="([^"]+)"', _nav(client.get("/").content.decode()))
    assert len(nav) >= 5
    for url in nav:
        page = client.get(url)
        if page.status_code != 200:
            continue
        current = re.findall(r'<a href="([^"]+)" aria-current="page"', _nav(page.content.decode()))
        assert current == [url], (url, current)


def test_a_page_inside_a_section_lights_the_sections_tab():
    items = [{"url": "/"}, {"url": "/supervision/"}, {"url": "/supervision/stats/"}, {"url": "/duty/"}]
    assert [i["active"] for i in mark_active(items, "/supervision/12/")] == [False, True, False, False]
    assert [i["active"] for i in mark_active(items, "/supervision/stats/units/")] == [
        False,
        False,
        True,
        False,
    ]
    assert [i["active"] for i in mark_active(items, "/")] == [True, False, False, False]
    assert not any(i["active"] for i in mark_active(items, "/elsewhere/"))


def test_accept_language_en_does_not_switch_the_pages(client, director):
    client.force_login(director)
    body = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="zh-hans"' in body and "消息中心" in body


def test_the_clock_page_says_when_it_last_ticked_in_chinese(client, director, time_machine):
    import datetime as dt

    from django.utils import timezone

    from office.clock.services import clock_tick

    time_machine.move_to(timezone.now(), tick=False)
    clock_tick()
    time_machine.shift(dt.timedelta(seconds=13))
    client.force_login(director)
    body = client.get(reverse("clock:status")).content.decode()
    assert "最近一次巡检在 13 秒前" in body
    assert "last tick" not in body and " ago" not in body
