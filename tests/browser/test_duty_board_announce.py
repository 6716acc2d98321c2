"""Issue 15: the duty board as a screen reader hears it. The board refreshes itself every few seconds;
its alarm is announced once per NEW alarm (the assertive live region's text changes only then, never
on a refresh), the keyboard focus stays where the officer left it across refreshes, and the blinking
banner can be stopped and does not blink for someone who asked for reduced motion."""

import datetime as dt

import pytest
from django.utils import timezone

from duty.models import ReportLevel, UrgentReport

from .conftest import DESKTOP, signed_in_context

pytestmark = pytest.mark.browser

WATCH_JS = """() => {
  window.__announced = []; window.__swaps = 0;
  const region = document.getElementById("duty-alarm-announce");
  new MutationObserver(() => window.__announced.push(region.textContent))
    .observe(region, {childList: true, characterData: true, subtree: true});
  document.body.addEventListener("htmx:afterSwap", () => { window.__swaps += 1; });
}"""


def _wait_refreshes(page, n: int) -> None:
    start = page.evaluate("window.__swaps")
    page.wait_for_function(f"() => window.__swaps >= {start + n}", timeout=20_000)


def test_the_alarm_is_announced_once_per_new_alarm_and_focus_survives_the_refresh(
    live_server, browser, world, settings
):
    settings.OFFICE_DUTY_BOARD_POLL_SECONDS = 1
    context = signed_in_context(browser, live_server, world.clients["duty_officer"], viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/duty/")
    region = page.get_by_test_id("duty-alarm-announce")
    assert region.get_attribute("aria-live") == "assertive"
    # The world's current shift started two hours ago with no handover acknowledged: one alarm, said
    # once on arrival.
    first = region.text_content()
    assert "新告警" in first and "交接" in first
    page.evaluate(WATCH_JS)
    link = page.locator(f"#board-report-{world.report.pk}")
    link.focus()

    _wait_refreshes(page, 3)
    assert page.evaluate("window.__announced") == []  # three refreshes, nothing new: silence
    assert region.text_content() == first
    assert page.evaluate("document.activeElement.id") == f"board-report-{world.report.pk}"

    now = timezone.now()
    UrgentReport.objects.create(
        title="乙镇山体滑坡",
        level=ReportLevel.MAJOR,
        source_unit=world.unit_b,
        received_at=now,
        shift=world.shift,
        phone_due_at=now + dt.timedelta(minutes=2),  # inside the 5-minute warning lead
        written_due_at=now + dt.timedelta(hours=1),
    )
    page.wait_for_function("() => window.__announced.length >= 1", timeout=20_000)
    _wait_refreshes(page, 3)
    announced = page.evaluate("window.__announced")
    assert len(announced) == 1, announced  # the new alarm once, not once per refresh or per second
    assert "乙镇山体滑坡" in announced[0] and "电话报告" in announced[0]
    assert "交接" not in announced[0]  # the old alarm is not repeated
    assert page.evaluate("document.activeElement.id") == f"board-report-{world.report.pk}"
    # the state is in words and a sign as well as in colour
    cell = page.locator("[data-key$='-phone'].limit-warning").first
    assert "即将超时" in cell.inner_text()
    context.close()


def test_the_alarm_banner_can_stop_blinking_and_respects_reduced_motion(live_server, browser, world):
    context = signed_in_context(browser, live_server, world.clients["duty_officer"], viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/duty/")
    banner = page.get_by_test_id("duty-alarm")
    assert banner.is_visible() and "请立即处理" in banner.inner_text()
    assert (
        page.evaluate("getComputedStyle(document.getElementById('duty-alarm')).animationName") == "duty-blink"
    )
    pause = page.locator("#duty-alarm-pause")
    pause.click()
    assert pause.get_attribute("aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.getElementById('duty-alarm')).animationName") == "none"
    context.close()

    calm = signed_in_context(
        browser, live_server, world.clients["duty_officer"], viewport=DESKTOP, reduced_motion="reduce"
    )
    page = calm.new_page()
    page.goto(f"{live_server.url}/duty/")
    assert page.get_by_test_id("duty-alarm").is_visible()
    assert page.evaluate("getComputedStyle(document.getElementById('duty-alarm')).animationName") == "none"
    calm.close()
