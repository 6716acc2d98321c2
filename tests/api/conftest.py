"""A live office for the API's outside callers (schemathesis, the Python client): a township with a
key, its issued items with milestones and a feedback, its urgent report with an attachment, another
township's item it must never see, and a director who signs in over HTTP."""

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.utils import timezone

from duty.services.reports import report_receive
from office.org.models import Role, UnitAPIKey, UnitKind
from office.org.principals import UnitPrincipal
from office.org.services import api_key_issue
from supervision.models import LadderStep
from supervision.services import feedback_submit, ladder_register_miss
from tests.chain import pending_signer, sign_chain
from tests.duty.factories import PDF_BYTES, upload
from tests.factories import UnitFactory, make_user
from tests.supervision.factories import make_item

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


@dataclass
class LiveOffice:
    base_url: str
    key: str  # the township's API key (X-Api-Key)
    other_key: str  # another township's key
    unit: object
    other_unit: object
    item: object  # issued to the township, with milestones and a feedback
    fresh_item: object  # issued to the township, not yet acknowledged
    other_item: object  # issued to the other township
    report: object  # the township's urgent report, with a PDF attachment
    director: object


@pytest.fixture
def live_office(live_server, transactional_db) -> LiveOffice:
    director = make_user(Role.DIRECTOR, Role.DUTY_LEADER)
    unit = UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP, phone="0731-1234567")
    other = UnitFactory(name="二号镇", code="town2", kind=UnitKind.TOWNSHIP)
    make_user(Role.EXTERNAL_UNIT, unit=unit)
    _, key = api_key_issue(actor=director, unit=unit, name="一号镇系统")
    _, other_key = api_key_issue(actor=director, unit=other, name="二号镇系统")
    today = timezone.localdate()
    due = today + dt.timedelta(days=60)
    item = make_item(
        actor=director,
        lead_unit=unit,
        issue=True,
        title="一号镇招商项目签约落地",
        due=due,
        milestones=[("方案", today + dt.timedelta(days=10)), ("签约", today + dt.timedelta(days=30))],
    )
    fresh_item = make_item(actor=director, lead_unit=unit, issue=True, title="一号镇道路改造", due=due)
    other_item = make_item(actor=director, lead_unit=other, issue=True, title="二号镇的事项", due=due)
    principal = UnitPrincipal(UnitAPIKey.objects.get(unit=unit))
    feedback_submit(
        actor=principal,
        item=item,
        content="方案已起草",
        milestone=item.milestones.order_by("order").first(),
        attachment=upload("方案.pdf", PDF_BYTES, "application/pdf"),
    )
    # Two missed steps climb the item's ladder to a 督办通知 addressed to the township (a document the
    # API lists and serves as .docx).
    ladder_register_miss(item=other_item, trigger="未按时签收")
    LadderStep.objects.filter(item=other_item).update(resolved_at=timezone.now())
    notice_a = ladder_register_miss(item=other_item, trigger="未按时反馈")
    ladder_register_miss(item=fresh_item, trigger="未按时签收")
    LadderStep.objects.filter(item=fresh_item).update(resolved_at=timezone.now())
    notice_b = ladder_register_miss(item=fresh_item, trigger="未按时反馈")
    for notice in (notice_a.document, notice_b.document):  # a person signs each notice; it goes out
        sign_chain(notice, signer=pending_signer(notice))
    report = report_receive(
        actor=principal,
        title="山洪冲毁村道",
        level="general",
        elements={"time": "9时40分", "place": "一号镇石门村"},
        text="现场已封闭。",
        attachments=[upload("现场.pdf", PDF_BYTES, "application/pdf")],
    )
    return LiveOffice(
        base_url=live_server.url,
        key=key,
        other_key=other_key,
        unit=unit,
        other_unit=other,
        item=item,
        fresh_item=fresh_item,
        other_item=other_item,
        report=report,
        director=director,
    )


def session_headers(base_url: str, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Sign in through the login page over HTTP, as a browser would; return the headers a session
    client sends: the cookies, and the CSRF token with a same-origin Referer for unsafe methods."""
    with httpx.Client(base_url=base_url) as http:
        page = http.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        resp = http.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": username, "password": password},
            headers={"Referer": f"{base_url}/accounts/login/"},
        )
        assert resp.status_code == 302, resp.text[:500]
        cookies = {name: http.cookies[name] for name in ("sessionid", "csrftoken")}
    return {
        "Cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
        "X-CSRFToken": cookies["csrftoken"],
        "Referer": f"{base_url}/",
    }


# The client for other offices lives in clients/python (its own package, installed by them with pip);
# the tests import it from there, as it is, without installing it.
CLIENT_DIR = Path(__file__).resolve().parents[2] / "clients" / "python"
if str(CLIENT_DIR) not in sys.path:
    sys.path.insert(0, str(CLIENT_DIR))
