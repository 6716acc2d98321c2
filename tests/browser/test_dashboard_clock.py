"""The dashboard's countdowns tick on the server's clock, not the browser's (dashboard.js): the first
refresh takes the server's time; later refreshes correct it only when the browser is off by more than
three seconds, so a countdown never steps back by the second or two an answer spends travelling."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCRIPT = (
    Path(__file__).resolve().parents[2] / "office" / "dashboard" / "static" / "dashboard" / "dashboard.js"
)
T = 1_790_000_000  # the browser's fixed clock (epoch seconds)


def _fragment(server_now: int, deadlines: list[int]) -> str:
    spans = "".join(f'<span class="countdown" data-deadline="{d}"></span>' for d in deadlines)
    return f'<div id="live" data-server-now="{server_now}">{spans}</div>'


def _swap(page, server_now: int, deadlines: list[int]) -> list[str]:
    """What an htmx refresh does: a new fragment, then htmx:afterSwap on the body."""
    page.evaluate(
        """([html]) => { document.getElementById('live').outerHTML = html;
                         document.body.dispatchEvent(new Event('htmx:afterSwap')); }""",
        [_fragment(server_now, deadlines)],
    )
    return page.locator(".countdown").all_inner_texts()


def test_countdowns_follow_the_servers_clock_and_ignore_a_jitter_of_a_few_seconds(page):
    page.clock.set_fixed_time(T)
    server = T + 100  # this browser's clock is 100 s behind the server's
    page.set_content(
        "<!doctype html><html><body>"
        + _fragment(server, [server + 600, server - 65, server + 20 * 60])
        + "</body></html>"
    )
    page.add_script_tag(path=str(SCRIPT))
    texts = page.locator(".countdown").all_inner_texts()
    assert texts == ["剩 00:10:00", "超时 00:01:05", "剩 00:20:00"]  # the server's time, not the browser's
    classes = [page.locator(".countdown").nth(i).get_attribute("class") for i in range(3)]
    assert "is-over" in classes[1] and "is-warn" in classes[2] and "is-warn" in classes[0]

    # the next refresh says a second later on the server (the answer was read before it travelled):
    # within the three seconds, the countdowns keep their reference and do not step
    assert _swap(page, server + 2, [server + 600]) == ["剩 00:10:00"]
    # a server clock really apart (the browser's clock was changed, or slept): taken at once
    assert _swap(page, server + 10, [server + 600]) == ["剩 00:09:50"]
    # and back to ticking: a second later on the browser's clock is a second less
    page.clock.set_fixed_time(T + 1)
    page.evaluate("() => new Promise(r => setTimeout(r, 1100))")
    assert page.locator(".countdown").all_inner_texts() == ["剩 00:09:49"]
