"""The item page's htmx actions in a real browser (Debian's chromium, see tests/browser)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from office.org.models import Role
from supervision.models import Status, SupervisionItem
from tests.browser.conftest import browser, page  # noqa: F401  (fixtures)
from tests.factories import make_user

from .factories import make_item

pytestmark = pytest.mark.browser

PASSWORD = "Office@2026"


def _login(page, live_server, username):  # noqa: F811
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))


def test_unit_acknowledges_and_reports_through_htmx(live_server, page, unit_a, unit_b):  # noqa: F811
    director = make_user(Role.DIRECTOR, user__username="director", user__password=PASSWORD)
    make_user(Role.EXTERNAL_UNIT, unit=unit_a, user__username="u-a", user__password=PASSWORD)
    due = timezone.localdate() + dt.timedelta(days=30)
    mine = make_item(actor=director, lead_unit=unit_a, issue=True, title="甲镇的项目", due=due)
    make_item(actor=director, lead_unit=unit_b, issue=True, title="乙镇的项目", due=due)
    broken = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    _login(page, live_server, "u-a")
    page.goto(f"{live_server.url}/supervision/")
    assert page.get_by_test_id("item-row").count() == 1
    assert "乙镇的项目" not in page.content()
    page.get_by_text("甲镇的项目").click()
    page.get_by_test_id("ack").click()
    page.wait_for_selector("text=已签收。")
    mine.refresh_from_db()
    assert mine.status == Status.IN_PROGRESS

    page.locator("form[hx-post$='/feedback'] select[name=kind]").select_option("result")
    page.locator("form[hx-post$='/feedback'] textarea[name=content]").fill("项目已签约落地。")
    page.locator("form[hx-post$='/feedback'] button").click()
    page.wait_for_selector("text=已报送。")
    assert page.get_by_test_id("item-status").inner_text() == "已报结果"
    assert SupervisionItem.objects.get(pk=mine.pk).status == Status.SUBMITTED
    assert broken == []
