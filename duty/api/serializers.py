from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from office.files.registry import file_url

from ..models import (
    ELEMENT_KEYS,
    ReportAttachment,
    ReportLevel,
    ReportUpdate,
    UpdateKind,
    UrgentReport,
)
from ..services.reports import missing_elements

ATTACHMENT_FILE_KIND = "duty-report-attachment"

ELEMENTS_HELP = (
    "要素对象，键为："
    + "、".join(ELEMENT_KEYS)
    + "（时间、地点、来源、性质原因、经过、伤亡含失联、损失、影响范围、发展趋势、已采取措施、到场领导、请求事项、现场联系人）。"
)


def _check_elements(value):
    if not isinstance(value, dict):
        raise serializers.ValidationError(_("要素必须是对象（JSON）。"))
    unknown = sorted(set(value) - set(ELEMENT_KEYS))
    if unknown:
        raise serializers.ValidationError(_("未知的要素：{unknown}").format(unknown="、".join(unknown)))
    return {k: str(v) for k, v in value.items()}


class ReportSubmitSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="事件标题")
    level = serializers.ChoiceField(choices=ReportLevel.choices, help_text="级别：特别重大、重大、较大、一般")
    elements = serializers.JSONField(required=False, default=dict, help_text=ELEMENTS_HELP)
    text = serializers.CharField(required=False, allow_blank=True, default="", help_text="首报正文")
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="附件（multipart/form-data）"
    )

    def validate_elements(self, value):
        return _check_elements(value)


class ReportUpdateSubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(UpdateKind.FOLLOWUP, "续报"), (UpdateKind.FINAL, "终报")],
        help_text="followup 续报；final 终报",
    )
    elements = serializers.JSONField(required=False, default=dict, help_text="只报新情况。" + ELEMENTS_HELP)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    def validate_elements(self, value):
        return _check_elements(value)


class ReportUpdateOutSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="首报、续报一、续报二……终报")

    class Meta:
        model = ReportUpdate
        fields = ["seq", "kind", "label", "received_at", "elements", "text"]


class ReportStatusSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_unit = serializers.CharField(
        source="source_unit.code", read_only=True, allow_null=True, default=None
    )
    missing_elements = serializers.SerializerMethodField(help_text="尚缺的要素")

    class Meta:
        model = UrgentReport
        fields = [
            "id",
            "title",
            "level",
            "level_display",
            "status",
            "status_display",
            "source_unit",
            "received_at",
            "phone_due_at",
            "written_due_at",
            "phone_reported_at",
            "written_reported_at",
            "phone_late",
            "written_late",
            "completeness",
            "missing_elements",
            "update_count",
            "closed_at",
        ]

    def get_missing_elements(self, obj) -> list[str]:
        return missing_elements(obj.elements)


class ReportAttachmentOutSerializer(serializers.ModelSerializer):
    update_seq = serializers.IntegerField(
        source="update.seq",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="随哪次报告报送：0 首报，1 起为续报、终报的序号",
    )
    url = serializers.SerializerMethodField(help_text="下载地址（需同一 API 密钥）")

    class Meta:
        model = ReportAttachment
        fields = ["id", "name", "size", "update_seq", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return file_url(ATTACHMENT_FILE_KIND, obj.pk, request=self.context.get("request"), api=True)


class ReportDetailSerializer(ReportStatusSerializer):
    updates = ReportUpdateOutSerializer(many=True, read_only=True)
    attachments = ReportAttachmentOutSerializer(many=True, read_only=True)

    class Meta(ReportStatusSerializer.Meta):
        fields = ReportStatusSerializer.Meta.fields + ["elements", "updates", "attachments"]
