"""Which pages the accessibility tests visit, found rather than listed: every URL of the authorization
matrix (tests/access/matrix.py, which a test keeps complete) whose GET answers an HTML page to some
role, with the kwargs of the matrix's fixture world. A new app's pages are covered as soon as they
have their matrix row. See docs/accessibility.md."""

import os
from dataclasses import dataclass

from django.urls import reverse

from tests.access.matrix import INTERNAL, MATRIX

# Pages that need objects the fixture world cannot build (a URL whose kwargs the matrix cannot fill
# for a page view). Each entry: url name -> why. Keep it empty unless a page truly cannot be reached.
NOT_VISITED: dict[str, str] = {}

SIGNED_IN = (*INTERNAL, "unit_own", "unit_other")
# URL names of files, not pages (exports, downloads, generated .docx/.pdf): not requested at all, since
# generating them is slow. Anything else is requested once and kept if it answers a whole HTML page.
FILE_WORDS = ("export", "download", "docx", "pdf", "file")
# Every role on every page with OFFICE_A11Y_ALL_ROLES=1 (the full audit, about ten times longer);
# by default each page once as the first office role that may open it and once as the township
# (unit_own) where it may, plus every role's home page (its own navigation).
ALL_ROLES = os.environ.get("OFFICE_A11Y_ALL_ROLES") == "1"


@dataclass(frozen=True)
class PageView:
    name: str
    label: str
    url: str
    role: str


def _is_html_page(response) -> bool:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    return b"<html" in response.content[:400].lower()  # not an htmx fragment


def page_views(world, roles=None) -> list[PageView]:
    """(url, role) pairs to visit: the matrix's 200 GETs that answer a whole HTML page."""
    wanted = roles or SIGNED_IN
    views: list[PageView] = []
    for name, cases in MATRIX.items():
        if name in NOT_VISITED or name.startswith("api") or "-api" in name:
            continue
        if any(word in name.split(":")[-1] for word in FILE_WORDS):
            continue
        for case in cases:
            url = reverse(name, kwargs=case.kwargs(world) or None)
            ok = [r for r in SIGNED_IN if r in wanted and case.expect["GET"].get(r) == 200]
            if not ok:
                continue
            if roles is None and not ALL_ROLES:
                office = [r for r in ok if r in INTERNAL][:1]
                ok = office + [r for r in ok if r == "unit_own"]
            for role in ok:
                if _is_html_page(world.clients[role].get(url)):
                    views.append(PageView(name, case.label, url, role))
    if roles is None:
        seen = {(v.url, v.role) for v in views}
        home = reverse("home")
        views += [PageView("home", "", home, r) for r in SIGNED_IN if (home, r) not in seen]
    return views
