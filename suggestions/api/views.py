"""The office staff's API for the campaigns (their signed-in session): campaigns, one's items, submitting,
and replying. Other offices' keys are refused (403): the campaign is the office's own business. Talks
are not in the API (their notes are the director's and the person's only)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.idempotency import idempotent
from office.api.permissions import access_permission

from .. import access, selectors
from ..services.campaigns import submission_submit
from ..services.replies import submission_reply
from .serializers import CampaignSerializer, ReplySerializer, SubmissionSerializer, SubmitSerializer

TAGS = [gettext_lazy("出点子吐心声")]

CanUseSuggestions = access_permission(access.can_list, gettext_lazy("仅限办公室干部职工使用。"))


class CampaignListApi(generics.ListAPIView):
    permission_classes = [CanUseSuggestions]
    serializer_class = CampaignSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.campaign_list_for_user(user=self.request.user).prefetch_related("prompts")

    @extend_schema(summary=gettext_lazy("征集活动列表"), tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CampaignDetailApi(APIView):
    permission_classes = [CanUseSuggestions]

    @extend_schema(
        summary=gettext_lazy("征集活动：题目、截止时间、我已提交的条数"),
        tags=TAGS,
        responses=CampaignSerializer,
    )
    def get(self, request, pk: int):
        campaign = selectors.campaign_get_for_user(user=request.user, id=pk)
        return Response(CampaignSerializer(campaign, context={"request": request}).data)


class CampaignItemsApi(generics.ListAPIView):
    permission_classes = [CanUseSuggestions]
    serializer_class = SubmissionSerializer
    filter_backends: list = []

    def get_queryset(self):
        campaign = selectors.campaign_get_for_user(user=self.request.user, id=self.kwargs["pk"])
        return selectors.submission_list_for_user(user=self.request.user, campaign=campaign)

    @extend_schema(
        summary=gettext_lazy("本活动中我可见的意见（主任：全部；副主任：交其答复的；本人：自己的）"),
        tags=TAGS,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("提交一条意见（署名仅主任可见，或匿名）"),
        tags=TAGS,
        request=SubmitSerializer,
        responses={201: SubmissionSerializer},
    )
    @idempotent
    def post(self, request, pk: int):
        campaign = selectors.campaign_get_for_user(user=request.user, id=pk)
        access.campaign_access_for_action(actor=request.user, campaign=campaign, action="submit")
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        sub = submission_submit(
            actor=request.user,
            campaign=campaign,
            prompt=v["prompt"],
            text=v["text"],
            visibility=v["visibility"],
        )
        return Response(
            SubmissionSerializer(sub, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class SubmissionDetailApi(APIView):
    permission_classes = [CanUseSuggestions]

    @extend_schema(summary=gettext_lazy("一条意见及其答复"), tags=TAGS, responses=SubmissionSerializer)
    def get(self, request, pk: int):
        sub = selectors.submission_get_for_user(user=request.user, id=pk)
        return Response(SubmissionSerializer(sub, context={"request": request}).data)


class SubmissionReplyApi(APIView):
    permission_classes = [CanUseSuggestions]

    @extend_schema(
        summary=gettext_lazy("答复（A 已解决、B 正在解决、C 列入计划、D 留作参考；D 或不予采纳须说明理由）"),
        tags=TAGS,
        request=ReplySerializer,
        responses=SubmissionSerializer,
    )
    @idempotent
    def post(self, request, pk: int):
        sub = selectors.submission_get_for_user(user=request.user, id=pk)
        access.submission_access_for_action(actor=request.user, submission=sub, action="reply")
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        sub = submission_reply(
            actor=request.user,
            submission=sub,
            code=v["reply_code"],
            text=v["text"],
            reason=v["reason"],
            refused=v["refused"],
        )
        return Response(SubmissionSerializer(sub, context={"request": request}).data)
