"""What other offices' systems read about outgoing documents addressed to them, and their receipt."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from office.api.serializers import QuerySerializer, StrictBooleanField

from ..models import Document, DocumentReceipt


class OutgoingQuerySerializer(QuerySerializer):
    acknowledged = StrictBooleanField(
        required=False, help_text=gettext_lazy("是否已签收：true 只列已签收的，false 只列未签收的")
    )


class ReceiptSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True, help_text=gettext_lazy("收文单位"))
    acknowledged_via = serializers.ChoiceField(
        choices=DocumentReceipt.Channel.choices,
        allow_blank=True,
        read_only=True,
        help_text=gettext_lazy("签收方式：page 网页、api 接口；未签收为空"),
    )

    class Meta:
        model = DocumentReceipt
        fields = ["unit", "delivered_at", "acknowledged_at", "acknowledged_via"]
        read_only_fields = fields


class OutgoingDocumentSerializer(serializers.ModelSerializer):
    doc_type_display = serializers.CharField(source="get_doc_type_display", read_only=True)
    receipt = serializers.SerializerMethodField(
        help_text=gettext_lazy("本单位的分发签收；发至全部单位的早期公文可能为 null")
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "title",
            "doc_type",
            "doc_type_display",
            "classification",
            "urgency",
            "issuing_body",
            "main_recipients",
            "issued_on",
            "published_at",
            "receipt",
        ]
        read_only_fields = fields

    @extend_schema_field(ReceiptSerializer(allow_null=True))
    def get_receipt(self, doc):
        receipts = getattr(doc, "my_receipts", None)
        if not receipts:
            return None
        return ReceiptSerializer(receipts[0]).data


class OutgoingDocumentDetailSerializer(OutgoingDocumentSerializer):
    class Meta(OutgoingDocumentSerializer.Meta):
        fields = [*OutgoingDocumentSerializer.Meta.fields, "copy_to", "body"]
        read_only_fields = fields
