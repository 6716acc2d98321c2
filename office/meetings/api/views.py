"""The units' API for meetings (their per-unit key, or a signed-in session): the notices addressed to
them, their receipts, their sign-in status. Another unit's meeting or receipt answers 404."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.idempotency import idempotent
from office.api.permissions import access_permission

from .. import access, selectors
from ..models import MeetingNotice, Receipt
from ..services.notices import receipt_answer
from .serializers import (
    MeetingReceiptAnswerSerializer,
    MeetingReceiptSerializer,
    NoticeSerializer,
    SignInStatusSerializer,
)

TAGS = [gettext_lazy("办会")]

CanUseMeetings = access_permission(access.can_list, gettext_lazy("仅限办公室干部职工和参会单位使用。"))


def _noticed(user):
    return (
        selectors.meeting_list_for_user(user=user)
        .filter(notice__isnull=False)
        .select_related("meeting_type", "room", "notice")
        .order_by("-starts_at", "-id")
    )


class NoticeListApi(generics.ListAPIView):
    permission_classes = [CanUseMeetings]
    serializer_class = NoticeSerializer
    filter_backends: list = []

    def get_queryset(self):
        return _noticed(self.request.user)

    @extend_schema(summary=gettext_lazy("发给本单位的会议通知及本单位的回执"), tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NoticeDetailApi(APIView):
    permission_classes = [CanUseMeetings]

    @extend_schema(summary=gettext_lazy("一份会议通知及本单位的回执"), tags=TAGS, responses=NoticeSerializer)
    def get(self, request, pk: int):
        meeting = _noticed(request.user).filter(pk=pk).first()
        if meeting is None:
            raise access.not_found()
        return Response(NoticeSerializer(meeting, context={"request": request}).data)


class ReceiptAnswerApi(APIView):
    permission_classes = [CanUseMeetings]

    @extend_schema(
        summary=gettext_lazy("报送回执：参会（姓名）、代会（姓名和职务）或请假（事由）"),
        tags=TAGS,
        request=MeetingReceiptAnswerSerializer,
        responses=MeetingReceiptSerializer,
    )
    @idempotent
    def post(self, request, pk: int):
        receipt = Receipt.objects.select_related("meeting", "unit", "person__staff").filter(pk=pk).first()
        if receipt is None:
            raise access.not_found()
        access.receipt_access(actor=request.user, receipt=receipt)
        data = MeetingReceiptAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = receipt_answer(actor=request.user, receipt=receipt, **data.validated_data)
        return Response(MeetingReceiptSerializer(receipt).data)


class SignInStatusApi(APIView):
    permission_classes = [CanUseMeetings]

    @extend_schema(
        summary=gettext_lazy("本单位参会人员的签到情况"), tags=TAGS, responses=SignInStatusSerializer
    )
    def get(self, request, pk: int):
        meeting = selectors.meeting_get_for_user(user=request.user, id=pk)
        if not MeetingNotice.objects.filter(meeting=meeting).exists():
            raise access.not_found()
        att = selectors.attendance(actor=request.user, meeting=meeting)
        rows = [
            {
                "receipt": row.receipt.pk,
                "addressee": row.receipt.addressee,
                "expected": row.expected,
                "signed_at": row.signed.signed_at if row.signed else None,
            }
            for row in att["rows"]
        ]
        return Response(
            SignInStatusSerializer(
                {"meeting": meeting.pk, "expected": att["expected"], "arrived": att["arrived"], "rows": rows}
            ).data
        )
