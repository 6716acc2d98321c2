"""Issue 15: every page of every role at WCAG 2.1 AA (GB/T 37668-2019) as axe-core measures it, at a
desk (1280×800) and on a phone (390×844): no serious or critical violation, no JavaScript error, and
nothing refused by the content security policy (an inline script or style would be).

The pages come from the authorization matrix (tests/browser/pages.py), so a new page is audited as
soon as it has its matrix row. axe-core is the copy pinned in package-lock.json, injected by
Playwright; a missing axe-core or chromium fails the test (never skips)."""

import pytest

from .conftest import DESKTOP, PHONE, run_axe, signed_in_context
from .pages import page_views

pytestmark = pytest.mark.browser

# Rules switched off, each with its reason. Keep this empty unless a rule cannot apply here.
DISABLED_RULES: dict[str, str] = {}
FAILING_IMPACTS = ("serious", "critical")


def _describe(view, violation) -> str:
    targets = ", ".join(" ".join(n["target"]) for n in violation["nodes"][:4])
    return (
        f"{view.url} [{view.role}] {violation['id']} ({violation['impact']}, "
        f"{len(violation['nodes'])}×): {violation['help']} — {targets}"
    )


def _audit(browser, live_server, world, axe_source, viewport) -> tuple[list[str], int]:
    views = page_views(world)
    problems: list[str] = []
    by_role: dict[str, list] = {}
    for view in views:
        by_role.setdefault(view.role, []).append(view)
    # the sign-in page, as a stranger sees it, and with its error
    contexts = [("anon", None)] + [(role, world.clients[role]) for role in by_role]
    for role, client in contexts:
        context = signed_in_context(browser, live_server, client or world.clients["anon"], viewport=viewport)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        # anything the content security policy refused (an inline script or style, a foreign source)
        page.on(
            "console",
            lambda msg, errors=errors: (
                errors.append(f"CSP: {msg.text}") if "Content Security Policy" in msg.text else None
            ),
        )
        try:
            if role == "anon":
                page.goto(f"{live_server.url}/accounts/login/")
                found = run_axe(page, axe_source, DISABLED_RULES)
                page.locator("#id_username").fill("nobody")
                page.locator("#id_password").fill("wrong")
                page.locator("form button[type=submit]").click()
                page.wait_for_selector("#login-error")
                found += run_axe(page, axe_source, DISABLED_RULES)
                anon = type("V", (), {"url": "/accounts/login/", "role": "anon"})
                problems += [_describe(anon, v) for v in found if v["impact"] in FAILING_IMPACTS]
                continue
            for view in by_role[role]:
                page.goto(f"{live_server.url}{view.url}")
                found = run_axe(page, axe_source, DISABLED_RULES)
                problems += [_describe(view, v) for v in found if v["impact"] in FAILING_IMPACTS]
        finally:
            context.close()
        problems += [f"JavaScript error or CSP refusal as {role}: {e}" for e in errors]
    return problems, len(views)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop-1280", "phone-390"])
def test_every_page_of_every_role_has_no_serious_or_critical_axe_violation(
    live_server, browser, world, axe_source, viewport
):
    problems, visited = _audit(browser, live_server, world, axe_source, viewport)
    assert visited >= 30, f"only {visited} page views found: is the matrix world complete?"
    assert not problems, f"{len(problems)} serious/critical axe violations:\n" + "\n".join(problems)


def test_the_page_list_comes_from_the_matrix_and_covers_every_role(world):
    views = page_views(world)
    names = {v.name for v in views}
    # a sample of what must be there: the liaison's and the duty officer's pages among them
    for name in ("home", "supervision:list", "supervision:detail", "duty:board", "duty:report-detail"):
        assert name in names, f"{name} is not audited"
    assert {v.role for v in views} >= {"director", "duty_officer", "unit_own", "unit_other"}
    # not pages: JSON, file downloads and htmx fragments are left out
    assert not {"duty:board-live", "notifications:badge", "api-me", "file-download"} & names
