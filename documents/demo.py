"""Demo documents at three 密级, so need-to-know can be tried: staff01 sees the 内部 notice only;
staff17 (文书科, the drafter) and staff13 (机要科, a named reader) see the 秘密 request; the director sees
everything, deputy1 the 秘密 but not the 机密 minutes. Also a draft on its way up a chain (staff01 drafted
it, mishu's chief 核稿, deputy1 签发) and three incoming documents at different stages (one waiting for the
director's 批示, one with its handler and in 传阅, one just registered). Idempotent: a demo key already
present is left alone."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .conf import default_issuing_body
from .models import Classification, DocType, Document
from .services import (
    chain_configure,
    document_create,
    document_grant_read,
    document_publish,
    document_sign_off,
    document_submit_for_review,
)

ORIGIN = "demo"


@transaction.atomic
def populate(stdout=None) -> None:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["director", "deputy1", "staff01", "staff02", "staff13", "staff17"]
        )
    }
    if len(users) < 6:
        return
    director, drafter = users["director"], users["staff17"]
    issuing_body = default_issuing_body()

    def make(key, actor, doc_type, title, body, classification, numbered=True):
        found = Document.objects.filter(origin=ORIGIN, origin_ref=key).first()
        if found is not None:
            return found, False
        doc = document_create(
            actor=actor,
            doc_type=doc_type,
            title=title,
            body=body,
            main_recipients="市委办公室各科室",
            issuing_body=issuing_body,
            origin=ORIGIN,
            origin_ref=key,
            numbering_prefix=(
                "市委办发"
                if classification in (Classification.PUBLIC, Classification.INTERNAL)
                else "市委办密"
            )
            if numbered
            else None,
            classification=classification,
        )
        return doc, True

    notice, new = make(
        "notice-internal",
        users["staff01"],
        DocType.NOTICE,
        "关于做好节假日期间值班工作的通知",
        "一、严格执行24小时值班和领导带班制度。\n二、遇有重大突发事件，按规定及时报告。",
        Classification.INTERNAL,
    )
    if new:
        document_submit_for_review(actor=users["staff01"], document=notice)
        document_sign_off(actor=director, document=notice, opinion="同意。")
        document_publish(actor=director, document=notice)

    request, new = make(
        "request-secret",
        drafter,
        DocType.REQUEST,
        "关于某某专项工作经费安排的请示",
        "一、基本情况\n某某专项工作需安排专项经费。\n二、请示事项\n妥否，请批示。",
        Classification.SECRET,
    )
    if new:
        document_grant_read(actor=drafter, document=request, users=[users["staff13"]])
        document_submit_for_review(actor=drafter, document=request)

    minutes, new = make(
        "minutes-confidential",
        drafter,
        DocType.MINUTES,
        "市委专题会议纪要",
        "会议研究了某某专项工作，议定事项如下：\n一、由市委办公室牵头督办落实。",
        Classification.CONFIDENTIAL,
    )
    if new:
        document_submit_for_review(actor=drafter, document=minutes)
        document_sign_off(actor=director, document=minutes, opinion="同意。")
    draft, new = make(
        "report-in-chain",
        users["staff01"],
        DocType.REPORT,
        "关于2026年第四季度重点工作推进情况的报告",
        "市委：\n现将第四季度重点工作推进情况报告如下。\n一、总体进展\n各项重点工作总体按计划推进。\n"
        "二、存在的问题\n个别项目进度滞后，主要原因是要素保障不足。\n三、下步打算\n（一）加强调度。\n（二）强化督查。",
        Classification.INTERNAL,
        numbered=False,  # numbered when registered after sign-off
    )
    if new:
        chief = (
            get_user_model().objects.filter(staff__unit__code="mishu", groups__name="section_chief").first()
        )
        chain_configure(
            actor=users["staff01"],
            document=draft,
            reviewers=[chief] if chief else [],
            signer=users["deputy1"],
        )
        document_submit_for_review(actor=users["staff01"], document=draft)
    _incoming(users)
    if stdout is not None:
        stdout.write(
            "公文：内部通知 1 件、秘密请示 1 件（待签发）、机密纪要 1 件、审核中的报告 1 件；收文 3 件。"
        )


def _incoming(users) -> None:
    import datetime as dt

    from .incoming.models import CirculationMode, IncomingChannel, IncomingDocument
    from .incoming.services import (
        IncomingFields,
        incoming_assign,
        incoming_check,
        incoming_circulate,
        incoming_instruct,
        incoming_propose,
        incoming_register,
    )

    clerk, director = users["staff17"], users["director"]
    today = dt.date.today()

    def register(their_number, title, issuing_body, urgency=""):
        found = IncomingDocument.objects.filter(their_number=their_number).first()
        if found is not None:
            return found, False
        doc = incoming_register(
            actor=clerk,
            channel=IncomingChannel.PAPER,
            fields=IncomingFields(
                issuing_body=issuing_body,
                title=title,
                their_number=their_number,
                their_date=today - dt.timedelta(days=2),
                urgency=urgency,
                pages=4,
                copies=2,
            ),
        )
        return doc, True

    flood, new = register(
        "省委办发〔2026〕41号",
        "关于做好冬春季防火和安全生产工作的通知",
        "中共某某省委办公厅",
        urgency="urgent",
    )
    if new:
        incoming_check(actor=clerk, document=flood)
        incoming_propose(
            actor=clerk, document=flood, proposal="拟请主任阅示，并转应急管理局牵头落实。", leader=director
        )
    pension, new = register("省委办函〔2026〕17号", "关于征求养老服务体系建设意见的函", "中共某某省委办公厅")
    if new:
        incoming_check(actor=clerk, document=pension)
        incoming_propose(actor=clerk, document=pension, proposal="拟请综合科研提意见。", leader=director)
        incoming_instruct(
            actor=director,
            document=pension,
            instruction="请综合科认真研究，提出我市意见，按时报送。",
            deadline=today + dt.timedelta(days=7),
        )
        incoming_assign(
            actor=clerk, document=pension, handler=users["staff02"], due=today + dt.timedelta(days=7)
        )
        incoming_circulate(
            actor=clerk,
            document=pension,
            readers=[users["deputy1"], users["staff01"]],
            mode=CirculationMode.SEQUENTIAL,
        )
    register("市政府办〔2026〕88号", "关于印发某某市数字政府建设方案的通知", "某某市人民政府办公室")
