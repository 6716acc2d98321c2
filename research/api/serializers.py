"""What the API says of calls and proposals: a unit reads the open calls, submits a proposal for its
unit and follows its own proposals' status (and the topic each became)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from office.api.serializers import StrictCharField

from ..models import Proposal, TopicCall, TopicKind


class CallSerializer(serializers.ModelSerializer):
    class Meta:
        model = TopicCall
        fields = ["id", "year", "title", "description", "opened_at", "deadline", "status"]


class ProposalSerializer(serializers.ModelSerializer):
    call = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("选题征集编号。"))
    unit = serializers.CharField(source="unit.name", read_only=True, help_text=_("提出单位。"))
    topic_title = serializers.SerializerMethodField(help_text=_("列入年度计划后的课题名称（未列入为空）。"))

    class Meta:
        model = Proposal
        fields = [
            "id",
            "call",
            "title",
            "kind",
            "reasons",
            "unit",
            "submitted_at",
            "is_late",
            "status",
            "topic_title",
        ]

    def get_topic_title(self, obj) -> str:
        return obj.topic.title if obj.topic_id else ""


class ProposalSubmitSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200, help_text=_("建议选题（至少 4 个字）。"))
    reasons = StrictCharField(help_text=_("选题理由（至少 10 个字）。"))
    kind = serializers.ChoiceField(
        choices=TopicKind.choices,
        default=TopicKind.SPECIAL,
        help_text=_("major 重大课题，special 专项课题。"),
    )
