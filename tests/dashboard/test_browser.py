"""In Chromium at 1440×900, the director's dashboard: a countdown ticks every second and the panels
refresh from the one live fragment without a reload. The screenshot is kept as a CI artefact
(var/artifacts/dashboard.png)."""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from supervision.models import Status, SupervisionItem
from tests.browser.conftest import PHONE, axe_source, browser, run_axe, signed_in_context  # noqa: F401
from tests.browser.test_reflow import _too_wide
from tests.supervision.factories import make_item

from . import world as W

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts"


def _retry(fn, attempts: int = 5):
    """SQLite's in-memory test database is shared with the live server's thread: a write that meets
    the server's poll may find the table locked for a moment (PostgreSQL would not)."""
    from django.db import OperationalError

    for attempt in range(attempts):
        try:
            return fn()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def _goto(page, url):
    response = page.goto(url)
    if response is not None and response.status >= 500:  # the same lock, met by the server's thread
        page.wait_for_timeout(500)
        response = page.goto(url)
    assert response is not None and response.status == 200


def _overdue_item(w):
    from django.db import transaction

    with transaction.atomic():
        item = make_item(
            actor=w.director, lead_unit=w.unit_a, issue=True, due=timezone.now() + dt.timedelta(days=9)
        )
        SupervisionItem.objects.filter(pk=item.pk).update(
            due_at=timezone.now() - dt.timedelta(days=1), status=Status.IN_PROGRESS
        )


def _serious(page, axe_source) -> list[str]:  # noqa: F811
    return [
        f"{page.url} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in run_axe(page, axe_source)
        if v["impact"] in ("serious", "critical")
    ]


def test_director_dashboard_ticks_and_refreshes_without_reload(live_server, browser, settings, axe_source):  # noqa: F811
    settings.DASHBOARD_POLL_SECONDS = 5
    w = W.build(k=2, now=timezone.now())
    client = Client()
    client.force_login(w.director)
    context = signed_in_context(browser, live_server, client, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _goto(page, f"{live_server.url}/")
    red = page.get_by_test_id("sup-light-red")
    assert red.inner_text() == "2"
    countdown = page.locator("[data-testid=panel-duty] .countdown[data-deadline]").first
    page.wait_for_function("el => /^剩 /.test(el.textContent)", arg=countdown.element_handle())
    first = countdown.inner_text()
    # It moves within a few seconds, and downwards.
    page.wait_for_function(
        "first => document.querySelector('[data-testid=panel-duty] .countdown[data-deadline]').textContent"
        " !== first",
        arg=first,
        timeout=4000,
    )
    assert countdown.inner_text() < first, "the countdown does not count down"
    page.wait_for_selector(".dash-chart svg")  # ECharts drew the weekly chart
    page.evaluate("window.__notReloaded = true")
    # in one transaction: a poll between the audited issue and the (unaudited) move of its deadline
    # would keep a copy showing the item green until the minute turns
    _retry(lambda: _overdue_item(w))
    page.wait_for_function(
        "() => document.querySelector('[data-testid=sup-light-red]').textContent === '3'", timeout=15_000
    )
    assert page.evaluate("window.__notReloaded") is True
    page.wait_for_selector(".dash-chart svg")  # drawn again after the refresh
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=False)
    problems = _serious(page, axe_source)
    context.close()
    # the same pages on a phone (no sideways scrolling) and "my work" for a member of staff
    phone = signed_in_context(browser, live_server, client, viewport=PHONE)
    page = phone.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    for url in ("/dashboard/", "/dashboard/briefing/"):
        _goto(page, f"{live_server.url}{url}")
        problems += [p for p in [_too_wide(page, url)] if p] + _serious(page, axe_source)
    client.force_login(w.staff)
    staff = signed_in_context(browser, live_server, client, viewport=PHONE)
    page = staff.new_page()
    _goto(page, f"{live_server.url}/")
    assert page.get_by_test_id("my-work-live").is_visible()
    problems += [p for p in [_too_wide(page, "/ [staff]")] if p] + _serious(page, axe_source)
    phone.close()
    staff.close()
    assert not errors, errors
    assert not problems, "\n".join(problems)
