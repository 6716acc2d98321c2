"""The navigation bar, by role. Apps add their entries with ``register_nav`` in AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from office.org.roles import has_role, is_internal


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every office staff member
    external: bool = False  # also shown to external units' users
    order: int = 100
    # The app's access function deciding whether ``user`` may open the page (the same one the view
    # asks); when given, it alone decides.
    allowed: Callable[[object], bool] | None = None


_NAV: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if item not in _NAV:
        _NAV.append(item)
        _NAV.sort(key=lambda i: i.order)


def navigation_for(user) -> list[dict]:
    items = []
    internal = is_internal(user)
    for item in _NAV:
        if item.allowed is not None:
            if not item.allowed(user):
                continue
        elif not internal and not item.external:
            continue
        elif item.roles and not has_role(user, *item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items


def mark_active(items: list[dict], path: str) -> list[dict]:
    """The section the page belongs to: the entry whose address is the longest prefix of the page's
    path (the home page only for "/" itself), so every page of a section lights its tab."""
    best = None
    for item in items:
        url = item["url"]
        matches = path == url if url == "/" else path.startswith(url)
        if matches and (best is None or len(url) > len(best["url"])):
            best = item
    for item in items:
        item["active"] = item is best
    return items
