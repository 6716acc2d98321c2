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
            yield chromium
            chromium.close()
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
