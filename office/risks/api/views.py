"""The register, read-only, for the leaders' tools (and any office staff member: scoped like the pages).
Other offices' keys are refused (403): the register is the office's own business."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from office.api.permissions import access_permission
from office.api.serializers import QuerySerializer

from .. import access, selectors
from ..models import Area, Level
from .serializers import RiskSerializer

TAGS = [gettext_lazy("岗位风险排查")]

CanReadRegister = access_permission(access.can_view_register, gettext_lazy("仅限办公室干部职工使用。"))


class RiskListQuerySerializer(QuerySerializer):
    area = serializers.ChoiceField(choices=Area.choices, required=False, help_text=gettext_lazy("领域"))
    level = serializers.ChoiceField(choices=Level.choices, required=False, help_text=gettext_lazy("等级"))


class RiskListApi(generics.ListAPIView):
    permission_classes = [CanReadRegister]
    serializer_class = RiskSerializer
    filter_backends: list = []

    def get_queryset(self):
        # an unknown area or level is a 400 naming the parameter, not an empty list
        query = RiskListQuerySerializer.from_request(self.request)
        return selectors.risk_list(
            actor=self.request.user, area=query.get("area", ""), level=query.get("level", "")
        )

    @extend_schema(
        summary=gettext_lazy("岗位风险台账（领导可见全部，其他人员可见本科室）"),
        tags=TAGS,
        parameters=[RiskListQuerySerializer],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
