"""The register, read-only, for the leaders' tools (and any office staff member: scoped like the pages).
Other offices' keys are refused (403): the register is the office's own business."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from office.api.permissions import access_permission

from .. import access, selectors
from ..models import Area, Level
from .serializers import RiskSerializer

TAGS = [gettext_lazy("岗位风险排查")]

CanReadRegister = access_permission(access.can_view_register, gettext_lazy("仅限办公室干部职工使用。"))


class RiskListApi(generics.ListAPIView):
    permission_classes = [CanReadRegister]
    serializer_class = RiskSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        area = params.get("area") or ""
        level = params.get("level") or ""
        return selectors.risk_list(
            actor=self.request.user,
            area=area if area in Area.values else "",
            level=level if level in Level.values else "",
        )

    @extend_schema(
        summary=gettext_lazy("岗位风险台账（领导可见全部，其他人员可见本科室）"),
        tags=TAGS,
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, enum=Area.values, description=gettext_lazy("领域")),
            OpenApiParameter("level", OpenApiTypes.STR, enum=Level.values, description=gettext_lazy("等级")),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
