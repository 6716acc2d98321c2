"""What each app contributes to the director's dashboard and to everyone's "my work" list.

Apps register in their AppConfig.ready(), as they register clock handlers and navigation:

    from office.dashboard.registry import WorkItem, register_my_work, register_panel

    @register_panel("meetings", title=_("会议"), template="meetings/_dashboard_panel.html", order=50)
    def meetings_panel(actor, now) -> dict | None:   # None: this actor does not get the panel
        ...                                          # from the app's own selectors, scoped by access

    @register_my_work("meetings")
    def meetings_work(actor, now) -> list[WorkItem]: # what this person has to do, with its deadline
        ...

A panel's builder returns the context its template renders; every number in it carries the URL of
the list it counts. A my-work provider returns items this actor must act on (the "this week" strip is
the items due in the next 7 working days).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Panel:
    code: str
    title: str
    template: str
    order: int
    build: Callable


@dataclass(frozen=True)
class WorkItem:
    app: str  # "supervision", "duty", "documents", "meetings", "research", "information", "suggestions"
    kind: str  # what is asked, shown as a badge: "签发", "回执", "检查项", "答复" ...
    title: str
    url: str
    due_at: datetime | None
    overdue: bool = False
    urgent: bool = False  # minutes from late, or marked 特急/紧急


_PANELS: dict[str, Panel] = {}
_MY_WORK: dict[str, Callable] = {}


def register_panel(code: str, *, title, template: str, order: int):
    def decorator(fn):
        if code in _PANELS and _PANELS[code].build is not fn:
            raise ValueError(f"dashboard panel {code!r} registered twice")
        _PANELS[code] = Panel(code=code, title=title, template=template, order=order, build=fn)
        return fn

    return decorator


def register_my_work(code: str):
    def decorator(fn):
        if code in _MY_WORK and _MY_WORK[code] is not fn:
            raise ValueError(f"my-work provider {code!r} registered twice")
        _MY_WORK[code] = fn
        return fn

    return decorator


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.code))


def my_work_providers() -> dict[str, Callable]:
    return dict(_MY_WORK)
