"""How the documents app's audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_subject_url, register_verbs

register_app("documents", _("公文"))
register_subject_url("documents.document", "documents:detail")
register_subject_url("documents.incomingdocument", "documents:incoming-detail")
register_verbs(
    "documents",
    {
        "documents.document_created": _("起草公文"),
        "documents.draft_saved": _("保存公文草稿"),
        "documents.chain_configured": _("设置审批流程"),
        "documents.document_submitted": _("送审公文"),
        "documents.proofread_overridden": _("跳过校对提示送审"),
        "documents.step_approved": _("审核通过"),
        "documents.step_returned": _("退回修改"),
        "documents.step_delegated": _("转交审核"),
        "documents.step_reminded": _("催办审核"),
        "documents.comment_added": _("添加意见"),
        "documents.comment_resolved": _("处理意见"),
        "documents.document_signed": _("签发公文"),
        "documents.number_registered": (_("登记文号"), _("登记文号 {number}")),
        "documents.document_published": _("印发公文"),
        "documents.document_withdrawn": _("撤回公文"),
        "documents.document_archived": _("归档公文"),
        "documents.document_readers_granted": _("授权阅读公文"),
        "documents.receipt_acknowledged": _("确认收文回执"),
        "documents.incoming_registered": _("登记收文"),
        "documents.incoming_received_via_api": _("通过接口收文"),
        "documents.incoming_checked": _("审核收文"),
        "documents.incoming_proposed": _("拟办收文"),
        "documents.incoming_circulated": _("传阅收文"),
        "documents.incoming_read": _("阅毕收文"),
        "documents.incoming_reader_urged": _("催阅收文"),
        "documents.incoming_replied": _("答复收文"),
        "documents.incoming_returned": _("退回收文"),
        "documents.incoming_closed": _("办结收文"),
        "documents.incoming_archived": _("归档收文"),
        "documents.incoming_to_supervision": _("收文转督办"),
    },
)
