"""Demo documents at three 密级, so need-to-know can be tried: staff01 sees the 内部 notice only;
staff17 (文书科, the drafter) and staff13 (机要科, a named reader) see the 秘密 request; the director sees
everything, deputy1 the 秘密 but not the 机密 minutes. Idempotent: a demo key already present is left alone."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .conf import default_issuing_body
from .models import Classification, DocType, Document
from .services import (
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
        for u in get_user_model().objects.filter(username__in=["director", "staff01", "staff13", "staff17"])
    }
    if len(users) < 4:
        return
    director, drafter = users["director"], users["staff17"]
    issuing_body = default_issuing_body()

    def make(key, actor, doc_type, title, body, classification):
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
            numbering_prefix="市委办发"
            if classification in (Classification.PUBLIC, Classification.INTERNAL)
            else "市委办密",
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
    if stdout is not None:
        stdout.write("公文：内部通知 1 件、秘密请示 1 件（待签发）、机密纪要 1 件。")
