"""Need-to-know for documents: 秘密 and above reach only the drafter, signers, named readers and roles
that clear the level, through every read (list, search, count, export, detail, docx), and each such
read is logged; sign-off is the signer's alone."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from documents.access import (
    can_grant,
    can_sign_off,
    document_access_for_action,
    document_permissions,
    document_scope,
)
from documents.models import Classification, DocStatus, Document
from documents.selectors import document_get_for_user, document_list_for_user
from documents.services import (
    DocumentError,
    document_grant_read,
    document_issue_directly,
    document_publish,
    document_sign_off,
    document_submit_for_review,
)
from office.audit.models import AccessLog, AuditEvent
from office.errors import Forbidden, NotFound
from office.org.models import Role, UnitAPIKey
from office.org.principals import UnitPrincipal
from tests.factories import UnitFactory, make_user

from .factories import make_document

pytestmark = pytest.mark.django_db

SECRET_TITLE = "关于某某专项工作的绝对机密部署"


@pytest.fixture
def drafter(db):
    return make_user(Role.STAFF)


@pytest.fixture
def other_staff(db):
    return make_user(Role.STAFF)


@pytest.fixture
def deputy(db):
    return make_user(Role.DEPUTY_DIRECTOR)


@pytest.fixture
def secret_doc(drafter):
    return make_document(
        actor=drafter, title=SECRET_TITLE, classification=Classification.SECRET, prefix="市委办密"
    )


def _publish(doc, director):
    document_submit_for_review(actor=director, document=doc)
    document_sign_off(actor=director, document=doc, opinion="同意。")
    return document_publish(actor=director, document=doc)


def _visible_pks(user, **filters):
    return set(document_list_for_user(user=user, **filters).values_list("pk", flat=True))


def _export_titles(client):
    resp = client.get("/documents/export.xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.content)).active
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


# --- scope: list, search, count, export, detail, docx -------------------------------------------


def test_secret_document_is_absent_from_other_staffs_list_search_count_and_export(
    client, secret_doc, other_staff
):
    internal = make_document(title="关于某某专项工作的通知", classification=Classification.INTERNAL)
    assert _visible_pks(other_staff) == {internal.pk}
    assert _visible_pks(other_staff, q="专项工作") == {internal.pk}
    assert _visible_pks(other_staff, q=secret_doc.number) == set()

    client.force_login(other_staff)
    page = client.get("/documents/list/", {"q": "专项工作"})
    assert page.status_code == 200
    html = page.content.decode()
    assert internal.title in html
    assert SECRET_TITLE not in html and secret_doc.number not in html
    assert page.context["total"] == 1
    assert _export_titles(client) == [internal.title]


def test_secret_document_detail_and_docx_answer_404_to_other_staff(client, secret_doc, other_staff):
    client.force_login(other_staff)
    for url in (f"/documents/{secret_doc.pk}/", f"/documents/{secret_doc.pk}/docx"):
        resp = client.get(url)
        assert resp.status_code == 404
        assert SECRET_TITLE not in resp.content.decode(errors="ignore")
    with pytest.raises(NotFound):
        document_get_for_user(user=other_staff, id=secret_doc.pk)
    with pytest.raises(NotFound):
        document_access_for_action(actor=other_staff, document=secret_doc, action="view")
    assert AccessLog.objects.count() == 0


def test_secret_document_is_visible_to_drafter_named_reader_and_cleared_director(
    client, secret_doc, drafter, other_staff, director
):
    reader = make_user(Role.STAFF)
    document_grant_read(actor=drafter, document=secret_doc, users=[reader])
    for user in (drafter, reader, director):
        assert secret_doc.pk in _visible_pks(user), user
        assert secret_doc.pk in _visible_pks(user, q="绝对机密")
        client.force_login(user)
        assert client.get(f"/documents/{secret_doc.pk}/").status_code == 200
        assert SECRET_TITLE in _export_titles(client)
    assert secret_doc.pk not in _visible_pks(other_staff)


def test_reads_of_a_secret_document_are_logged_with_who_how_and_where(client, secret_doc, drafter):
    client.force_login(drafter)
    assert client.get(f"/documents/{secret_doc.pk}/", REMOTE_ADDR="10.1.2.3").status_code == 200
    resp = client.get(f"/documents/{secret_doc.pk}/docx", REMOTE_ADDR="10.1.2.4")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    client.get("/documents/export.xlsx", REMOTE_ADDR="10.1.2.5")
    rows = list(AccessLog.objects.order_by("id").values_list("actor", "action", "ip", "subject_id"))
    assert rows == [
        (drafter.pk, "view", "10.1.2.3", str(secret_doc.pk)),
        (drafter.pk, "download", "10.1.2.4", str(secret_doc.pk)),
        (drafter.pk, "export", "10.1.2.5", str(secret_doc.pk)),
    ]
    assert set(AccessLog.objects.values_list("classification", flat=True)) == {Classification.SECRET}


def test_reads_of_internal_and_public_documents_write_no_access_log(client, other_staff):
    internal = make_document(classification=Classification.INTERNAL)
    public = make_document(classification=Classification.PUBLIC)
    client.force_login(other_staff)
    for doc in (internal, public):
        assert client.get(f"/documents/{doc.pk}/").status_code == 200
        assert client.get(f"/documents/{doc.pk}/docx").status_code == 200
    assert len(_export_titles(client)) == 2
    assert AccessLog.objects.count() == 0


def test_top_secret_document_is_invisible_to_deputy_director_unless_named(client, drafter, deputy, director):
    top = make_document(actor=drafter, title="绝密事项", classification=Classification.TOP_SECRET)
    secret = make_document(actor=drafter, title="秘密事项", classification=Classification.SECRET)
    # the deputy's role clears 秘密 but not 绝密
    assert _visible_pks(deputy) == {secret.pk}
    client.force_login(deputy)
    assert client.get(f"/documents/{top.pk}/").status_code == 404
    document_grant_read(actor=director, document=top, users=[deputy])
    assert _visible_pks(deputy) == {secret.pk, top.pk}
    assert client.get(f"/documents/{top.pk}/").status_code == 200


def test_superuser_is_not_exempt_from_need_to_know(secret_doc):
    admin = make_user(Role.STAFF, user__is_superuser=True, user__is_staff=True)
    internal = make_document()
    assert _visible_pks(admin) == {internal.pk}


def test_clearance_follows_the_setting(settings, secret_doc, other_staff):
    settings.DOCUMENTS_CLEARANCE = {"secret": [Role.STAFF], "confidential": [], "top_secret": []}
    assert _visible_pks(other_staff) == {secret_doc.pk}


def test_grant_by_group_object_permission_opens_the_document(secret_doc, other_staff):
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    group = Group.objects.create(name="专项工作组")
    other_staff.groups.add(group)
    assert secret_doc.pk not in _visible_pks(other_staff)
    assign_perm("documents.view_document", group, secret_doc)
    assert secret_doc.pk in _visible_pks(other_staff)


def test_external_unit_never_sees_a_classified_document_even_published_to_all(director):
    unit = UnitFactory(name="甲镇", code="town-a")
    liaison = make_user(Role.EXTERNAL_UNIT, unit=unit)
    api_key, _ = UnitAPIKey.objects.create_key(name="甲镇系统", unit=unit)
    principal = UnitPrincipal(api_key)
    open_doc = _publish(make_document(to_all_units=True, classification=Classification.PUBLIC), director)
    classified = _publish(
        make_document(to_all_units=True, recipient_units=[unit], classification=Classification.SECRET),
        director,
    )
    assert classified.status == DocStatus.PUBLISHED
    for actor in (liaison, principal):
        assert _visible_pks(actor) == {open_doc.pk}
        with pytest.raises(NotFound):
            document_get_for_user(user=actor, id=classified.pk)
    # a named reader must be office staff, so the door cannot be opened by naming the liaison
    with pytest.raises(DocumentError, match="只能指定机关工作人员"):
        document_grant_read(actor=director, document=classified, users=[liaison])
    assert _visible_pks(liaison) == {open_doc.pk}


def test_user_without_any_role_sees_no_documents():
    nobody = make_user()
    make_document(classification=Classification.PUBLIC)
    assert _visible_pks(nobody) == set()


# --- sign-off and the system ---------------------------------------------------------------------


def test_sign_off_by_staff_member_is_refused_in_the_service(drafter):
    doc = make_document(actor=drafter)
    document_submit_for_review(actor=drafter, document=doc)
    with pytest.raises(Forbidden, match="只有签发领导可以签发公文"):
        document_sign_off(actor=drafter, document=doc, opinion="同意。")
    doc.refresh_from_db()
    assert doc.status == DocStatus.IN_REVIEW and doc.signer is None
    assert not AuditEvent.objects.filter(verb="documents.document_signed").exists()
    assert can_sign_off(drafter, doc) is False


def test_sign_off_by_staff_member_is_refused_on_the_page_with_403(client, drafter):
    doc = make_document(actor=drafter)
    document_submit_for_review(actor=drafter, document=doc)
    client.force_login(drafter)
    page = client.get(f"/documents/{doc.pk}/")
    assert page.context["can"]["sign_off"] is False
    assert f"/documents/{doc.pk}/sign-off" not in page.content.decode()
    resp = client.post(f"/documents/{doc.pk}/sign-off", {"opinion": "同意。"})
    assert resp.status_code == 403
    doc.refresh_from_db()
    assert doc.status == DocStatus.IN_REVIEW


def test_sign_off_by_director_is_accepted_on_the_page_and_grants_him_reading(client, drafter, director):
    doc = make_document(actor=drafter, classification=Classification.SECRET)
    document_submit_for_review(actor=drafter, document=doc)
    client.force_login(director)
    page = client.get(f"/documents/{doc.pk}/")
    assert page.context["can"]["sign_off"] is True
    resp = client.post(f"/documents/{doc.pk}/sign-off", {"opinion": "同意。"})
    assert resp.status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocStatus.SIGNED and doc.signer == director
    assert director.has_perm("documents.view_document", doc)


def test_sign_off_of_an_invisible_document_answers_404_not_403(client, secret_doc, drafter, other_staff):
    document_submit_for_review(actor=drafter, document=secret_doc)
    client.force_login(other_staff)
    assert client.post(f"/documents/{secret_doc.pk}/sign-off", {"opinion": "同意。"}).status_code == 404


def test_system_issues_a_notice_directly_but_never_signs_off_alone():
    notice = make_document(actor=None, recipient_units=[UnitFactory(code="town-x")])
    doc = document_issue_directly(actor=None, document=notice, opinion="按督查督办工作规定发出督办通知。")
    assert doc.status == DocStatus.PUBLISHED and doc.signer is None

    draft = make_document(actor=None)
    document_submit_for_review(actor=None, document=draft)
    with pytest.raises(Forbidden, match="不能代替签发人签发"):
        document_sign_off(actor=None, document=draft, opinion="同意。")
    draft.refresh_from_db()
    assert draft.status == DocStatus.IN_REVIEW


def test_staff_member_may_not_issue_directly(drafter):
    doc = make_document(actor=drafter)
    with pytest.raises(Forbidden):
        document_issue_directly(actor=drafter, document=doc, opinion="同意。")
    doc.refresh_from_db()
    assert doc.status == DocStatus.DRAFT


def test_only_drafter_or_signer_submits_and_only_signer_publishes(drafter, other_staff, director):
    doc = make_document(actor=drafter)
    with pytest.raises(Forbidden, match="只有拟稿人或签发人"):
        document_submit_for_review(actor=other_staff, document=doc)
    document_submit_for_review(actor=drafter, document=doc)
    document_sign_off(actor=director, document=doc, opinion="同意。")
    with pytest.raises(Forbidden, match="只有文书人员或签发人可以印发"):
        document_publish(actor=drafter, document=doc)
    assert document_publish(actor=director, document=doc).status == DocStatus.PUBLISHED


def test_external_unit_may_not_draft_a_document(unit_a):
    liaison = make_user(Role.EXTERNAL_UNIT, unit=unit_a)
    with pytest.raises(Forbidden):
        make_document(actor=liaison)
    assert Document.objects.count() == 0


# --- naming readers ------------------------------------------------------------------------------


def test_named_readers_by_drafter_are_audited(drafter, secret_doc):
    reader = make_user(Role.STAFF)
    document_grant_read(actor=drafter, document=secret_doc, users=[reader])
    event = AuditEvent.objects.get(verb="documents.document_readers_granted")
    assert event.actor == drafter and event.data["users"] == [reader.get_username()]


def test_staff_who_may_see_a_document_but_is_not_its_drafter_may_not_name_readers(drafter, other_staff):
    doc = make_document(actor=drafter, classification=Classification.INTERNAL)
    with pytest.raises(Forbidden, match="只有拟稿人、签发人或机要科负责人"):
        document_grant_read(actor=other_staff, document=doc, users=[other_staff])
    assert can_grant(other_staff, doc) is False


def test_staff_who_cannot_see_a_secret_document_gets_not_found_on_grant(secret_doc, other_staff):
    with pytest.raises(NotFound):
        document_grant_read(actor=other_staff, document=secret_doc, users=[other_staff])
    assert secret_doc.pk not in _visible_pks(other_staff)


def test_confidential_section_chief_may_name_readers_of_what_he_sees(settings, secret_doc):
    jiyao = UnitFactory(name="机要科", code="jiyao")
    chief = make_user(Role.SECTION_CHIEF, unit=jiyao)
    other_chief = make_user(Role.SECTION_CHIEF)
    settings.DOCUMENTS_CLEARANCE = {"secret": [Role.SECTION_CHIEF], "confidential": [], "top_secret": []}
    assert document_permissions(chief, secret_doc)["grant"] is True
    # a section chief is a 文书 (DOCUMENT_CLERK_ROLES): registers, publishes, archives; names no readers
    assert document_permissions(other_chief, secret_doc) == {
        "view": True,
        "download": True,
        "export": True,
        "submit": False,
        "sign_off": False,
        "issue_directly": False,
        "publish": True,
        "grant": False,
        "edit": False,
        "configure": False,
        "comment": True,
        "remind": False,
        "register": True,
        "withdraw": True,
        "archive": True,
        "acknowledge": False,
    }


def test_grant_form_on_the_page_names_a_reader(client, secret_doc, drafter, other_staff):
    client.force_login(drafter)
    page = client.get(f"/documents/{secret_doc.pk}/")
    assert 'data-testid="grant-readers"' in page.content.decode()
    resp = client.post(f"/documents/{secret_doc.pk}/readers", {"users": [other_staff.pk]})
    assert resp.status_code == 302
    client.force_login(other_staff)
    assert client.get(f"/documents/{secret_doc.pk}/").status_code == 200


def test_grant_form_post_by_a_non_granting_reader_is_refused_with_403(client, drafter, other_staff):
    doc = make_document(actor=drafter, classification=Classification.SECRET)
    document_grant_read(actor=drafter, document=doc, users=[other_staff])
    intruder = make_user(Role.STAFF)
    client.force_login(other_staff)
    page = client.get(f"/documents/{doc.pk}/")
    assert 'data-testid="grant-readers"' not in page.content.decode()
    assert client.post(f"/documents/{doc.pk}/readers", {"users": [intruder.pk]}).status_code == 403
    assert doc.pk not in _visible_pks(intruder)


# --- queries do not grow with rows ---------------------------------------------------------------


def _list_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/documents/list/").status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(client, drafter, django_assert_max_num_queries):
    reader = make_user(Role.STAFF)
    for level in (Classification.SECRET, Classification.INTERNAL):
        document_grant_read(
            actor=drafter, document=make_document(actor=drafter, classification=level), users=[reader]
        )
    few = _list_queries(client, reader)
    for i in range(15):
        doc = make_document(actor=drafter, classification=Classification.SECRET, title=f"秘密{i}")
        document_grant_read(actor=drafter, document=doc, users=[reader])
        make_document(classification=Classification.INTERNAL, title=f"内部{i}")
    assert _list_queries(client, reader) == few
    with django_assert_max_num_queries(few):
        client.get("/documents/list/")


def test_scope_is_one_query(secret_doc, drafter, django_assert_num_queries):
    make_document(actor=drafter, classification=Classification.TOP_SECRET)
    fresh = type(drafter).objects.get(pk=drafter.pk)  # no role cache: the roles query is part of the price
    with django_assert_num_queries(2):  # the actor's roles, then the documents
        docs = list(document_scope(actor=fresh, qs=Document.objects.all()))
    assert len(docs) == 2
