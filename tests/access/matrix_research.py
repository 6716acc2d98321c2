"""The authorization matrix's rows for the research app (see matrix.py for how to read a row).

The world: an open call with a proposal of unit A (its liaison) and one of office staff; this year's
approved plan with a topic led by the researcher, ``staff`` on its team, commissioned by the director,
with a field record (and its attachment), an output (a document) adopted by the director's 批示; next
year's draft plan and the year after's plan waiting for the director."""

from .matrix import MATRIX, Case, Sees, _file_case, api, api_out, page_any, page_get, page_out, page_post

MGR = ("director", "deputy", "researcher")  # RESEARCH_MANAGER_ROLES in the world


def _mgr(status: int) -> dict:
    return {r: status for r in MGR}


def _world(w):
    if getattr(w, "research", None) is None:
        import datetime as dt
        from types import SimpleNamespace

        from django.core.files.base import ContentFile
        from django.utils import timezone

        from research.models import (
            Adoption,
            FieldRecord,
            FieldRecordAttachment,
            PlanStatus,
            Proposal,
            ResearchOutput,
            ResearchPlan,
            Topic,
            TopicCall,
            TopicMilestone,
        )
        from tests.documents.factories import make_document

        from .conftest import PDF_BYTES

        u = w.users
        now = timezone.now()
        year = timezone.localdate().year
        call = TopicCall.objects.create(
            year=year + 1,
            title="明年选题征集",
            deadline=now + dt.timedelta(days=20),
            opened_by=u["researcher"],
        )
        proposal = Proposal.objects.create(
            call=call,
            title="甲镇建议：乡村振兴示范片区研究",
            reasons="示范片区建设经验需要总结推广。",
            unit=w.unit_a,
            proposed_by=u["unit_own"],
        )
        Proposal.objects.create(
            call=call,
            title="办公室建议：公文流转提速研究",
            reasons="公文流转环节多，需要研究提速办法。",
            unit=u["staff"].staff.unit,
            proposed_by=u["staff"],
        )
        plan = ResearchPlan.objects.create(year=year, status=PlanStatus.APPROVED, created_by=u["researcher"])
        draft = ResearchPlan.objects.create(year=year + 1, created_by=u["researcher"])
        waiting = ResearchPlan.objects.create(
            year=year + 2, status=PlanStatus.SUBMITTED, created_by=u["researcher"]
        )
        topic = Topic.objects.create(
            plan=plan,
            year=year,
            title="矩阵课题：县域经济调研",
            kind="major",
            lead=u["researcher"],
            commissioned_by=u["director"],
            status="in_progress",
        )
        topic.team.set([u["staff"]])
        milestone = TopicMilestone.objects.create(
            topic=topic, kind="outline", order=0, due_at=now + dt.timedelta(days=10)
        )
        for i, kind in enumerate(("field", "draft", "final"), start=1):
            TopicMilestone.objects.create(
                topic=topic, kind=kind, order=i, due_at=now + dt.timedelta(days=30 * i)
            )
        record = FieldRecord.objects.create(
            topic=topic,
            date=timezone.localdate(),
            place="甲镇",
            people_met="镇长",
            findings="产业基础薄弱，需补短板。",
            created_by=u["researcher"],
        )
        attachment = FieldRecordAttachment.objects.create(
            record=record, file=ContentFile(PDF_BYTES, name="r.pdf"), name="调研材料.pdf", size=len(PDF_BYTES)
        )
        document = make_document(
            actor=u["researcher"], doc_type="report", prefix=None, title="矩阵课题调研报告"
        )
        output = ResearchOutput.objects.create(
            topic=topic, document=document, title="矩阵课题调研报告", created_by=u["researcher"]
        )
        Adoption.objects.create(
            output=output,
            kind="instruction",
            leader=u["director"],
            text="很有价值，请研究吸收。",
            recorded_by=u["researcher"],
        )
        w.research = SimpleNamespace(
            call=call,
            proposal=proposal,
            plan=plan,
            draft=draft,
            waiting=waiting,
            topic=topic,
            milestone=milestone,
            output=output,
            attachment=attachment,
        )
    return w.research


def _built(w):
    """No URL kwargs, but the world must exist before the first role asks (lists are checked for rows)."""
    _world(w)
    return {}


def _call(w):
    return {"pk": _world(w).call.pk}


def _proposal(w):
    return {"pk": _world(w).proposal.pk}


def _plan(w):
    return {"year": _world(w).plan.year}


def _draft(w):
    return {"year": _world(w).draft.year}


def _waiting(w):
    return {"year": _world(w).waiting.year}


def _topic(w):
    return {"pk": _world(w).topic.pk}


def _milestone(w):
    return {"pk": _world(w).milestone.pk}


def _output(w):
    return {"pk": _world(w).output.pk}


def _unit_a_proposal(w) -> str:
    return _world(w).proposal.title


def _topic_title(w) -> str:
    return _world(w).topic.title


UNIT_A_PROPOSAL = Sees(
    "unit A's proposal",
    _unit_a_proposal,
    must=(*MGR, "unit_own"),
    must_not=("unit_other", "staff", "section_chief"),
)
API_UNIT_A_PROPOSAL = Sees(
    "unit A's proposal",
    _unit_a_proposal,
    must=(*MGR, "unit_own", "key_own"),
    must_not=("unit_other", "key_other", "staff"),
)
TOPIC_ON_LIST = Sees(
    "the topic",
    _topic_title,
    must=(*MGR, "staff"),
    must_not=("section_chief", "duty_officer", "commissioner"),
)
AUTH = (
    "director",
    "deputy",
    "section_chief",
    "staff",
    "duty_officer",
    "duty_leader",
    "commissioner",
    "researcher",
    "unit_own",
    "unit_other",
    "key_own",
    "key_other",
)

ROWS: dict[str, list[Case]] = {
    "research:home": [Case(expect=page_get(page_out(SIGNED_IN=200)))],
    "research:call-new": [
        Case(expect=page_any(page_out(SIGNED_IN=403, **_mgr(200)), page_out(SIGNED_IN=403, **_mgr(400))))
    ],
    # the call is everybody's (units propose); its proposals: the managers all, a unit its own
    "research:call": [Case(_call, page_get(page_out(SIGNED_IN=200)), sees=(UNIT_A_PROPOSAL,))],
    "research:propose": [Case(_call, page_post(page_out(SIGNED_IN=400)))],
    "research:call-close": [Case(_call, page_post(page_out(SIGNED_IN=403, **_mgr(302))))],
    "research:proposal-decline": [
        Case(_proposal, page_post(page_out(SIGNED_IN=404, unit_own=403, **_mgr(302))))
    ],
    "research:plan-new": [Case(expect=page_post(page_out(SIGNED_IN=403, **_mgr(302))))],
    # the approved plan is the office's; a draft is the managers' own
    "research:plan": [
        Case(_plan, page_get(page_out(INTERNAL=200, UNITS=404)), label="approved"),
        Case(_draft, page_get(page_out(SIGNED_IN=404, **_mgr(200))), label="draft"),
    ],
    "research:topic-new": [
        Case(_draft, page_any(page_out(SIGNED_IN=404, **_mgr(200)), page_out(SIGNED_IN=404, **_mgr(400))))
    ],
    "research:plan-submit": [Case(_draft, page_post(page_out(SIGNED_IN=404, **_mgr(302))))],
    "research:plan-approve": [
        Case(_waiting, page_post(page_out(SIGNED_IN=404, director=302, deputy=403, researcher=403)))
    ],
    "research:plan-return": [
        Case(_waiting, page_post(page_out(SIGNED_IN=404, director=302, deputy=403, researcher=403)))
    ],
    "research:topics": [Case(_built, page_get(page_out(INTERNAL=200, UNITS=403)), sees=(TOPIC_ON_LIST,))],
    "research:topic": [Case(_topic, page_get(page_out(SIGNED_IN=404, staff=200, **_mgr(200))))],
    "research:record-add": [Case(_topic, page_post(page_out(SIGNED_IN=404, staff=302, **_mgr(302))))],
    "research:output-add": [Case(_topic, page_post(page_out(SIGNED_IN=404, staff=302, **_mgr(302))))],
    "research:topic-finish": [Case(_topic, page_post(page_out(SIGNED_IN=404, staff=403, **_mgr(302))))],
    "research:milestone-done": [Case(_milestone, page_post(page_out(SIGNED_IN=404, staff=302, **_mgr(302))))],
    "research:output-evaluate": [Case(_output, page_post(page_out(SIGNED_IN=404, staff=403, **_mgr(302))))],
    "research:adoption-add": [Case(_output, page_post(page_out(SIGNED_IN=404, staff=403, **_mgr(302))))],
    "research:stats": [Case(expect=page_get(page_out(SIGNED_IN=403, **_mgr(200))))],
    # --- API: units (their key or their liaison) and office staff ------------------------------------
    "research-api-calls": [Case(expect=api(AUTH, GET=api_out(AUTHENTICATED=200)))],
    "research-api-propose": [Case(_call, api(AUTH, POST=api_out(AUTHENTICATED=400)))],
    "research-api-proposals": [
        Case(_built, api(AUTH, GET=api_out(AUTHENTICATED=200)), sees=(API_UNIT_A_PROPOSAL,))
    ],
}

# a field record's attachment: those who see the topic; everybody else is told it does not exist
for _portal in (True, False):
    MATRIX["file-download" if _portal else "api-file"].append(
        _file_case(
            "research-record-attachment",
            lambda w: _world(w).attachment,
            label="research record attachment",
            portal=_portal,
            get_own={"INTERNAL": 404, "staff": 200, "unit_own": 404, **_mgr(200)},
        )
    )
