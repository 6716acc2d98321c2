"""The API other offices' systems use for outgoing documents (发文) addressed to them: read the list and
the text with their unit's receipt, and acknowledge receipt (签收). A unit's key sees only published
documents addressed to its unit (or to every unit); office staff use the pages (403 here)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.idempotency import idempotent
from office.api.permissions import access_permission

from .. import access, selectors
from ..models import DocumentReceipt
from ..services import receipt_acknowledge
from .serializers import (
    OutgoingDocumentDetailSerializer,
    OutgoingDocumentSerializer,
    OutgoingQuerySerializer,
    ReceiptSerializer,
)

TAGS = [gettext_lazy("办文·发文")]

CanReadOutgoing = access_permission(
    access.can_use_outgoing_api, gettext_lazy("只有收文单位可以通过接口查阅发文、签收公文。")
)


class OutgoingListApi(generics.ListAPIView):
    permission_classes = [CanReadOutgoing]
    serializer_class = OutgoingDocumentSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = OutgoingQuerySerializer.from_request(self.request)
        return selectors.outgoing_for_unit(user=self.request.user, **filters)

    @extend_schema(
        summary=gettext_lazy("发给本单位的公文及签收情况"),
        tags=TAGS,
        parameters=[OutgoingQuerySerializer],
        responses=OutgoingDocumentSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OutgoingDetailApi(APIView):
    permission_classes = [CanReadOutgoing]

    @extend_schema(
        summary=gettext_lazy("发给本单位的一件公文（含正文）"),
        tags=TAGS,
        responses=OutgoingDocumentDetailSerializer,
    )
    def get(self, request, pk: int):
        doc = selectors.outgoing_get_for_unit(user=request.user, id=pk)
        access.document_log_read(actor=request.user, document=doc, action="view", request=request)
        return Response(OutgoingDocumentDetailSerializer(doc).data)


class OutgoingAcknowledgeApi(APIView):
    permission_classes = [CanReadOutgoing]

    @extend_schema(
        summary=gettext_lazy("签收公文（重复签收以第一次为准）"),
        tags=TAGS,
        request=None,
        responses={200: ReceiptSerializer},
    )
    @idempotent
    def post(self, request, pk: int):
        doc = selectors.outgoing_get_for_unit(user=request.user, id=pk)
        receipt = receipt_acknowledge(actor=request.user, document=doc, via=DocumentReceipt.Channel.API)
        return Response(ReceiptSerializer(receipt).data)
