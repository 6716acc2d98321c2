import re

import pytest

from office.org.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.browser

PASSWORD = "Office@2026"


def test_director_signs_in_through_the_login_form_and_sees_the_home_page_in_chinese(live_server, page):
    director = make_user(Role.DIRECTOR, user__username="director", user__password=PASSWORD, name="王主任")
    broken = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto(f"{live_server.url}/")

    assert "/accounts/login/" in page.url  # anonymous visitors are sent to sign in
    page.locator("input[name=username]").fill(director.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_test_id("staff-name").inner_text() == "王主任"
    assert "主任" in page.get_by_test_id("staff-roles").inner_text()
    assert "个人信息" in page.content()
    # Bootstrap and htmx come from the npm lockfile via static files: the page's assets all loaded.
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bs-blue')").strip()
    assert broken == []
