"""The API of 政研 for units (their key, or a liaison's session): the open calls, submitting a proposal
for the caller's unit, and the status of the unit's own proposals."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.idempotency import idempotent
from office.api.permissions import access_permission

from .. import access, selectors
from ..services.calls import proposal_submit
from .serializers import CallSerializer, ProposalSerializer, ProposalSubmitSerializer

TAGS = [gettext_lazy("政研")]

CanUseResearch = access_permission(access.can_use, gettext_lazy("仅限办公室干部职工和各单位使用。"))


class CallListApi(generics.ListAPIView):
    permission_classes = [CanUseResearch]
    serializer_class = CallSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.call_list_for_user(user=self.request.user, open_only=True)

    @extend_schema(summary=gettext_lazy("正在征集的选题征集"), tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CallProposalApi(APIView):
    permission_classes = [CanUseResearch]

    @extend_schema(
        summary=gettext_lazy("为本单位提出一条选题建议"),
        tags=TAGS,
        request=ProposalSubmitSerializer,
        responses={201: ProposalSerializer},
    )
    @idempotent
    def post(self, request, pk: int):
        call = selectors.call_get_for_user(user=request.user, id=pk)
        access.call_access_for_action(actor=request.user, call=call, action="propose")
        data = ProposalSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        proposal = proposal_submit(
            actor=request.user, call=call, title=v["title"], reasons=v["reasons"], kind=v["kind"]
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalListApi(generics.ListAPIView):
    permission_classes = [CanUseResearch]
    serializer_class = ProposalSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.proposal_list_for_user(user=self.request.user)

    @extend_schema(summary=gettext_lazy("本单位（本人）提出的选题建议及其状态"), tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
