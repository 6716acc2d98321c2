from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from office.org.models import Role
from office.org.principals import UnitPrincipal
from office.org.roles import user_roles
from office.org.selectors import staff_for_user, unit_list_for_user, unit_of_user

from .serializers import MeSerializer, UnitQuerySerializer, UnitSerializer

TAG_ORG = gettext_lazy("组织")


class MeApi(APIView):
    """Who the caller is: a signed-in person or a unit's API key."""

    @extend_schema(
        responses=MeSerializer,
        summary=gettext_lazy("当前调用者"),
        description=gettext_lazy(
            "调用者是谁：登录的工作人员（会话），或某单位的 API 密钥。返回调用者类型（user 或 api_key）、"
            "用户名、姓名、职务、所属单位和角色；用 API 密钥调用时，单位即密钥所属的单位。"
        ),
        tags=[TAG_ORG],
    )
    def get(self, request):
        user = request.user
        staff = staff_for_user(user)
        roles = [{"code": r, "label": str(Role(r).label)} for r in Role.values if r in user_roles(user)]
        data = {
            "kind": "api_key" if isinstance(user, UnitPrincipal) else "user",
            "username": user.get_username(),
            "name": staff.name if staff else str(user),
            "position": staff.position if staff else "",
            "unit": unit_of_user(user),
            "roles": roles,
        }
        return Response(MeSerializer(data).data)


@extend_schema(
    summary=gettext_lazy("单位列表（外部单位只能看到本单位）"),
    tags=[TAG_ORG],
    parameters=[UnitQuerySerializer],
)
class UnitListApi(generics.ListAPIView):
    serializer_class = UnitSerializer
    filter_backends: list = []  # the query serializer validates and the queryset filters

    def get_queryset(self):
        filters = UnitQuerySerializer.from_request(self.request)
        return unit_list_for_user(user=self.request.user).filter(**filters)
