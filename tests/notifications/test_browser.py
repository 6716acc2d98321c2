"""The inbox in a real browser: marking a message read with htmx updates the row and the navigation
badge without a page reload."""

import re

import pytest

from office.org.models import Role
from tests.browser.conftest import browser, page  # noqa: F401  (the shared Playwright fixtures)
from tests.factories import make_user

from .factories import NotificationFactory

pytestmark = pytest.mark.browser

PASSWORD = "Office@2026"


def test_marking_read_updates_row_and_badge_without_reload(live_server, page):  # noqa: F811
    user = make_user(Role.STAFF, user__username="staff01", user__password=PASSWORD, name="李科员")
    first = NotificationFactory(recipient=user, title="第一条消息")
    NotificationFactory(recipient=user, title="第二条消息")
    broken = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto(f"{live_server.url}/accounts/login/?next=/notifications/")
    page.locator("input[name=username]").fill("staff01")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/notifications/$"))

    badge = page.get_by_test_id("unread-count")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=unread-count]').textContent.trim() === '2'"
    )
    page.evaluate("window.__notReloaded = true")

    row = page.locator(f"#notification-{first.pk}")
    row.get_by_role("button", name="标为已读").click()
    page.wait_for_function(f"() => !document.querySelector('#notification-{first.pk} button')")
    assert "已读" in row.inner_text()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=unread-count]').textContent.trim() === '1'"
    )
    assert badge.inner_text().strip() == "1"
    assert page.evaluate("window.__notReloaded") is True  # same page: no reload happened
    assert broken == []
