from rest_framework import serializers

from ..models import (
    Feedback,
    FeedbackKind,
    ItemUnit,
    LadderStep,
    Light,
    Milestone,
    SupervisionItem,
)


class ItemListSerializer(serializers.ModelSerializer):
    light = serializers.ChoiceField(
        choices=Light.choices, read_only=True, help_text="红黄绿灯（数据库计算）。"
    )
    # A plain string (values below): an enum named "status" would collide with other apps' in the schema.
    status = serializers.CharField(
        read_only=True,
        help_text="状态：draft 草稿、issued 已交办、in_progress 办理中、submitted 已报结果、closed 已办结、cancelled 已撤销。",
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    lead_unit = serializers.CharField(source="lead_unit.name", read_only=True, default=None)

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


class LadderStepSerializer(serializers.ModelSerializer):
    document_id = serializers.IntegerField(allow_null=True)
    document_number = serializers.CharField(source="document.number", default=None)

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


KIND_HELP = "progress 进展反馈；result 办理结果（仅主办单位）。"


class FeedbackSerializer(serializers.ModelSerializer):
    milestone_id = serializers.IntegerField(allow_null=True)
    # Plain strings: an enum named "kind" would collide with other apps' enums in the schema.
    kind = serializers.CharField(help_text=KIND_HELP)

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
    kind = serializers.ChoiceField(
        choices=FeedbackKind.choices,
        default=FeedbackKind.PROGRESS,
        help_text=KIND_HELP,
    )
    content = serializers.CharField(max_length=10000)
    milestone_id = serializers.IntegerField(required=False, allow_null=True, help_text="对应的工作节点编号。")
    attachment = serializers.FileField(required=False, allow_null=True)


class ExtensionInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    new_due = serializers.DateField(help_text="申请延至的日期（须晚于原时限）。")


class ExtensionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    old_due_at = serializers.DateTimeField(allow_null=True)
    new_due_at = serializers.DateTimeField()


class AckOutSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.name")
    acknowledged_at = serializers.DateTimeField()


class DocumentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    doc_type = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    main_recipients = serializers.CharField()
    body = serializers.CharField()
    issuing_body = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    docx_url = serializers.CharField()
