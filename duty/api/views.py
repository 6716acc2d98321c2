"""The API other offices' systems use: submit urgent reports (first, follow-up, final) with attachments
and read the status of their own reports. A unit's key sees only its unit's reports."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiRequest, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from office.api.idempotency import idempotent
from office.api.permissions import access_permission

from .. import access
from ..selectors.reports import report_for_action, report_list_for_user, report_status_for_user
from ..services.reports import report_add_update, report_receive
from .serializers import (
    ReportDetailSerializer,
    ReportListQuerySerializer,
    ReportStatusSerializer,
    ReportSubmitSerializer,
    ReportSubmitUploadSerializer,
    ReportUpdateOutSerializer,
    ReportUpdateSubmitSerializer,
    ReportUpdateSubmitUploadSerializer,
)

TAGS = [gettext_lazy("值班·紧急信息")]
# The bodies the schema documents, parsed by the project's own parsers: JSON, and multipart for files.
BODY_PARSERS = [
    p
    for p in api_settings.DEFAULT_PARSER_CLASSES
    if p.media_type in ("application/json", "multipart/form-data")
]
# multipart: the elements travel as one JSON-text part
MULTIPART_ENCODING = {"elements": {"contentType": "application/json"}}


# Asks the duty room's access module (the same predicate the service asks).
CanUseReportApi = access_permission(
    access.can_use_report_api, gettext_lazy("只有值班室人员或外部单位可以报送紧急信息。")
)


class ReportListCreateApi(generics.ListAPIView):
    permission_classes = [CanUseReportApi]
    parser_classes = BODY_PARSERS
    serializer_class = ReportStatusSerializer
    filter_backends: list = []  # the query serializer validates, the selector filters

    def get_queryset(self):
        filters = ReportListQuerySerializer.from_request(self.request)
        return report_list_for_user(user=self.request.user, **filters)

    @extend_schema(
        summary=gettext_lazy("本单位报送的紧急信息及其状态"),
        tags=TAGS,
        parameters=[ReportListQuerySerializer],
        responses=ReportStatusSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("报送紧急信息（首报）：接报即开始计时；附件须用 multipart/form-data"),
        tags=TAGS,
        request={
            "application/json": ReportSubmitSerializer,
            "multipart/form-data": OpenApiRequest(ReportSubmitUploadSerializer, encoding=MULTIPART_ENCODING),
        },
        responses={201: ReportDetailSerializer},
    )
    @idempotent
    def post(self, request):
        data = ReportSubmitUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        # the service decides the source unit: an external unit's own, none for the duty room
        report = report_receive(
            actor=request.user,
            title=v["title"],
            level=v["level"],
            elements=v["elements"],
            text=v["text"],
            attachments=v["attachments"],
        )
        report = report_status_for_user(user=request.user, id=report.pk)
        return Response(
            ReportDetailSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ReportDetailApi(APIView):
    permission_classes = [CanUseReportApi]

    @extend_schema(
        summary=gettext_lazy("紧急信息状态（只能查看本单位报送的）"),
        tags=TAGS,
        responses=ReportDetailSerializer,
    )
    def get(self, request, pk: int):
        report = report_status_for_user(user=request.user, id=pk)
        return Response(ReportDetailSerializer(report, context={"request": request}).data)


class ReportUpdateApi(APIView):
    permission_classes = [CanUseReportApi]
    parser_classes = BODY_PARSERS

    @extend_schema(
        summary=gettext_lazy("续报或终报（只报新情况），按顺序编号；附件须用 multipart/form-data"),
        tags=TAGS,
        request={
            "application/json": ReportUpdateSubmitSerializer,
            "multipart/form-data": OpenApiRequest(
                ReportUpdateSubmitUploadSerializer, encoding=MULTIPART_ENCODING
            ),
        },
        responses={201: ReportUpdateOutSerializer},
    )
    @idempotent
    def post(self, request, pk: int):
        report = report_for_action(user=request.user, id=pk, action="update")
        data = ReportUpdateSubmitUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        update = report_add_update(
            actor=request.user,
            report=report,
            kind=v["kind"],
            elements=v["elements"],
            text=v["text"],
            attachments=v["attachments"],
        )
        return Response(ReportUpdateOutSerializer(update).data, status=status.HTTP_201_CREATED)
