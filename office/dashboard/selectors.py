"""Reads of the dashboard and of "my work". The dashboard never reads another app's models: it calls
the panels and providers the apps registered (``office.dashboard.registry``), each built from that
app's own selectors and scoped by that app's access module. The person's own recent actions (已办) come
from the audit trail, newest first."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from django.db.models import Count, Subquery
from django.utils import timezone

from office.org.types import Actor
from office.workdays.services import add_working_days

from . import access, conf
from .registry import (
    WorkItem,
    apps_named,
    due_soon_providers,
    my_work_providers,
    one_refresh,
    panels,
    reads_of,
    to_read_providers,
)

_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)


def _sort_key(item: WorkItem):
    return (item.due_at is None, item.due_at or _FAR, item.app, item.title)


def _mark(items: list[WorkItem], now: dt.datetime) -> list[WorkItem]:
    """Overdue and "minutes from late" flags from one clock, whatever the provider said."""
    soon = now + dt.timedelta(minutes=conf.urgent_minutes())
    out = []
    for item in items:
        overdue = item.overdue or (item.due_at is not None and item.due_at < now)
        urgent = item.urgent or (item.due_at is not None and item.due_at <= soon)
        if overdue != item.overdue or urgent != item.urgent:
            item = replace(item, overdue=overdue, urgent=urgent)
        out.append(item)
    return out


# --- keeping each app's part of a refresh -------------------------------------------------------------

_MISSING = object()


class _Keeper:
    """One refresh's kept parts: a panel's HTML or a provider's items, for one viewer and one minute,
    under the versions of the apps it reads (``registry.reads_of``; office.audit's per-app versions).
    Kept in the default cache for ``conf.live_cache_seconds()``."""

    def __init__(self, *, user: Actor, now: dt.datetime):
        from office.audit.selectors import audit_app_versions

        self.viewer = _viewer_parts(user, now)
        self.user_pk = getattr(user, "pk", None)
        self.versions = audit_app_versions()
        self.named = apps_named()
        self.seconds = conf.live_cache_seconds()

    def key(self, kind: str, code: str) -> str:
        reads = reads_of(kind, code)
        version = [
            f"{app}:{linked}:{unlinked}"
            for app, (linked, unlinked) in self.versions.items()
            if reads is None or app in reads or app not in self.named
        ]
        digest = hashlib.sha256("|".join([kind, code, *self.viewer, *version]).encode()).hexdigest()[:32]
        return f"dashboard:part:{self.user_pk}:{digest}"

    def kept(self, kind: str, code: str, compute: Callable[[], Any]) -> Any:
        from django.core.cache import cache

        if self.seconds <= 0:
            return compute()
        key = self.key(kind, code)
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            cache.set(key, value, self.seconds)
        return value


_KEEPER: ContextVar[_Keeper | None] = ContextVar("dashboard_keeper", default=None)


def _items(provider: Callable, actor: Actor, *args) -> list[WorkItem]:
    return list(provider(actor, *args) or [])


def _collect(providers: dict, actor: Actor, *args, kind: str = "") -> list[WorkItem]:
    keeper = _KEEPER.get()
    items: list[WorkItem] = []
    for code, provider in sorted(providers.items()):
        if keeper is not None and kind:
            found = keeper.kept(kind, code, functools.partial(_items, provider, actor, *args))
        else:
            found = provider(actor, *args) or []
        items.extend(found)
    return items


def my_work_for_user(*, user: Actor, now: dt.datetime | None = None, keep: bool = False) -> list[WorkItem]:
    """Every action waiting on ``user`` across the apps, soonest deadline first (none last).
    ``keep``: each provider's items are kept for this viewer's next refreshes in this minute while none
    of the apps it reads has written (the my-work page's poll), as the dashboard's parts are."""
    access.my_work_access(actor=user)
    now = now or timezone.now()
    token = _KEEPER.set(_Keeper(user=user, now=now)) if keep and _KEEPER.get() is None else None
    try:
        with one_refresh():
            return sorted(_mark(_collect(my_work_providers(), user, now, kind="my_work"), now), key=_sort_key)
    finally:
        if token is not None:
            _KEEPER.reset(token)


def to_read_for_user(*, user: Actor, now: dt.datetime | None = None) -> list[WorkItem]:
    """待阅: what is waiting for ``user`` to read (传阅, documents delivered to a unit), oldest first."""
    access.my_work_access(actor=user)
    now = now or timezone.now()
    return sorted(_collect(to_read_providers(), user, now), key=_sort_key)


def week_end(now: dt.datetime) -> dt.datetime:
    """The end of the "this week" window: the close of the Nth working day from today."""
    return add_working_days(now, conf.week_working_days())


def due_soon_for_user(
    *,
    user: Actor,
    now: dt.datetime | None = None,
    work: list[WorkItem] | None = None,
    until: dt.datetime | None = None,
) -> list[WorkItem]:
    """The "this week" strip: the person's own work and, for the leaders, what falls due across the
    apps (each provider scoped by its app), up to the Nth working day (``until``); overdue ones first."""
    now = now or timezone.now()
    until = until or week_end(now)
    with one_refresh():
        items = list(work if work is not None else my_work_for_user(user=user, now=now))
        if access.can_view_dashboard(user):
            items += _mark(_collect(due_soon_providers(), user, now, until, kind="due_soon"), now)
    seen: set[tuple[str, str]] = set()
    out = []
    for item in sorted(items, key=_sort_key):
        if item.due_at is None or item.due_at > until or (item.app, item.url) in seen:
            continue
        seen.add((item.app, item.url))
        out.append(item)
    return out


def _panel_part(panel, user: Actor, now: dt.datetime, render: Callable) -> dict | None:
    ctx = panel.build(user, now)
    if ctx is None:
        return None
    return {
        "html": render(panel, ctx, now),
        "loud": bool(ctx.get("loud")),
        "first": bool(ctx.get("mine_first")),
    }


def dashboard_for_user(
    *, user: Actor, now: dt.datetime | None = None, render: Callable | None = None
) -> dict[str, Any]:
    """Every panel this leader gets (a builder returning None leaves its panel out), the "this week"
    strip and the person's own work count, from one clock. One refresh: what two panels or a panel and
    a provider of one app both need is read once (``registry.shared``).

    ``render(panel, ctx, now)``: the panel's HTML. Given, each panel comes rendered (``html``, with
    ``ctx`` holding only ``loud``) and every panel's HTML and every provider's items are kept for the
    next refreshes of this viewer in this minute while none of the apps it reads has written
    (``registry`` ``reads``): a surge of one app's writes re-reads that app's part only."""
    access.dashboard_access(actor=user)
    now = now or timezone.now()
    keeper = _Keeper(user=user, now=now) if render is not None else None
    token = _KEEPER.set(keeper)
    try:
        return _dashboard(user, now, keeper, render)
    finally:
        _KEEPER.reset(token)


def _dashboard(
    user: Actor, now: dt.datetime, keeper: _Keeper | None, render: Callable | None
) -> dict[str, Any]:
    with one_refresh():
        built = []
        for panel in panels():
            if keeper is not None and render is not None:
                part = keeper.kept(
                    "panel", panel.code, functools.partial(_panel_part, panel, user, now, render)
                )
                if part is not None:
                    built.append({"panel": panel, "ctx": {"loud": part["loud"]}, **part})
                continue
            ctx = panel.build(user, now)
            if ctx is None:
                continue
            built.append({"panel": panel, "ctx": ctx, "first": bool(ctx.get("mine_first"))})
        # A deputy's panels about the sections in his charge come first (stable: the registry's order).
        built.sort(key=lambda b: not b["first"])
        work = my_work_for_user(user=user, now=now)
        until = week_end(now)
        week = due_soon_for_user(user=user, now=now, work=work, until=until)
    return {
        "now": now,
        "panels": built,
        "week": week,
        "week_until": until,
        "work_count": len(work),
        "work_overdue": sum(1 for w in work if w.overdue),
    }


# --- the live fragment's version ---------------------------------------------------------------------


def _viewer_parts(user: Actor, now: dt.datetime) -> list[str]:
    """Who sees it, how and when: his roles and superuser flag, the language and time zone, the minute."""
    from django.utils import translation

    from office.org.roles import user_roles

    return [
        ",".join(sorted(user_roles(user))),
        str(bool(getattr(user, "is_superuser", False))),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localtime(now).strftime("%Y%m%d%H%M"),
    ]


def dashboard_cache_key(*, user: Actor, now: dt.datetime) -> str:
    """The key of ``user``'s rendered dashboard as of ``now``: it moves whenever what the dashboard shows
    may have changed, so a refresh that finds its key in the cache serves a copy equal to a fresh read.

    - Every write of this system goes through a service that writes the audit trail in its transaction.
      Its rows are linked onto the chain after they commit (``office/audit/chain.py``): the key holds
      the chain's head (row count, last hash) and the number of rows not linked yet. A commit adds an
      unlinked row (the number grows) and linking moves the head, so the pair changes with every
      commit — also for a transaction that took an earlier id but commits later, which the newest
      event id would miss.
    - The viewer's newest inbox message (a notification is not audited).
    - The minute: the lights, the countdowns' states and "this week" change with the clock alone.
    - The viewer and his rights: his id, roles and superuser flag (two viewers never share a copy; a
      role given or taken changes the key at once), the language and the time zone it is rendered in.

    One query (the chain head, with the inbox's newest id and the unlinked count as subqueries)."""
    from office.audit.models import AuditChain, AuditEvent
    from office.notifications.selectors import notification_list_for_user

    newest_message = notification_list_for_user(user=user).values("id")[:1]
    # the rows written and not yet linked: their number only grows until the chainer moves the head
    unlinked = (
        AuditEvent.objects.filter(seq__isnull=True)
        .order_by()
        .values("seq")
        .annotate(n=Count("id"))
        .values("n")
    )
    head = (
        AuditChain.objects.filter(name="audit_event")
        .annotate(message=Subquery(newest_message), unlinked=Subquery(unlinked))
        .values_list("rows", "last_hash", "message", "unlinked")
        .first()
    )
    row: tuple = (
        head
        if head is not None  # else nothing is linked yet
        else (
            0,
            "",
            notification_list_for_user(user=user).values_list("id", flat=True).first(),
            AuditEvent.objects.filter(seq__isnull=True).count(),
        )
    )
    parts = [*_viewer_parts(user, now), *map(str, row)]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"dashboard:live:{getattr(user, 'pk', None)}:{digest}"


# --- 已办: the person's own recent actions, from the audit trail --------------------------------------


def _verb_label(verb: str) -> str:
    """The verb's Chinese phrase from the audit trail's registry of verbs (the code itself if none)."""
    from office.audit.verbs import verb_of

    found = verb_of(verb)
    return str(found.label) if found else verb


# The page of a subject of the audit trail, by its model: links without reading the subjects.
SUBJECT_PAGES = {
    "supervision.supervisionitem": "supervision:detail",
    "duty.urgentreport": "duty:report-detail",
    "duty.handover": "duty:handover-detail",
    "duty.shift": "duty:shift-detail",
    "duty.roster": "duty:roster-detail",
    "documents.document": "documents:detail",
    "documents.incomingdocument": "documents:incoming-detail",
    "suggestions.campaign": "suggestions:campaign",
    "suggestions.submission": "suggestions:submission",
    "suggestions.talk": "suggestions:talk",
}


def subject_url(content_type, subject_id: str) -> str:
    """The subject's page: the audit trail's registry first, then the pages the dashboard knows."""
    from django.urls import NoReverseMatch, reverse

    from office.audit import verbs

    if content_type is None:
        return ""
    url = verbs.subject_url(content_type, subject_id)
    if url:
        return url
    name = SUBJECT_PAGES.get(f"{content_type.app_label}.{content_type.model}")
    if not name or not str(subject_id).isdigit():
        return ""
    try:
        return reverse(name, kwargs={"pk": int(subject_id)})
    except NoReverseMatch:
        return ""


def recent_actions_for_user(*, user: Actor, limit: int | None = None) -> list[dict]:
    """What ``user`` did lately: their own rows of the audit trail, newest first, each linked to its
    subject's page (the page still asks its app's access module). One query."""
    from office.audit.models import AuditEvent

    access.my_work_access(actor=user)
    limit = limit or conf.recent_actions()
    rows = (
        AuditEvent.objects.filter(actor_id=getattr(user, "pk", None))
        .select_related("subject_type")
        .only("created_at", "verb", "subject_type", "subject_id", "subject_repr")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        {
            "at": e.created_at,
            "label": _verb_label(e.verb),
            "subject": e.subject_repr,
            "url": subject_url(e.subject_type, e.subject_id),
        }
        for e in rows
    ]
