"""Issue 15: on a 390×844 phone nothing a township liaison or a duty officer uses scrolls sideways
(WCAG 1.4.10 Reflow), in the ordinary and in the large-text mode (长辈模式); the navigation collapses
behind a button; controls are at least 44 px tall (the 适老化 guidance's touch target)."""

import pytest

from .conftest import PHONE, signed_in_context
from .pages import page_views

pytestmark = pytest.mark.browser

ON_THE_MOVE = ("unit_own", "duty_officer")
WIDTH = PHONE["width"]

# What is wider than the viewport: the page itself, and the elements that stick out.
OVERFLOW_JS = """(width) => {
  const wide = [];
  document.querySelectorAll("body *").forEach((el) => {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && getComputedStyle(el).position !== "fixed") {
      wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "") +
        " " + Math.round(r.right) + "px");
    }
  });
  return {scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
}"""


def _too_wide(page, url) -> str | None:
    found = page.evaluate(OVERFLOW_JS, WIDTH)
    if found["scroll"] > WIDTH:
        return f"{url}: {found['scroll']} px wide ({', '.join(found['wide'])})"
    return None


def test_no_page_a_liaison_or_duty_officer_uses_is_wider_than_a_390_px_phone(live_server, browser, world):
    views = page_views(world, roles=ON_THE_MOVE)
    assert {v.role for v in views} == set(ON_THE_MOVE)
    assert {"supervision:detail", "duty:board", "duty:report-detail"} <= {v.name for v in views}
    problems = []
    for role in ON_THE_MOVE:
        context = signed_in_context(browser, live_server, world.clients[role], viewport=PHONE)
        page = context.new_page()
        for view in (v for v in views if v.role == role):
            page.goto(f"{live_server.url}{view.url}")
            if problem := _too_wide(page, f"{view.url} [{role}]"):
                problems.append(problem)
        context.close()
    assert not problems, "pages scroll sideways on a phone:\n" + "\n".join(problems)


def test_large_text_mode_is_remembered_and_still_fits_a_phone(live_server, browser, world):
    context = signed_in_context(browser, live_server, world.clients["unit_own"], viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/supervision/{world.item.pk}/")
    base = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert base >= 16  # rem from the browser's 16 px, never a fixed 14 px
    toggle = page.get_by_test_id("large-text-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/supervision/{world.item.pk}/")  # back where the person was
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= base * 1.2
    assert page.get_by_test_id("large-text-toggle").get_attribute("aria-pressed") == "true"
    # remembered for the person, not the browser: a new session starts in large text
    world.users["unit_own"].display_preference.refresh_from_db()
    assert world.users["unit_own"].display_preference.large_text is True
    from django.test import Client

    fresh = Client()
    fresh.force_login(world.users["unit_own"])
    assert b'class="large-text"' in fresh.get("/").content
    problems = []
    for url in (f"/supervision/{world.item.pk}/", "/supervision/", "/"):
        page.goto(f"{live_server.url}{url}")
        if problem := _too_wide(page, url):
            problems.append(problem)
    context.close()
    assert not problems, "large text scrolls sideways:\n" + "\n".join(problems)


def test_on_a_phone_the_menu_collapses_and_controls_are_44_px_tall(live_server, browser, world):
    context = signed_in_context(browser, live_server, world.clients["unit_own"], viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/supervision/{world.item.pk}/")
    toggle = page.locator(".nav-toggle")
    nav_link = page.locator("#office-nav-list a").first
    assert toggle.is_visible() and not nav_link.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert nav_link.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              "main .btn, main input:not([type=hidden]), main select, main textarea, .nav-toggle, #office-nav-list a")]
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el.outerHTML.slice(0, 80), Math.round(el.getBoundingClientRect().height)])
            .filter(([, h]) => h < 44)"""
    )
    context.close()
    assert not small, f"touch targets under 44 px: {small}"


def test_the_directors_navigation_holds_on_one_line_at_1440_px(live_server, browser, world):
    # issue 14: the director's dashboard is one screen at 1440×900; every tab of the director's
    # navigation (the longest) sits on the first line, none wraps under it
    context = signed_in_context(
        browser, live_server, world.clients["director"], viewport={"width": 1440, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    tops = page.evaluate(
        "() => Array.from(document.querySelectorAll('.office-nav a')).map(a => a.getBoundingClientRect().top)"
    )
    context.close()
    assert len(tops) >= 15, tops
    assert len({round(t) for t in tops}) == 1, f"the navigation wraps: {tops}"
