"""On a 390 px phone: the township's liaison drafts a report through the form; the information section's
report page (stages, versions with the diff) and the ranking page fit the phone and have no serious or
critical axe violation (Debian's chromium, axe-core from package-lock.json)."""

import pytest
from django.test import Client

from research.information.models import AdoptionKind
from research.information.services import reports
from tests.browser.conftest import PHONE, axe_source, browser, run_axe, signed_in_context  # noqa: F401  (fixtures)
from tests.browser.test_reflow import _too_wide

from .factories import adopt, make_report, through

pytestmark = pytest.mark.browser


def _serious(found, url):
    return [f"{url} {v['id']} ({v['impact']})" for v in found if v["impact"] in ("serious", "critical")]


def test_a_liaison_drafts_on_a_phone_and_the_pages_fit_and_pass_axe(live_server, browser, axe_source, office):  # noqa: F811
    from django.utils import timezone

    w = office
    now = timezone.now()
    sent = through(w, make_report(w, when=now, title="城关镇秋粮收储完成"), now)
    adopt(w, sent, AdoptionKind.PROVINCIAL)
    edited = make_report(w, when=now, title="城关镇网格化治理经验", text="一是……\n二是……")
    edited = reports.report_sign(actor=w.head_a, report=edited)
    edited = reports.report_receive(actor=w.editor, report=edited)
    reports.report_edit(
        actor=w.editor, report=edited, title=edited.title, text="一是……\n二是压实网格员责任。"
    )
    problems = []

    liaison = Client()
    liaison.force_login(w.head_a)
    context = signed_in_context(browser, live_server, liaison, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/information/new")
    problems.append(_too_wide(page, "new [liaison]"))
    problems += _serious(run_axe(page, axe_source), "new")
    page.get_by_label("标题").fill("城关镇冬季供暖准备就绪")
    page.get_by_label("正文").fill("全镇供暖设施检修完毕。")
    page.get_by_label("事实发生时间").fill(timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=信息草稿已保存。")
    problems += _serious(run_axe(page, axe_source), "draft page")
    context.close()

    editor = Client()
    editor.force_login(w.director)
    context = signed_in_context(browser, live_server, editor, viewport=PHONE)
    page = context.new_page()
    for url in (
        f"/information/{edited.pk}",
        "/information/ranking",
        "/information/inbox",
        "/information/bulletins",
    ):
        page.goto(f"{live_server.url}{url}")
        problems.append(_too_wide(page, url))
        problems += _serious(run_axe(page, axe_source), url)
    context.close()
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)
