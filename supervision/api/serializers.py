from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import DocType
from office.api.serializers import QuerySerializer, StrictCharField
from office.files.registry import file_url

from .. import access
from ..models import (
    Category,
    ExtensionStatus,
    Feedback,
    FeedbackKind,
    ItemUnit,
    LadderStep,
    Light,
    Milestone,
    Source,
    Status,
    SupervisionItem,
)


class ItemListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False, help_text=_("状态"))
    light = serializers.ChoiceField(
        choices=Light.choices, required=False, help_text=_("红黄绿灯（none：不在办理中）")
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False, help_text=_("类别"))
    source = serializers.ChoiceField(choices=Source.choices, required=False, help_text=_("来源"))
    due_from = serializers.DateField(required=False, help_text=_("办结时限起（含）"))
    due_to = serializers.DateField(required=False, help_text=_("办结时限止（含）"))
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=_("按编号、名称、要求搜索")
    )


class ItemListSerializer(serializers.ModelSerializer):
    light = serializers.ChoiceField(
        choices=Light.choices, read_only=True, help_text=_("红黄绿灯（数据库计算）。")
    )
    # Enum names are fixed in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (ItemStatusEnum…).
    status = serializers.ChoiceField(choices=Status.choices, read_only=True, help_text=_("状态"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    lead_unit = serializers.CharField(
        source="lead_unit.name",
        read_only=True,
        default=None,
        allow_null=True,
        help_text=_("主办单位名称；尚未指定（如交给机关内部人员办理）为 null。"),
    )

    class Meta:
        model = SupervisionItem
        fields = [
            "id",
            "number",
            "title",
            "category",
            "category_display",
            "source",
            "urgency",
            "status",
            "status_display",
            "light",
            "lead_unit",
            "due_at",
            "escalation_level",
            "next_milestone_due",
            "last_feedback_at",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "order", "title", "due_at", "reported_at", "missed_at"]


class ItemUnitSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    unit_id = serializers.IntegerField()

    class Meta:
        model = ItemUnit
        fields = ["unit_id", "unit", "role", "ack_due_at", "acknowledged_at"]


def _actor(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None) if request is not None else None


class LadderStepSerializer(serializers.ModelSerializer):
    # A step's document (督办通知, 通报批评) only where the access module shows it: an external unit
    # sees it once published (null before); office staff always.

    document_id = serializers.SerializerMethodField(
        help_text=_("公文编号（外部单位在公文印发后可见，之前为 null；沟通步骤没有公文，为 null）。")
    )
    document_number = serializers.SerializerMethodField(
        help_text=_("公文文号（外部单位在公文印发后可见，之前为 null；沟通步骤没有公文，为 null）。")
    )

    def _shown(self, step) -> bool:
        request = self.context.get("request")
        # Without a request (no caller to ask about) nothing is shown.
        return request is not None and access.can_see_step_document(request.user, step)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_document_id(self, step):
        return step.document_id if self._shown(step) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_document_number(self, step):
        return (step.document.number or None) if self._shown(step) else None  # none before registration

    class Meta:
        model = LadderStep
        fields = [
            "id",
            "level",
            "kind",
            "trigger",
            "opened_at",
            "due_at",
            "resolved_at",
            "resolution",
            "document_id",
            "document_number",
        ]


KIND_HELP = _("progress 进展反馈；result 办理结果（仅主办单位）。")


class FeedbackSerializer(serializers.ModelSerializer):
    milestone_id = serializers.IntegerField(allow_null=True)
    kind = serializers.ChoiceField(choices=FeedbackKind.choices, read_only=True, help_text=KIND_HELP)
    attachment = serializers.SerializerMethodField(
        help_text=_("附件的下载地址（绝对地址，凭本单位密钥下载）；无附件为 null。")
    )
    attachment_name = serializers.CharField(read_only=True, help_text=_("附件的原文件名。"))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_attachment(self, fb):
        if not fb.attachment:
            return None
        return file_url("supervision-feedback", fb.pk, request=self.context.get("request"), api=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "kind",
            "content",
            "milestone_id",
            "submitted_at",
            "submitted_by_label",
            "review",
            "review_note",
            "attachment",
            "attachment_name",
        ]


class ItemDetailSerializer(ItemListSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    units = ItemUnitSerializer(source="assignments", many=True, read_only=True)
    ladder_steps = LadderStepSerializer(many=True, read_only=True)
    feedback = FeedbackSerializer(many=True, read_only=True)

    class Meta(ItemListSerializer.Meta):
        fields = [
            *ItemListSerializer.Meta.fields,
            "requirement",
            "source_date",
            "source_ref",
            "instructing_leader",
            "lead_person",
            "expected_output",
            "issued_at",
            "closed_at",
            "progress",
            "status_note",
            "milestones",
            "units",
            "ladder_steps",
            "feedback",
        ]


class FeedbackInSerializer(serializers.Serializer):
    # A feedback sent as JSON: no file (a JSON body cannot carry one).

    kind = serializers.ChoiceField(
        choices=FeedbackKind.choices,
        default=FeedbackKind.PROGRESS,
        help_text=KIND_HELP,
    )
    content = StrictCharField(max_length=10000, help_text=_("反馈内容"))
    milestone_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_("对应的工作节点编号。")
    )


class FeedbackUploadSerializer(FeedbackInSerializer):
    # The same feedback as multipart/form-data, with an optional attachment.

    # a form field cannot carry null: leave it out for "no milestone"
    milestone_id = serializers.IntegerField(required=False, min_value=1, help_text=_("对应的工作节点编号。"))
    attachment = serializers.FileField(
        required=False, allow_null=True, help_text=_("附件（PDF、Office 文档、图片等，不超过上传上限）")
    )


class ExtensionInSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000, help_text=_("申请理由"))
    new_due = serializers.DateField(help_text=_("申请延至的日期（须晚于原时限）。"))


class ExtensionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ExtensionStatus.choices)
    old_due_at = serializers.DateTimeField(allow_null=True)
    new_due_at = serializers.DateTimeField()


class AckOutSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.name")
    acknowledged_at = serializers.DateTimeField()


class DocumentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    doc_type = serializers.ChoiceField(
        choices=[(t.value, t.label) for t in (DocType.NOTICE, DocType.CIRCULAR)]
    )
    number = serializers.CharField()
    title = serializers.CharField()
    main_recipients = serializers.CharField()
    body = serializers.CharField()
    issuing_body = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    docx_url = serializers.URLField(help_text=_("Word 文件的下载地址（绝对地址）"))
