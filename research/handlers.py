"""Clock wiring of 政研: recipient resolvers and ladder actions the admin-editable ladder templates
``research-milestone`` and ``research-call`` name, and the call's deadline timer. They run inside the
tick's transaction and are idempotent (notify dedupes on subject, step and recipient)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.clock.registry import ladder_action, recipient_resolver, timer_handler
from office.notifications.services import notify
from office.org.models import Role, Unit
from office.org.selectors import deputies_in_charge_of, users_with_role

from . import conf
from .models import CallStatus, TopicCall, TopicMilestone, TopicStatus


def _open_milestone(subject) -> bool:
    return (
        isinstance(subject, TopicMilestone)
        and subject.done_at is None
        and subject.topic.status == TopicStatus.IN_PROGRESS
    )


@recipient_resolver("research_lead")
def _lead(subject) -> list:
    if isinstance(subject, TopicMilestone):
        return [subject.topic.lead]
    return []


@recipient_resolver("research_deputy")
def _deputy(subject) -> list:
    """The deputy director in charge of the 政研室 (the lead's section, else the configured unit); the
    deputies when nobody is in charge of it."""
    units = []
    if isinstance(subject, TopicMilestone):
        staff = getattr(subject.topic.lead, "staff", None)
        if staff is not None:
            units.append(staff.unit)
    configured = Unit.objects.filter(code=conf.section_code()).first()
    if configured is not None:
        units.append(configured)
    for unit in units:
        found = [s.user for s in deputies_in_charge_of(unit)]
        if found:
            return found
    return list(users_with_role(Role.DEPUTY_DIRECTOR))


@recipient_resolver("research_call_audience")
def _call_audience(subject) -> list:
    """The units' liaisons and the office's section chiefs: those who propose for their units."""
    if not isinstance(subject, TopicCall) or subject.status != CallStatus.OPEN:
        return []
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(groups__name__in=[Role.EXTERNAL_UNIT, Role.SECTION_CHIEF], is_active=True)
        .distinct()
        .order_by("pk")
    )


@ladder_action("research.milestone_due")
def milestone_due(subject, step, recipients) -> None:
    """The lead at the due time, then the deputy in charge: only while the milestone is open."""
    if not _open_milestone(subject) or not recipients:
        return
    topic = subject.topic
    due = timezone.localtime(subject.due_at).strftime("%m月%d日")
    if step.order == 0:
        title = _("课题“%(topic)s”的%(ms)s节点今天（%(due)s）到期，请按期完成") % {
            "topic": topic.title,
            "ms": subject.get_kind_display(),
            "due": due,
        }
    else:
        title = _("课题“%(topic)s”的%(ms)s节点已逾期（期限 %(due)s），请督促牵头人员") % {
            "topic": topic.title,
            "ms": subject.get_kind_display(),
            "due": due,
        }
    notify(
        recipients=recipients,
        subject=subject,
        step=f"milestone:{step.ladder_id}:{step.order}",
        title=title,
        url=reverse("research:topic", kwargs={"pk": topic.pk}),
        level="warning" if step.order == 0 else "urgent",
    )


@ladder_action("research.call_remind")
def call_remind(subject, step, recipients) -> None:
    if not isinstance(subject, TopicCall) or subject.status != CallStatus.OPEN or not recipients:
        return
    if timezone.now() > subject.deadline:
        return
    notify(
        recipients=recipients,
        subject=subject,
        step=f"call:{step.ladder_id}:{step.order}",
        title=_("“%(title)s”将于 %(at)s 截止，请及时提出选题建议")
        % {
            "title": subject.title,
            "at": timezone.localtime(subject.deadline).strftime("%m月%d日 %H:%M"),
        },
        url=reverse("research:call", kwargs={"pk": subject.pk}),
    )


@timer_handler("research.call_deadline")
def call_deadline(timer) -> None:
    """At the deadline the call closes and the 政研室 is told to build the plan."""
    from .services.calls import call_close

    call = TopicCall.objects.filter(pk=timer.subject_id).first()
    if call is None or call.status != CallStatus.OPEN:
        return
    call_close(actor=None, call=call)
    notify(
        recipients=users_with_role(Role.RESEARCHER),
        subject=call,
        step="call:closed",
        title=_("“%(title)s”已截止，共收到选题建议 %(n)s 条，请汇总编制年度计划")
        % {
            "title": call.title,
            "n": call.proposals.count(),
        },
        url=reverse("research:call", kwargs={"pk": call.pk}),
    )
