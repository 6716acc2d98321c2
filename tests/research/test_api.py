"""Units' keys: read the open calls, submit a proposal for their own unit, read their own proposals'
status — never another unit's."""

import time_machine
from django.test import Client

from office.org.models import UnitAPIKey
from research.models import Proposal
from research.services.calls import call_open

from .conftest import at


def _keys(w):
    _, own = UnitAPIKey.objects.create_key(name="甲镇系统", unit=w.town)
    _, other = UnitAPIKey.objects.create_key(name="乙镇系统", unit=w.town2)
    return Client(headers={"X-Api-Key": own}), Client(headers={"X-Api-Key": other})


def test_unit_key_reads_call_submits_and_follows_only_its_own_proposals(office):
    w = office
    own, other = _keys(w)
    with time_machine.travel(at(2026, 1, 5, 9, 0), tick=False):
        call = call_open(actor=w.chief, year=2026, deadline=at(2026, 2, 6, 17, 30))
    with time_machine.travel(at(2026, 1, 10, 9, 0), tick=False):
        calls = own.get("/api/v1/research/calls").json()
        assert [c["id"] for c in calls["results"]] == [call.pk]
        r = own.post(
            f"/api/v1/research/calls/{call.pk}/proposals",
            {"title": "乡村振兴示范片区研究", "reasons": "示范片区建设经验需要总结推广。", "kind": "major"},
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
        body = r.json()
        assert body["unit"] == "甲镇人民政府" and body["status"] == "submitted"
        proposal = Proposal.objects.get(pk=body["id"])
        assert proposal.via_api and proposal.proposed_by is None and proposal.unit == w.town
        mine = own.get("/api/v1/research/proposals").json()["results"]
        assert [p["id"] for p in mine] == [proposal.pk]
        assert other.get("/api/v1/research/proposals").json()["results"] == []


def test_api_refuses_a_short_reason_with_the_json_error_body(office):
    w = office
    own, _ = _keys(w)
    with time_machine.travel(at(2026, 1, 5, 9, 0), tick=False):
        call = call_open(actor=w.chief, year=2026, deadline=at(2026, 2, 6, 17, 30))
        r = own.post(
            f"/api/v1/research/calls/{call.pk}/proposals",
            {"title": "乡村振兴示范片区研究", "reasons": "好"},
            content_type="application/json",
        )
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid" and "选题理由" in str(body)


def test_closed_call_refuses_a_proposal_with_403(office):
    w = office
    own, _ = _keys(w)
    with time_machine.travel(at(2026, 1, 5, 9, 0), tick=False):
        call = call_open(actor=w.chief, year=2026, deadline=at(2026, 2, 6, 17, 30))
    from research.services.calls import call_close

    call_close(actor=w.chief, call=call)
    r = own.post(
        f"/api/v1/research/calls/{call.pk}/proposals",
        {"title": "乡村振兴示范片区研究", "reasons": "示范片区建设经验需要总结推广。"},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert own.get("/api/v1/research/calls").json()["results"] == []  # only open calls
