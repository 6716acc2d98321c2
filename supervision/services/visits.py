"""Site visits (实地督查): time, place, people met, findings, photos."""

from django.db import transaction
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.files.validation import check_upload
from office.org.types import Actor

from ..models import (
    SiteVisit,
    SiteVisitPhoto,
    Status,
    SupervisionItem,
)
from .common import (
    SupervisionError,
    actor_user,
    checked_item,
    notify_director,
)


@transaction.atomic
def site_visit_log(
    *,
    actor: Actor,
    item: SupervisionItem | int,
    visited_at,
    place: str,
    people_met: str,
    findings: str,
    photos=(),
) -> SiteVisit:
    """实地督查: time, place, people met, findings, photos (each checked by content and size before
    anything is written, stored under a random name, its original name kept)."""
    item = checked_item(actor=actor, item=item, action="visit")
    if item.status == Status.DRAFT:
        raise SupervisionError(_("事项尚未交办。"))
    photos = list(photos)
    checked = [check_upload(photo, field="photos") for photo in photos]
    visit = SiteVisit(
        item=item,
        visited_at=visited_at,
        place=place,
        people_met=people_met,
        findings=findings,
        created_by=actor_user(actor),
    )
    visit.full_clean()
    visit.save()
    for upload in checked:
        SiteVisitPhoto.objects.create(visit=visit, file=upload.file, name=upload.original_name)
    audit_record(
        actor=actor,
        verb="supervision.site_visit_logged",
        subject=item,
        data={"visit": visit.pk, "place": place, "photos": len(photos)},
    )
    notify_director(
        item,
        step=f"visit:{visit.pk}",
        title=_("{number}实地督查情况").format(number=item.number),
        body=findings[:200],
    )
    return visit
