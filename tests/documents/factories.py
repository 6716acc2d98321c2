from documents.models import DocType
from documents.services import document_create


def make_document(*, actor=None, doc_type=DocType.NOTICE, prefix="督办通", **kwargs):
    defaults = {
        "title": "关于加快推进某某项目建设的督办通知",
        "body": "一、基本情况\n某某项目进度滞后。\n（一）存在问题\n请于5个工作日内报送整改情况。",
        "main_recipients": "市发展改革委",
        "issuing_body": "中共某某市委办公室",
        "origin": "test",
    }
    defaults.update(kwargs)
    return document_create(actor=actor, doc_type=doc_type, numbering_prefix=prefix, **defaults)
