"""What the API says of campaigns and items. No serializer has an author id, a blind token, an
``entered_by`` or a talk's notes: the author is a display name the access module allows
("匿名" for an anonymous item, "署名（仅主任可见）" to anyone but the director and the author)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from office.api.serializers import StrictBooleanField, StrictCharField

from ..models import Campaign, Prompt, ReplyCode, Submission, Visibility


class PromptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prompt
        fields = ["id", "order", "text"]


class CampaignSerializer(serializers.ModelSerializer):
    prompts = PromptSerializer(many=True, read_only=True)
    my_count = serializers.SerializerMethodField(help_text=_("我已提交的条数（含匿名）。"))

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "description",
            "status",
            "opened_at",
            "deadline",
            "min_per_person",
            "prompts",
            "my_count",
        ]

    @extend_schema_field(serializers.IntegerField())
    def get_my_count(self, obj) -> int:
        from ..selectors import my_count

        return my_count(user=self.context["request"].user, campaign=obj)


class SubmissionSerializer(serializers.ModelSerializer):
    prompt = serializers.CharField(source="prompt.text", read_only=True)
    author = serializers.SerializerMethodField(
        help_text=_("作者：匿名意见为“匿名”；署名意见仅主任和作者本人可见姓名。")
    )
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    reply_code = serializers.CharField(read_only=True, help_text=_("答复结果 A、B、C、D；未答复为空。"))

    class Meta:
        model = Submission
        fields = [
            "id",
            "campaign",
            "prompt",
            "text",
            "visibility",
            "author",
            "channel",
            "submitted_at",
            "is_late",
            "status",
            "tags",
            "reply_due_at",
            "reply_code",
            "reply_refused",
            "reply_text",
            "reply_reason",
            "replied_at",
            "answer_satisfied",
            "answer_comment",
            "supervision_item_number",
        ]

    @extend_schema_field(serializers.CharField())
    def get_author(self, obj) -> str:
        from ..selectors import author_name

        return author_name(user=self.context["request"].user, submission=obj)


class SubmitSerializer(serializers.Serializer):
    prompt = serializers.IntegerField(min_value=1, max_value=2147483647, help_text=_("本活动的题目编号。"))
    text = StrictCharField(max_length=20000)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.NAMED)


class ReplySerializer(serializers.Serializer):
    reply_code = serializers.ChoiceField(
        choices=ReplyCode.choices, help_text=_("A 已解决、B 正在解决、C 列入计划、D 留作参考。")
    )
    text = StrictCharField(max_length=20000)
    reason = StrictCharField(max_length=20000, required=False, allow_blank=True, default="")
    refused = StrictBooleanField(required=False, default=False)
