"""The weekly briefing (每周工作简报) for the director: last week and the week ahead, one to two pages.

Built from the sections the apps registered (``register_briefing``), each from its own selectors and
scoped by the reader; laid out as a ``DocumentLayout`` (an internal paper: the office's mark, no number,
no 签发人, no seal), rendered to .docx by the documents renderer and to PDF by LibreOffice.

The Monday task sends it on the first working day of the week on the office's working-day calendar
(a Monday holiday moves it to the Tuesday; a week without a working day has none) at
``DASHBOARD_BRIEFING_HOUR``; one ``WeeklyBriefing`` row per week makes a second run send nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.rendering import DocumentLayout, break_title, render_docx
from office.audit.services import audit_record
from office.conf import office_setting
from office.org.types import Actor
from office.workdays.services import is_working_day

from .. import access
from ..models import WeeklyBriefing
from ..registry import briefing_sections

NUMBERS = "一二三四五六七八九十"


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def first_working_day_of_week(day: dt.date) -> dt.date | None:
    """The first working day of ``day``'s week (Monday … Sunday), or None for a week with none."""
    monday = week_start_of(day)
    for i in range(7):
        d = monday + dt.timedelta(days=i)
        if is_working_day(d):
            return d
    return None


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def briefing_content(*, actor: Actor, week_start: dt.date) -> dict:
    """The briefing of the week starting on ``week_start`` (a Monday): "last week" is the seven days
    before it, "the week ahead" the seven days from it."""
    access.briefing_access(actor=actor)
    week_start = week_start_of(week_start)
    start, end = _midnight(week_start - dt.timedelta(days=7)), _midnight(week_start)
    ahead_end = _midnight(week_start + dt.timedelta(days=7))
    sections = []
    for _code, build in briefing_sections():
        section = build(actor, start, end, ahead_end)
        if section:
            sections.append(section)
    return {
        "week_start": week_start,
        "last_from": week_start - dt.timedelta(days=7),
        "last_to": week_start - dt.timedelta(days=1),
        "ahead_to": week_start + dt.timedelta(days=6),
        "sections": sections,
    }


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def briefing_title(week_start: dt.date) -> str:
    return _("每周工作简报（%(date)s）") % {"date": _cn_date(week_start)}


def briefing_layout(content: dict) -> DocumentLayout:
    office = office_setting("OFFICE_NAME", "市委办公室")
    week_start = content["week_start"]
    body = [
        _("%(a)s至%(b)s工作情况及%(c)s至%(d)s工作安排如下：")
        % {
            "a": _cn_date(content["last_from"]),
            "b": _cn_date(content["last_to"]),
            "c": _cn_date(week_start),
            "d": _cn_date(content["ahead_to"]),
        }
    ]
    if not content["sections"]:
        body.append(_("上周无事项记录，本周无到期事项。"))
    for i, section in enumerate(content["sections"]):
        body.append(f"{NUMBERS[i % len(NUMBERS)]}、{section['title']}")
        body.append(_("（一）上周情况"))
        body += [f"{n}. {line}" for n, line in enumerate(section["last_week"], 1)] or [_("无。")]
        body.append(_("（二）本周安排"))
        body += [f"{n}. {line}" for n, line in enumerate(section["week_ahead"], 1)] or [_("无。")]
    title = briefing_title(week_start)
    return DocumentLayout(
        template="notice",
        issuing_mark=office,
        title_lines=break_title(title),
        main_recipients=_("办公室主任"),
        body=tuple(line for line in body if line.strip()),
        signature=office,
        date=week_start,
        seal=False,
        printed_by=office,
        printed_on=week_start,
        filename=title,
    )


def briefing_docx(*, actor: Actor, week_start: dt.date) -> tuple[bytes, str]:
    """The briefing as a document: in the office's language (Chinese) whatever the page's language, as
    every official document (docs/i18n.md); the page itself shows the same content translated."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        layout = briefing_layout(briefing_content(actor=actor, week_start=week_start))
        return render_docx(layout), f"{layout.filename}.docx"


def briefing_pdf(*, actor: Actor, week_start: dt.date) -> tuple[bytes, str]:
    from documents.pdf import docx_to_pdf

    data, name = briefing_docx(actor=actor, week_start=week_start)
    return docx_to_pdf(data), name[: -len(".docx")] + ".pdf"


def _directors():
    from office.org.models import Role
    from office.org.selectors import users_with_role

    return list(users_with_role(Role.DIRECTOR).filter(is_active=True).order_by("pk"))


@transaction.atomic
def briefing_send(*, now: dt.datetime | None = None, force: bool = False) -> WeeklyBriefing | None:
    """Send this week's briefing to the director's inbox, once: on the first working day of the week
    at or after the briefing hour (``force`` skips both checks: the admin's "send now"). Returns the
    week's row, or None when it is not the moment."""
    from office.notifications.services import notify

    from .. import conf

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not force:
        if not conf.briefing_enabled() or first_working_day_of_week(today) != today:
            return None
        if timezone.localtime(now).hour < conf.briefing_hour():
            return None
    week_start = week_start_of(today)
    briefing, _created = WeeklyBriefing.objects.select_for_update().get_or_create(week_start=week_start)
    if briefing.sent_at is not None:
        return briefing
    directors = _directors()
    # Each director's sections as he may read them: the first director's view (there is one).
    reader = directors[0] if directors else None
    content = briefing_content(actor=reader, week_start=week_start)
    lines = [f"{s['title']}：{s['last_week'][0]}" for s in content["sections"] if s["last_week"]]
    url = reverse("dashboard:briefing") + f"?week={week_start.isoformat()}"
    notify(
        recipients=directors,
        subject=briefing,
        step="weekly",
        title=briefing_title(week_start),
        body="\n".join(lines)[:2000],
        url=url,
        level="info",
    )
    briefing.sent_at = now
    briefing.recipients = len(directors)
    briefing.save(update_fields=["sent_at", "recipients"])
    audit_record(
        actor=None,
        actor_label=_("时钟"),
        verb="dashboard.briefing_sent",
        subject=briefing,
        data={"week_start": week_start.isoformat(), "recipients": len(directors)},
    )
    return briefing
