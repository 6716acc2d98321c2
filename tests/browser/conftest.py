"""Playwright in Debian's chromium (``playwright install`` cannot download browsers here).

The browser runs against pytest-django's ``live_server``. Playwright's sync API keeps an event loop in
the test's thread, which trips Django's async-unsafe guard on ORM calls made by the test itself; the
guard is lifted only while this module's browser is open, so the rest of the suite keeps it.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("OFFICE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Browser:
    """The launched chromium, with the content security policy enforced as in production: every page of
    every context reports what the policy refuses (Chromium says so on the console), and the module's
    browser fails at teardown if anything was refused (issue 17: the browser suite passes under the
    policy). Predicates for ``wait_for_function`` are written as functions (``"() => …"``): an
    expression string is compiled with eval inside the page, which the policy refuses."""

    def __init__(self, inner):
        self._inner = inner
        self.refused: list[str] = []

    def new_context(self, **options):
        context = self._inner.new_context(**options)
        context.on("page", self._watch)
        return context

    def new_page(self, **options):
        page = self._inner.new_page(**options)
        self._watch(page)
        return page

    def _watch(self, page):
        def on_console(msg, page=page):
            if "Content Security Policy" in msg.text:
                self.refused.append(f"{page.url}: {msg.text}")

        page.on("console", on_console)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        # Fail, never skip: scripts/test installs Debian's chromium; a missing browser is a broken set-up.
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/test (installs it) or set OFFICE_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            watched = _Browser(chromium)
            yield watched
            chromium.close()
            assert not watched.refused, "the content security policy refused:\n" + "\n".join(watched.refused)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


# --- accessibility tests (issue 15): axe-core from the npm lockfile, signed-in contexts per role ---

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# The matrix's fixture world (every role, unit A's objects, a duty shift with an urgent report):
# the accessibility tests visit the pages the matrix says each role may open.
from tests.access.conftest import world  # noqa: E402, F401  (re-exported as a fixture)


@pytest.fixture(scope="module")
def axe_source():
    if not AXE_JS.exists():
        # Fail, never skip: scripts/lib.sh runs `npm ci` from package-lock.json, which installs axe-core.
        pytest.fail(f"axe-core not found at {AXE_JS}: run `npm ci` (package-lock.json pins axe-core)")
    return AXE_JS.read_text(encoding="utf-8")


def signed_in_context(browser, live_server, client, *, viewport=DESKTOP, **options):
    """A browser context signed in as the person behind a ``force_login``-ed Django test client: its
    session cookie, no trip through the login form (the keyboard test signs in through the form)."""
    context = browser.new_context(locale="zh-CN", viewport=viewport, **options)
    context.set_default_timeout(15_000)
    session = client.cookies.get("sessionid")
    if session is not None:
        context.add_cookies([{"name": "sessionid", "value": session.value, "url": live_server.url}])
    return context


def run_axe(page, axe_source: str, disabled: dict[str, str] | None = None) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA rules over the page; the violations, as axe reports them."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluated by the browser's debugging protocol, which the page's CSP does not apply to (an
        # inline <script> tag would be refused, as the policy means it to be)
        page.evaluate(axe_source)
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in (disabled or {})},
    }
    return page.evaluate("async (options) => (await axe.run(document, options)).violations", options)
