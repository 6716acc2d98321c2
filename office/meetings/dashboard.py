"""What 办会 contributes to the director's dashboard (meetings today and tomorrow with readiness, late
checklist items) and to everyone's "my work" (my checklist items, receipts to answer). Built from the
app's own selectors, scoped by ``access``; the query count does not grow with the meetings."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.dashboard.registry import WorkItem, register_my_work, register_panel

from . import access, selectors
from .models import ChecklistItem, MeetingStatus, Receipt, Response


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# a meeting's papers and minutes are documents
MEETINGS_READS = ("meetings", "documents")


@register_panel(
    "meetings", title=_("会议"), template="meetings/_dashboard_panel.html", order=50, reads=MEETINGS_READS
)
def meetings_panel(actor, now):
    if not access.is_office_staff(actor):
        return None
    today = timezone.localtime(now).date()
    meetings = selectors.calendar_for_user(
        user=actor, start=_day_start(today), end=_day_start(today + dt.timedelta(days=2))
    )
    meetings = [m for m in meetings if m.status != MeetingStatus.CANCELLED]
    visible = selectors.meeting_list_for_user(user=actor).exclude(status=MeetingStatus.CANCELLED)
    late = list(
        ChecklistItem.objects.filter(
            meeting__in=visible.filter(ends_at__gte=now).values("pk"), done_at__isnull=True, due_at__lt=now
        )
        .select_related("meeting", "owner__staff")
        .order_by("due_at")[:8]
    )
    return {
        "today": [m for m in meetings if timezone.localtime(m.starts_at).date() == today],
        "tomorrow": [m for m in meetings if timezone.localtime(m.starts_at).date() != today],
        "late": late,
        "calendar_url": reverse("meetings:calendar"),
    }


@register_my_work("meetings", reads=MEETINGS_READS)
def meetings_work(actor, now) -> list[WorkItem]:
    user = access._user(actor)
    items: list[WorkItem] = []
    if user is not None:
        for item in (
            ChecklistItem.objects.filter(owner=user, done_at__isnull=True, meeting__ends_at__gte=now)
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .select_related("meeting")[:20]
        ):
            items.append(
                WorkItem(
                    "meetings",
                    str(_("会务")),
                    f"{item.meeting.title}：{item.name}",
                    item.get_absolute_url(),
                    item.due_at,
                    overdue=item.due_at < now,
                    urgent=item.needs_devices,
                )
            )
    unit = access.external_unit(actor)
    receipts = Receipt.objects.filter(response=Response.PENDING, meeting__starts_at__gt=now).exclude(
        meeting__status=MeetingStatus.CANCELLED
    )
    if unit is not None:
        receipts = receipts.filter(unit=unit)
    elif user is not None:
        receipts = receipts.filter(person=user)
    else:
        receipts = receipts.none()
    for r in receipts.select_related("meeting__notice")[:20]:
        deadline = r.meeting.notice.deadline
        items.append(
            WorkItem(
                "meetings",
                str(_("回执")),
                r.meeting.title,
                reverse("meetings:receipt", kwargs={"pk": r.pk}),
                deadline,
                overdue=deadline < now,
            )
        )
    return items
