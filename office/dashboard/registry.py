"""What each app contributes to the director's dashboard and to everyone's "my work" list.

Apps register in their AppConfig.ready(), as they register clock handlers and navigation:

    from office.dashboard.registry import WorkItem, register_my_work, register_panel

    @register_panel("meetings", title=_("会议"), template="meetings/_dashboard_panel.html", order=50)
    def meetings_panel(actor, now) -> dict | None:   # None: this actor does not get the panel
        ...                                          # from the app's own selectors, scoped by access

    @register_my_work("meetings")
    def meetings_work(actor, now) -> list[WorkItem]: # what this person has to do, with its deadline
        ...

A panel's builder returns the context its template renders (given both at the top level and as
``c``, with ``now`` and ``panel``); every number in it carries the URL of the list it counts. The
template is rendered without the request's context processors and its HTML is kept for the viewer's
next refreshes while nothing audited changes (office/dashboard/views.py): no ``request``, ``user`` or
CSRF token in it, and whatever it shows must come from a write that is audited or from the clock (the
minute). A my-work provider returns items this actor must act on (the "this week" strip is the items
due in the next 7 working days).

Two more kinds of provider, both optional for an app:

    @register_to_read("documents")
    def documents_to_read(actor, now) -> list[WorkItem]:  # 待阅: what is waiting to be read
        ...

    @register_due_soon("supervision")
    def supervision_due_soon(actor, now, until) -> list[WorkItem]:  # the leaders' "this week" strip:
        ...                                     # what falls due across the app by ``until``, scoped

    @register_briefing("supervision", order=10)
    def supervision_briefing(actor, start, end, ahead_end) -> dict | None:
        # the Monday briefing's section: {"title": ..., "last_week": [lines], "week_ahead": [lines]}
        # about [start, end) (the past week) and [end, ahead_end) (the week ahead)

``reads=("meetings", "documents")`` on any of the three registrations names the apps (the audit verbs'
prefixes: "meetings.scheduled" is the meetings app's) whose writes can change what it returns. The
dashboard then keeps its result, for one viewer and one minute, while none of those apps, and nothing
outside the named apps (the org's units and people, the clock), has written: on a typhoon night the duty
room's thousand writes re-read the duty panel, not the documents panel. Name every app whose rows it reads
(through another app's selectors too); leave ``reads`` out and it is read on every change, as before.

Every provider's query count must not grow with the data (the dashboard's test holds it). Two helpers
keep it small: ``shared(key, fn)`` reads a thing once per refresh for every panel and provider that
needs it (two panels of one app, a panel and its "my work" provider), and ``rows_and_count(qs, n)``
reads a panel's first rows and the number of all of them in one query.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Panel:
    code: str
    title: str
    template: str
    order: int
    build: Callable
    reads: frozenset[str] | None = None  # the apps whose audited writes change it (None: every app)


@dataclass(frozen=True)
class WorkItem:
    app: str  # "supervision", "duty", "documents", "meetings", "research", "information", "suggestions"
    kind: str  # what is asked, shown as a badge: "签发", "回执", "检查项", "答复" ...
    title: str
    url: str
    due_at: datetime | None
    overdue: bool = False
    urgent: bool = False  # minutes from late, or marked 特急/紧急
    detail: str = ""  # a second line: the unit, the sender, the step


_PANELS: dict[str, Panel] = {}
_MY_WORK: dict[str, Callable] = {}
_TO_READ: dict[str, Callable] = {}
_DUE_SOON: dict[str, Callable] = {}
_BRIEFING: dict[str, tuple[int, Callable]] = {}


# What a panel or provider reads, by kind and code: the apps (audit verb prefixes) whose writes can change
# what it returns. Not named: every app's.
_READS: dict[tuple[str, str], frozenset[str]] = {}


def _reads(kind: str, code: str, reads) -> frozenset[str] | None:
    if reads is None:
        return None
    if isinstance(reads, str):
        raise TypeError("reads: a tuple of app names, not a string")
    _READS[(kind, code)] = frozenset(reads)
    return _READS[(kind, code)]


def register_panel(code: str, *, title, template: str, order: int, reads=None):
    def decorator(fn):
        if code in _PANELS and _PANELS[code].build is not fn:
            raise ValueError(f"dashboard panel {code!r} registered twice")
        _PANELS[code] = Panel(
            code=code,
            title=title,
            template=template,
            order=order,
            build=fn,
            reads=_reads("panel", code, reads),
        )
        return fn

    return decorator


def register_my_work(code: str, *, reads=None):
    _reads("my_work", code, reads)

    def decorator(fn):
        if code in _MY_WORK and _MY_WORK[code] is not fn:
            raise ValueError(f"my-work provider {code!r} registered twice")
        _MY_WORK[code] = fn
        return fn

    return decorator


def _register(table: dict[str, Callable], what: str, code: str):
    def decorator(fn):
        if code in table and table[code] is not fn:
            raise ValueError(f"{what} {code!r} registered twice")
        table[code] = fn
        return fn

    return decorator


def register_to_read(code: str):
    return _register(_TO_READ, "to-read provider", code)


def register_due_soon(code: str, *, reads=None):
    _reads("due_soon", code, reads)
    return _register(_DUE_SOON, "due-soon provider", code)


def reads_of(kind: str, code: str) -> frozenset[str] | None:
    """The apps a panel ("panel"), my-work ("my_work") or due-soon ("due_soon") provider reads; None:
    it did not say, so every write anywhere may change it."""
    return _READS.get((kind, code))


def apps_named() -> frozenset[str]:
    """Every app some registration names in its ``reads``: a write of any other (the org's people and
    units, the clock, notifications' settings) may change every panel and provider."""
    return frozenset().union(*_READS.values()) if _READS else frozenset()


def register_briefing(code: str, *, order: int = 100):
    def decorator(fn):
        if code in _BRIEFING and _BRIEFING[code][1] is not fn:
            raise ValueError(f"briefing section {code!r} registered twice")
        _BRIEFING[code] = (order, fn)
        return fn

    return decorator


def briefing_sections() -> list[tuple[str, Callable]]:
    return [(code, fn) for code, (order, fn) in sorted(_BRIEFING.items(), key=lambda kv: (kv[1][0], kv[0]))]


def to_read_providers() -> dict[str, Callable]:
    return dict(_TO_READ)


def due_soon_providers() -> dict[str, Callable]:
    return dict(_DUE_SOON)


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.code))


def my_work_providers() -> dict[str, Callable]:
    return dict(_MY_WORK)


# --- one refresh ---------------------------------------------------------------------------------------

_REFRESH: ContextVar[dict | None] = ContextVar("dashboard_refresh", default=None)


@contextmanager
def one_refresh() -> Iterator[None]:
    """The span of one dashboard refresh: what ``shared`` reads inside it is read once. Nested spans
    are the outer one's."""
    if _REFRESH.get() is not None:
        yield
        return
    token = _REFRESH.set({})
    try:
        yield
    finally:
        _REFRESH.reset(token)


def shared(key: tuple, fn: Callable[[], Any]) -> Any:
    """``fn()`` once per refresh for ``key`` (name the actor in the key when the read is scoped by
    him); outside a refresh (a provider called alone, the briefing) every call reads again."""
    memo = _REFRESH.get()
    if memo is None:
        return fn()
    if key not in memo:
        memo[key] = fn()
    return memo[key]


def shared_if_read(key: tuple) -> Any:
    """What ``shared`` already read for ``key`` in this refresh, else None (nothing is read)."""
    memo = _REFRESH.get()
    return memo.get(key) if memo is not None else None


def rows_and_count(qs, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of ``qs`` and the number of all its rows, in one query (a window count
    over the whole filtered set, taken before the LIMIT). ``qs`` must not be ``distinct()``: the window
    would count the duplicates that DISTINCT removes."""
    from django.db.models import Count, Window

    if qs.query.distinct:
        raise ValueError("rows_and_count: a distinct() queryset would be miscounted")
    rows = list(qs.annotate(dashboard_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].dashboard_total if rows else 0)
