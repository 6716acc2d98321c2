from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from office.api.serializers import QuerySerializer, StrictCharField
from office.files.registry import file_url

from ..models import (
    ELEMENT_KEYS,
    REPORT_ELEMENTS,
    ReportAttachment,
    ReportLevel,
    ReportStatus,
    ReportUpdate,
    UpdateKind,
    UrgentReport,
)
from ..services.reports import missing_elements

ATTACHMENT_FILE_KIND = "duty-report-attachment"


def _elements_help() -> str:
    keys = "；".join(f"{key} {label}" for key, label, _key in REPORT_ELEMENTS)
    return _("要素对象：键为下列要素，值为文字，只填已掌握的。") + keys


ELEMENTS_HELP = lazy(_elements_help, str)()

# The elements as the schema states them: an object whose keys are the known elements, each a string.
# The field below refuses exactly what this schema refuses (other keys, values that are not strings).
ELEMENTS_SCHEMA = {
    "type": "object",
    "properties": {key: {"type": "string", "description": label} for key, label, _key in REPORT_ELEMENTS},
    "additionalProperties": False,
}


@extend_schema_field(ELEMENTS_SCHEMA, component_name="Elements")
class ElementsField(serializers.JSONField):
    # The elements of a report: a JSON object in a JSON body, JSON text in a multipart form.

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("要素必须是对象（JSON）。"))
        unknown = sorted(set(value) - set(ELEMENT_KEYS))
        if unknown:
            shown = "、".join(str(k)[:40] for k in unknown[:10])
            raise serializers.ValidationError(_("未知的要素：{unknown}").format(unknown=shown))
        out = {}
        for key, text in value.items():
            if not isinstance(text, str):
                raise serializers.ValidationError(_("要素“{key}”的值必须是文字。").format(key=key))
            if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
                raise serializers.ValidationError(_("要素“{key}”含有不允许的字符。").format(key=key))
            out[key] = text
        return out

    def to_representation(self, value):
        return value


def _attachments_field():
    return serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=gettext_lazy("附件，可多个（PDF、Office 文档、图片等，每个不超过上传上限）"),
    )


class ReportListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(
        choices=ReportStatus.choices, required=False, help_text=gettext_lazy("状态")
    )
    level = serializers.ChoiceField(
        choices=ReportLevel.choices, required=False, help_text=gettext_lazy("级别")
    )


class ReportSubmitSerializer(serializers.Serializer):
    # A first report as JSON (no files: a JSON body cannot carry one).

    title = StrictCharField(max_length=200, help_text=gettext_lazy("事件标题"))
    level = serializers.ChoiceField(
        choices=ReportLevel.choices, help_text=gettext_lazy("级别：特别重大、重大、较大、一般")
    )
    elements = ElementsField(required=False, default=dict, help_text=ELEMENTS_HELP)
    text = StrictCharField(required=False, allow_blank=True, default="", help_text=gettext_lazy("首报正文"))


class ReportSubmitUploadSerializer(ReportSubmitSerializer):
    # The same first report as multipart/form-data: elements as JSON text, files as attachments.

    attachments = _attachments_field()


# the kinds a unit may send after the first report (named UpdateSubmitKindEnum in the schema)
UPDATE_SUBMIT_KINDS = [
    (UpdateKind.FOLLOWUP, UpdateKind.FOLLOWUP.label),
    (UpdateKind.FINAL, UpdateKind.FINAL.label),
]


class ReportUpdateSubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=UPDATE_SUBMIT_KINDS,
        help_text=gettext_lazy("followup 续报；final 终报"),
    )
    elements = ElementsField(required=False, default=dict, help_text=ELEMENTS_HELP)
    text = StrictCharField(required=False, allow_blank=True, default="", help_text=gettext_lazy("正文"))


class ReportUpdateSubmitUploadSerializer(ReportUpdateSubmitSerializer):
    attachments = _attachments_field()


class ReportUpdateOutSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=gettext_lazy("首报、续报一、续报二……终报"))
    elements = ElementsField(read_only=True, help_text=gettext_lazy("这次报告新报的要素"))

    class Meta:
        model = ReportUpdate
        fields = ["seq", "kind", "label", "received_at", "elements", "text"]


class ReportStatusSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_unit = serializers.CharField(
        source="source_unit.code", read_only=True, allow_null=True, default=None
    )
    missing_elements = serializers.SerializerMethodField(help_text=gettext_lazy("尚缺的要素（名称）"))

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
        help_text=gettext_lazy("随哪次报告报送：0 首报，1 起为续报、终报的序号"),
    )
    url = serializers.SerializerMethodField(help_text=gettext_lazy("下载地址（绝对地址，需同一 API 密钥）"))

    class Meta:
        model = ReportAttachment
        fields = ["id", "name", "size", "update_seq", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return file_url(ATTACHMENT_FILE_KIND, obj.pk, request=self.context.get("request"), api=True)


class ReportDetailSerializer(ReportStatusSerializer):
    updates = ReportUpdateOutSerializer(many=True, read_only=True)
    attachments = ReportAttachmentOutSerializer(many=True, read_only=True)
    elements = ElementsField(read_only=True, help_text=gettext_lazy("至今报告的全部要素"))

    class Meta(ReportStatusSerializer.Meta):
        fields = ReportStatusSerializer.Meta.fields + ["elements", "updates", "attachments"]
