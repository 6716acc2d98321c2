"""What the information services share: the error type, row locks and the acting person."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from office.errors import ServiceError, not_found
from office.org.principals import UnitPrincipal
from office.org.types import Actor

from ..models import InfoReport


class InformationError(ServiceError):
    """A rule of 信息报送 was broken; the message is for a clerk."""


def locked_report(report) -> InfoReport:
    pk = report.pk if isinstance(report, InfoReport) else report
    # the report alone: locking its unit too would queue every report of the unit behind each other
    row = InfoReport.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=pk).first()
    if row is None:
        raise not_found()
    return row


def person(actor: Actor) -> User | None:
    """The user whose name goes on the record; None for an API key or the system."""
    return actor if isinstance(actor, User) else None


def actor_label(actor: Actor) -> str:
    if isinstance(actor, UnitPrincipal):
        return str(actor)
    if isinstance(actor, User):
        staff = getattr(actor, "staff", None)
        return getattr(staff, "name", "") or actor.get_username()
    return _("系统")


def check_version(report: InfoReport, version) -> None:
    if version is None or str(version) == "":
        return
    if int(version) != report.version:
        raise InformationError(_("这条信息已被他人修改，请刷新页面后重试。"), code="conflict")
