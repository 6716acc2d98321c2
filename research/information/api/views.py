"""The API other offices' systems use for 信息报送: submit a report with attachments, follow its status
and edits, read the unit's own score and rank. A unit's key sees only its unit's reports and numbers."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from office.api.idempotency import idempotent
from office.api.permissions import access_permission

from .. import access, selectors
from ..services import reports as report_services
from .serializers import (
    InfoRankingQuerySerializer,
    InfoRankingSerializer,
    InfoReportDetailSerializer,
    InfoReportListQuerySerializer,
    InfoReportStatusSerializer,
    InfoReportSubmitSerializer,
    InfoReportSubmitUploadSerializer,
)

TAGS = [gettext_lazy("信息报送")]
BODY_PARSERS = [
    p
    for p in api_settings.DEFAULT_PARSER_CLASSES
    if p.media_type in ("application/json", "multipart/form-data")
]

CanUseInformationApi = access_permission(
    access.can_use_api, gettext_lazy("只有办公室和各单位可以使用信息报送接口。")
)


class ReportListCreateApi(generics.ListAPIView):
    permission_classes = [CanUseInformationApi]
    parser_classes = BODY_PARSERS
    serializer_class = InfoReportStatusSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = InfoReportListQuerySerializer.from_request(self.request)
        return selectors.report_list_for_user(user=self.request.user, status=filters.get("status", ""))

    @extend_schema(
        summary=gettext_lazy("本单位的信息及其状态"),
        tags=TAGS,
        parameters=[InfoReportListQuerySerializer],
        responses=InfoReportStatusSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy(
            "报送一条信息（以单位密钥报送即视为单位负责人已签发）；附件须用 multipart/form-data"
        ),
        tags=TAGS,
        request={
            "application/json": InfoReportSubmitSerializer,
            "multipart/form-data": InfoReportSubmitUploadSerializer,
        },
        responses={201: InfoReportDetailSerializer},
    )
    @idempotent
    def post(self, request):
        data = InfoReportSubmitUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report = report_services.report_create_and_submit(
            actor=request.user,
            info_type=v["info_type"],
            title=v["title"],
            text=v["text"],
            facts_at=v["facts_at"],
            urgent_report_id=v["urgent_report"],
            attachments=v["attachments"],
        )
        report = selectors.report_get_for_user(user=request.user, id=report.pk)
        return Response(
            InfoReportDetailSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ReportDetailApi(APIView):
    permission_classes = [CanUseInformationApi]

    @extend_schema(
        summary=gettext_lazy("一条信息的状态、各环节时效、编辑版本和采用情况（只能查看本单位的）"),
        tags=TAGS,
        responses=InfoReportDetailSerializer,
    )
    def get(self, request, pk: int):
        report = selectors.report_get_for_user(user=request.user, id=pk)
        return Response(InfoReportDetailSerializer(report, context={"request": request}).data)


class RankingApi(APIView):
    permission_classes = [CanUseInformationApi]

    @extend_schema(
        summary=gettext_lazy("采用得分与排名：单位只看到本单位的一行（名次为全市排名）"),
        tags=TAGS,
        parameters=[InfoRankingQuerySerializer],
        responses=InfoRankingSerializer,
    )
    def get(self, request):
        q = InfoRankingQuerySerializer.from_request(request)
        period = selectors.period_parse(q.get("period"), q.get("year"), q.get("number"))
        rows = selectors.ranking_for_user(user=request.user, period=period)
        return Response(InfoRankingSerializer({"period": period.label, "rows": rows}).data)
