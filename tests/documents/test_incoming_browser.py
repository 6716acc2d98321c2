"""The incoming flow in Debian's chromium: a clerk signs a document in with its file, a leader writes
the 批示 (an empty one is refused next to the form), the clerk assigns it, and the supervision office
turns the 批示 into an item whose number and status then show on the incoming page."""

import pytest
from django.test import Client

from documents.incoming.models import IncomingDocument, IncomingStatus
from office.org.models import Role, UnitKind
from supervision.models import SupervisionItem
from tests.browser.conftest import browser, signed_in_context  # noqa: F401  (browser is a fixture)
from tests.documents.incoming_factories import PDF_BYTES
from tests.factories import UnitFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, user):  # noqa: F811
    client = Client()
    client.force_login(user)
    context = signed_in_context(browser, live_server, client)
    return context, context.new_page()


def test_sign_in_instruct_assign_and_turn_into_a_supervision_item_in_the_browser(
    browser,  # noqa: F811
    live_server,
    tmp_path,
):
    clerk = make_user(Role.STAFF, unit=UnitFactory(code="wenshu", kind=UnitKind.SECTION), name="文书张")
    leader = make_user(Role.DEPUTY_DIRECTOR, name="李志强")
    unit = UnitFactory(code="zjj", name="市住房和城乡建设局")
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(PDF_BYTES)

    context, page = _as(browser, live_server, clerk)
    page.goto(f"{live_server.url}/documents/incoming/new")
    page.select_option("#id_channel", "courier")
    page.fill("#id_title", "关于老旧小区改造进度滞后的情况报告")
    page.fill("#id_issuing_body", "市住房和城乡建设局")
    page.fill("#id_their_number", "市住建报〔2026〕3号")
    page.set_input_files("#id_file", str(pdf))
    page.click("[data-testid=incoming-submit]")
    page.wait_for_selector("[data-testid=action-check]")
    doc = IncomingDocument.objects.get()
    assert page.locator("[data-testid=incoming-title]").inner_text().startswith(doc.serial)
    page.click("[data-testid=action-check]")
    page.wait_for_selector("[data-testid=action-propose]")
    page.fill("#id_proposal", "拟请李志强副主任阅示。")
    page.click("[data-testid=action-propose]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=incoming-status]').innerText === '待批示'"
    )
    context.close()

    context, page = _as(browser, live_server, leader)
    page.goto(f"{live_server.url}{doc.get_absolute_url()}")
    # an empty 批示: the browser's own check is skipped so that the server's message is seen
    page.eval_on_selector("#id_instruction", "el => el.removeAttribute('required')")
    page.click("[data-testid=action-instruct]")
    alert = page.locator("#h-actions ~ .card-body .alert, .card-body .alert").first
    alert.wait_for()
    assert "批示内容" in alert.inner_text()
    page.fill("#id_instruction", "请市住建局于月底前拿出整改方案，督办室跟踪督办。")
    page.click("[data-testid=action-instruct]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=incoming-status]').innerText === '待交办'"
    )
    # a deputy is a 收文 clerk too: the assignment, to the unit
    page.select_option("#id_handler_unit", str(unit.pk))
    page.click("[data-testid=action-assign]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=incoming-status]').innerText === '办理中'"
    )
    # and a supervision manager: 转督办
    page.click("[data-testid=action-to-supervision]")
    page.wait_for_selector("[data-testid=incoming-supervision] a")
    item = SupervisionItem.objects.get()
    assert page.locator("[data-testid=incoming-supervision]").inner_text().startswith(item.number)
    assert page.locator("[data-testid=incoming-supervision-status]").inner_text() == "草稿"
    page.click("[data-testid=incoming-supervision] a")
    page.wait_for_selector("[data-testid=item-source-incoming]")
    assert page.locator("[data-testid=item-source-incoming]").inner_text() == doc.serial
    context.close()
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.ASSIGNED and doc.supervision_item_id == item.pk
    assert item.requirement == "请市住建局于月底前拿出整改方案，督办室跟踪督办。" and item.lead_unit == unit
