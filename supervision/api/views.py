"""The API other offices' systems call with their unit's key: their items, acknowledge, report,
ask for an extension, read the notices and circulars addressed to them."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiRequest, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from documents.access import document_log_read
from documents.models import DocType
from documents.rendering import docx_filename, render_docx
from documents.selectors import document_get_for_user, document_list_for_user
from office.api.idempotency import idempotent
from office.errors import not_found
from office.files.views import attachment_response

from .. import access, services
from ..selectors import item_get_for_user, item_list_for_user
from . import serializers as s

TAGS = [gettext_lazy("督查督办")]
SUPERVISION_DOC_TYPES = (DocType.NOTICE, DocType.CIRCULAR)


@extend_schema(
    summary=gettext_lazy("督办事项列表（单位密钥只能看到本单位事项）"),
    tags=TAGS,
    parameters=[s.ItemListQuerySerializer],
)
class ItemListApi(generics.ListAPIView):
    serializer_class = s.ItemListSerializer
    filter_backends: list = []

    def get_queryset(self):
        access.item_access_for_action(actor=self.request.user, item=None, action="list")
        filters = s.ItemListQuerySerializer.from_request(self.request)
        return item_list_for_user(user=self.request.user, **filters)


@extend_schema(summary=gettext_lazy("督办事项详情"), tags=TAGS, responses=s.ItemDetailSerializer)
class ItemDetailApi(APIView):
    def get(self, request, pk):
        item = item_get_for_user(user=request.user, id=pk)
        return Response(s.ItemDetailSerializer(item, context={"request": request}).data)


class ItemAcknowledgeApi(APIView):
    @extend_schema(
        summary=gettext_lazy("签收督办事项"), tags=TAGS, request=None, responses={200: s.AckOutSerializer}
    )
    @idempotent
    def post(self, request, pk):
        item = item_get_for_user(user=request.user, id=pk)
        access.item_access_for_action(actor=request.user, item=item, action="acknowledge_own")
        assignment = services.item_acknowledge(actor=request.user, item=item)
        return Response(s.AckOutSerializer(assignment).data)


class ItemFeedbackApi(APIView):
    # the bodies the schema documents, parsed by the project's own parsers
    parser_classes = [
        p
        for p in api_settings.DEFAULT_PARSER_CLASSES
        if p.media_type in ("application/json", "multipart/form-data")
    ]

    @extend_schema(
        summary=gettext_lazy("报送进展反馈或办理结果（附件须用 multipart/form-data）"),
        tags=TAGS,
        request={
            "application/json": s.FeedbackInSerializer,
            "multipart/form-data": OpenApiRequest(s.FeedbackUploadSerializer),
        },
        responses={201: s.FeedbackSerializer},
    )
    @idempotent
    def post(self, request, pk):
        item = item_get_for_user(user=request.user, id=pk)
        access.item_access_for_action(actor=request.user, item=item, action="feedback")
        multipart = (request.content_type or "").startswith("multipart/")
        data = (s.FeedbackUploadSerializer if multipart else s.FeedbackInSerializer)(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        milestone = None
        if d.get("milestone_id"):
            milestone = item.milestones.filter(pk=d["milestone_id"]).first()
            if milestone is None:
                from rest_framework.exceptions import ValidationError

                raise ValidationError({"milestone_id": [_("该事项没有这个节点。")]})
        fb = services.feedback_submit(
            actor=request.user,
            item=item,
            content=d["content"],
            kind=d["kind"],
            milestone=milestone,
            attachment=d.get("attachment"),
        )
        return Response(
            s.FeedbackSerializer(fb, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ItemExtensionApi(APIView):
    @extend_schema(
        summary=gettext_lazy("申请延期（须在办结时限前）"),
        tags=TAGS,
        request=s.ExtensionInSerializer,
        responses={201: s.ExtensionOutSerializer},
    )
    @idempotent
    def post(self, request, pk):
        item = item_get_for_user(user=request.user, id=pk)
        access.item_access_for_action(actor=request.user, item=item, action="extend")
        data = s.ExtensionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ext = services.extension_request(actor=request.user, item=item, **data.validated_data)
        return Response(s.ExtensionOutSerializer(ext).data, status=status.HTTP_201_CREATED)


def _doc_data(doc, request):
    return {
        "id": doc.pk,
        "doc_type": doc.doc_type,
        "number": doc.number,
        "title": doc.title,
        "main_recipients": doc.main_recipients,
        "body": doc.body,
        "issuing_body": doc.issuing_body,
        "issued_on": doc.issued_on,
        "published_at": doc.published_at,
        "docx_url": request.build_absolute_uri(reverse("supervision-api-document-docx", args=[doc.pk])),
    }


def _supervision_docs(user):
    return document_list_for_user(user=user, origin="supervision").filter(doc_type__in=SUPERVISION_DOC_TYPES)


@extend_schema(
    summary=gettext_lazy("发给本单位的督办通知和通报"),
    tags=TAGS,
    responses=s.DocumentOutSerializer(many=True),
)
class DocumentListApi(generics.ListAPIView):
    serializer_class = s.DocumentOutSerializer
    filter_backends: list = []

    def get_queryset(self):
        return _supervision_docs(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_doc_data(d, request) for d in page])


class DocumentDocxApi(APIView):
    @extend_schema(
        summary=gettext_lazy("下载督办通知或通报（GB/T 9704 Word 文件）"),
        tags=TAGS,
        responses={
            (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy(".docx 文件")
            )
        },
    )
    def get(self, request, pk):
        doc = document_get_for_user(user=request.user, id=pk)
        if doc.origin != "supervision":
            raise not_found()
        document_log_read(actor=request.user, document=doc, action="download", request=request)
        return attachment_response(render_docx(doc), filename=docx_filename(doc))
