from django.utils.translation import gettext_lazy
from rest_framework import serializers

from office.api.serializers import FormNullableIntegerField, QuerySerializer, StrictCharField
from office.files.registry import file_url

from ..models import Adoption, InfoReport, InfoStatus, InfoType, InfoVersion

ATTACHMENT_FILE_KIND = "information-attachment"


class InfoReportListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(
        choices=InfoStatus.choices, required=False, help_text=gettext_lazy("状态")
    )


class InfoReportSubmitSerializer(serializers.Serializer):
    # An information report as JSON (no files: a JSON body cannot carry one). Sent with a unit's key it
    # is signed and submitted at once (the unit's head signed in the unit's own system).

    info_type = serializers.ChoiceField(
        choices=InfoType.choices,
        help_text=gettext_lazy("类型：dynamic 动态、experience 经验、problem 问题、urgent 紧急"),
    )
    title = StrictCharField(max_length=200, help_text=gettext_lazy("标题"))
    text = StrictCharField(max_length=20000, help_text=gettext_lazy("正文"))
    facts_at = serializers.DateTimeField(help_text=gettext_lazy("事实发生时间（带时区）"))
    urgent_report = FormNullableIntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2147483647,
        help_text=gettext_lazy("关联本单位近期报送的紧急信息编号（事实已在紧急信息中报告时）"),
    )


class InfoReportSubmitUploadSerializer(InfoReportSubmitSerializer):
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=gettext_lazy("附件，可多个（PDF、Office 文档、图片等，每个不超过上传上限）"),
    )


class InfoReportStatusSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    late_stages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = InfoReport
        fields = [
            "id",
            "title",
            "info_type",
            "status",
            "status_display",
            "facts_at",
            "submitted_at",
            "late_stages",
        ]


class InfoVersionSerializer(serializers.ModelSerializer):
    editor = serializers.CharField(source="editor_label", read_only=True)

    class Meta:
        model = InfoVersion
        fields = ["number", "title", "text", "editor", "note", "created_at"]


class InfoAdoptionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Adoption
        fields = ["kind", "kind_display", "adopted_on", "leader"]


class InfoAttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()


class InfoStageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()


class InfoReportDetailSerializer(InfoReportStatusSerializer):
    versions = InfoVersionSerializer(many=True, read_only=True)
    adoptions = InfoAdoptionSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()
    return_reason = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)

    class Meta(InfoReportStatusSerializer.Meta):
        fields = [
            *InfoReportStatusSerializer.Meta.fields,
            "text",
            "urgent_report",
            "return_reason",
            "stages",
            "versions",
            "adoptions",
            "attachments",
        ]

    def get_attachments(self, obj) -> list[dict]:
        request = self.context.get("request")
        data = [
            {"name": a.name, "url": file_url(ATTACHMENT_FILE_KIND, a.pk, request=request, api=True)}
            for a in obj.attachments.all()
        ]
        return InfoAttachmentSerializer(data, many=True).data

    def get_stages(self, obj) -> list[dict]:
        from ..models import STAGE_FIELDS, Stage

        rows = [
            {
                "stage": str(Stage(s).label),
                "due_at": getattr(obj, d),
                "done_at": getattr(obj, e),
                "late": getattr(obj, late),
            }
            for s, (d, e, late) in STAGE_FIELDS.items()
        ]
        return InfoStageSerializer(rows, many=True).data


PERIOD_CHOICES = [
    ("month", gettext_lazy("月度")),
    ("quarter", gettext_lazy("季度")),
    ("year", gettext_lazy("年度")),
]


class InfoRankingQuerySerializer(QuerySerializer):
    period = serializers.ChoiceField(
        choices=PERIOD_CHOICES,
        required=False,
        help_text=gettext_lazy("期间：month 月、quarter 季、year 年（默认本年）"),
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text=gettext_lazy("年份")
    )
    number = serializers.IntegerField(
        required=False, min_value=1, max_value=12, help_text=gettext_lazy("月份（1–12）或季度（1–4）")
    )


class InfoRankRowSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField(source="key", allow_null=True)
    unit = serializers.CharField(source="name")
    submitted = serializers.IntegerField(help_text=gettext_lazy("报送数"))
    adopted = serializers.IntegerField(help_text=gettext_lazy("采用数"))
    rate = serializers.FloatField(help_text=gettext_lazy("采用率（采用数÷报送数）"))
    instructions = serializers.IntegerField(help_text=gettext_lazy("批示数"))
    score = serializers.IntegerField(help_text=gettext_lazy("得分"))
    rank = serializers.IntegerField(help_text=gettext_lazy("排名（得分相同并列）"))
    late = serializers.IntegerField(help_text=gettext_lazy("单位报送迟报数"))


class InfoRankingSerializer(serializers.Serializer):
    period = serializers.CharField()
    rows = InfoRankRowSerializer(many=True)
