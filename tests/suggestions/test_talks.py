"""One-on-one talks: scheduled, accepted or moved; the notes for the director and the person only —
not a deputy, not the admin site, not the audit page."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from office.audit.models import AuditEvent
from office.errors import Forbidden, NotFound
from suggestions.models import TalkStatus
from suggestions.selectors import talk_notes_for_user
from suggestions.services.common import SuggestionError
from suggestions.services.talks import talk_followup, talk_respond, talk_schedule, talk_write_notes

pytestmark = pytest.mark.django_db

NOTES = "王一反映家中老人生病，希望调整值班安排"


@pytest.fixture
def talk(office):
    return talk_schedule(
        actor=office.director,
        person=office.one,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        place="主任办公室",
        topics="个人困难",
    )


def test_the_person_accepts_or_proposes_another_time(office, talk):
    with pytest.raises(SuggestionError, match="建议的谈话时间"):
        talk_respond(actor=office.one, talk=talk, accept=False)
    talk = talk_respond(
        actor=office.one, talk=talk, accept=False, proposed_at=timezone.now() + dt.timedelta(days=3)
    )
    assert talk.status == TalkStatus.RESCHEDULE
    with pytest.raises(Forbidden, match="只有谈话对象"):
        talk_respond(actor=office.director, talk=talk, accept=True)
    assert talk_respond(actor=office.one, talk=talk, accept=True).status == TalkStatus.ACCEPTED


def test_the_notes_are_invisible_to_a_deputy_the_admin_and_the_audit_page(office, talk):
    talk_write_notes(actor=office.director, talk=talk, text=NOTES)
    assert talk_notes_for_user(user=office.director, talk=talk) == NOTES
    assert talk_notes_for_user(user=office.one, talk=talk) == NOTES
    with pytest.raises(NotFound):
        talk_notes_for_user(user=office.deputy, talk=talk)
    client = Client()
    client.force_login(office.one)
    assert NOTES in client.get(f"/suggestions/talks/{talk.pk}/").content.decode()
    client.force_login(office.deputy)
    assert client.get(f"/suggestions/talks/{talk.pk}/").status_code == 404
    assert NOTES not in client.get("/suggestions/talks/").content.decode()
    assert NOTES not in client.get("/audit/").content.decode()
    # audit rows name the talk, never the notes' text
    row = AuditEvent.objects.get(verb="suggestions.talk_notes_written")
    assert NOTES not in str(row.data) and NOTES not in row.subject_repr
    client.force_login(office.director)
    assert NOTES not in client.get("/audit/").content.decode()
    superuser = User.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(superuser)
    for url in ("/admin/suggestions/talk/", f"/admin/suggestions/talk/{talk.pk}/change/", "/admin/"):
        r = client.get(url)
        assert r.status_code == 200
        assert NOTES not in r.content.decode()
    assert client.get("/admin/suggestions/talknote/").status_code == 404


def test_only_the_talks_director_writes_notes(office, talk):
    with pytest.raises(Forbidden, match="只有主任"):
        talk_write_notes(actor=office.one, talk=talk, text="我自己写")
    with pytest.raises(NotFound):
        talk_write_notes(actor=office.deputy, talk=talk, text="副主任写")


def test_a_follow_up_becomes_an_internal_assignment(office, talk):
    from supervision.selectors import item_get_for_user

    row = talk_followup(actor=office.director, talk=talk, title="调整王一的值班安排", assignee=office.deputy)
    item = item_get_for_user(user=office.director, id=row.supervision_item_id)
    assert item.assignee_id == office.deputy.pk and item.title == "调整王一的值班安排"
    assert NOTES not in item.requirement
