from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Meeting, Receipt, Response


class MeetingReceiptSerializer(serializers.ModelSerializer):
    addressee = serializers.CharField(read_only=True, help_text=_("单位或人员"))

    class Meta:
        model = Receipt
        fields = ("id", "addressee", "response", "attendee_name", "attendee_post", "reason", "answered_at")
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    meeting_type = serializers.CharField(source="meeting_type.name", read_only=True)
    room = serializers.CharField(source="room.name", read_only=True, default="")
    notice_text = serializers.CharField(source="notice.text", read_only=True)
    receipt_deadline = serializers.DateTimeField(source="notice.deadline", read_only=True)
    sent_at = serializers.DateTimeField(source="notice.sent_at", read_only=True)
    receipts = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = (
            "id",
            "title",
            "meeting_type",
            "starts_at",
            "ends_at",
            "room",
            "status",
            "notice_text",
            "sent_at",
            "receipt_deadline",
            "receipts",
        )
        read_only_fields = fields

    def get_receipts(self, meeting) -> list[dict]:
        from .. import access

        actor = self.context["request"].user
        return MeetingReceiptSerializer(
            access.receipts_for_actor(actor=actor, meeting=meeting), many=True
        ).data


class MeetingReceiptAnswerSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=[Response.ATTEND, Response.SUBSTITUTE, Response.ABSENT])
    attendee_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    attendee_post = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SignInRowSerializer(serializers.Serializer):
    receipt = serializers.IntegerField()
    addressee = serializers.CharField()
    expected = serializers.CharField(help_text=_("回执所报参会人员（请假为空）"))
    signed_at = serializers.DateTimeField(allow_null=True)


class SignInStatusSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    expected = serializers.IntegerField()
    arrived = serializers.IntegerField()
    rows = SignInRowSerializer(many=True)
