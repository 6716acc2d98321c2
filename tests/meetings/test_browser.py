"""At the door on a 390×844 phone: the deputy opens the URL the QR code carries and signs himself in; unit
A's liaison signs in the attendee its receipt named. Nothing scrolls sideways (Debian's chromium)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from office.meetings.models import Response, SignIn
from office.meetings.services.notices import notice_send, receipt_answer
from tests.browser.conftest import PHONE, browser, signed_in_context  # noqa: F401  (fixtures)
from tests.browser.test_reflow import _too_wide

from .conftest import make_meeting

pytestmark = pytest.mark.browser


def test_sign_in_through_the_qr_page_on_a_phone(live_server, browser, office):  # noqa: F811
    meeting = make_meeting(office, starts_at=timezone.now() + dt.timedelta(minutes=30))
    notice_send(actor=office.organizer, meeting=meeting)
    receipt_answer(
        actor=office.liaison_a,
        receipt=meeting.receipts.get(unit=office.dept_a),
        response=Response.ATTEND,
        attendee_name="赵局长",
    )
    problems = []
    # the organizer's QR page names the sign-in URL the code carries
    client = Client()
    client.force_login(office.organizer)
    context = signed_in_context(browser, live_server, client, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/qr/")
    label = page.locator("svg[role=img]").get_attribute("aria-label")
    url = label.split("：", 1)[1]
    assert url.endswith(f"/meetings/{meeting.pk}/sign-in/")
    sign_in_path = url[url.index("/meetings/") :]
    context.close()

    client.force_login(office.deputy)
    context = signed_in_context(browser, live_server, client, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}{sign_in_path}")
    problems.append(_too_wide(page, "sign-in [deputy]"))
    page.get_by_role("button", name="我已到会，签到").click()
    page.wait_for_selector("#signed-self")
    assert "已于" in page.locator("#signed-self").inner_text()
    context.close()

    client.force_login(office.liaison_a)
    context = signed_in_context(browser, live_server, client, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}{sign_in_path}")
    problems.append(_too_wide(page, "sign-in [liaison]"))
    page.get_by_role("button", name="为本单位人员签到").click()
    page.wait_for_selector("text=赵局长 已于")
    context.close()

    assert sorted(SignIn.objects.filter(meeting=meeting).values_list("name", flat=True)) == [
        "赵局长",
        "陈晓东",
    ]
    problems = [p for p in problems if p]
    assert not problems, "pages scroll sideways on a phone:\n" + "\n".join(problems)
