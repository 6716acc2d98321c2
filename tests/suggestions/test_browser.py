"""On a 390 px phone a member of staff opens the campaign, writes an item and reads it back, and the
director reads the campaign, the item and the summary: nothing scrolls sideways (Debian's chromium)."""

import pytest
from django.test import Client

from suggestions.models import Submission
from tests.browser.conftest import PHONE, browser, signed_in_context  # noqa: F401  (fixtures)
from tests.browser.test_reflow import _too_wide

from .factories import open_campaign

pytestmark = pytest.mark.browser


def test_staff_write_an_item_on_a_phone_and_no_page_scrolls_sideways(live_server, browser, office):  # noqa: F811
    import time_machine

    from .conftest import at

    c = open_campaign(office.director)
    problems = []
    with time_machine.travel(at(2026, 3, 6, 10, 0), tick=True):
        client = Client()
        client.force_login(office.one)
        context = signed_in_context(browser, live_server, client, viewport=PHONE)
        page = context.new_page()
        page.goto(f"{live_server.url}/suggestions/{c.pk}/")
        problems.append(_too_wide(page, "campaign [staff]"))
        page.goto(f"{live_server.url}/suggestions/{c.pk}/submit")
        problems.append(_too_wide(page, "submit [staff]"))
        page.get_by_label("内容（字数不限）").fill("希望办公室每月组织一次业务培训")
        page.get_by_label("匿名（任何人都看不到作者）").check()
        page.get_by_role("button", name="提交").click()
        page.wait_for_selector("text=已提交，谢谢！")
        item = Submission.objects.get()
        assert item.is_anonymous and item.author_id is None
        page.goto(f"{live_server.url}/suggestions/mine/")
        assert "希望办公室每月组织一次业务培训" in page.content()
        context.close()
        client.force_login(office.director)
        context = signed_in_context(browser, live_server, client, viewport=PHONE)
        page = context.new_page()
        for url in (
            f"/suggestions/{c.pk}/",
            f"/suggestions/items/{item.pk}/",
            f"/suggestions/{c.pk}/summary/",
        ):
            page.goto(f"{live_server.url}{url}")
            problems.append(_too_wide(page, f"{url} [director]"))
        context.close()
    problems = [p for p in problems if p]
    assert not problems, "pages scroll sideways on a phone:\n" + "\n".join(problems)
