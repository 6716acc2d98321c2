from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from office.org.models import Role, Unit, UnitKind


class QuerySerializer(serializers.Serializer):
    # The query parameters of one list, validated like a body: a value the server cannot use is a 400
    # naming the parameter, never silently ignored. Pass it to extend_schema(parameters=[...]) so the
    # schema declares each parameter with its type, format and enum.
    #
    # Values are read from a plain dict, so ``?status=`` (present but empty) is refused like any other
    # bad value instead of being taken for "absent"; a repeated parameter counts by its last value.

    @classmethod
    def from_request(cls, request) -> dict:
        params = request.query_params
        data = {name: params[name] for name in cls().fields if name in params}
        serializer = cls(data=data)
        serializer.is_valid(raise_exception=True)
        return {k: v for k, v in serializer.validated_data.items() if v is not None}


class StrictCharField(serializers.CharField):
    # Text, and only text: a JSON number or boolean is refused rather than turned into a string, as the
    # schema (type: string) promises.

    default_error_messages = {"not_text": _("请提供文本（字符串）。")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class FormNullableIntegerField(serializers.IntegerField):
    # A form has no null of its own: the text "null" (what a client generated from the schema sends for
    # a nullable field in multipart) or an empty value means "none", as JSON's null does.

    def validate_empty_values(self, data):
        if data == "null":
            data = None
        return super().validate_empty_values(data)


class StrictBooleanField(serializers.BooleanField):
    # ``true`` or ``false`` exactly, as OpenAPI clients send a boolean query parameter.

    def to_internal_value(self, data):
        if data in ("true", True):
            return True
        if data in ("false", False):
            return False
        self.fail("invalid", input=data)

    default_error_messages = {"invalid": gettext_lazy("必须是 true 或 false。")}


class UnitQuerySerializer(QuerySerializer):
    kind = serializers.ChoiceField(
        choices=UnitKind.choices, required=False, help_text=gettext_lazy("单位类别")
    )
    is_active = StrictBooleanField(required=False, help_text=gettext_lazy("是否启用：true 或 false"))


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=gettext_lazy("上级单位编号；没有上级为 null。")
    )

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name", "kind", "kind_display", "parent", "phone", "is_active"]


class RoleSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Role.choices)
    label = serializers.CharField()


# named CallerKindEnum in the schema
CALLER_KINDS = [("user", gettext_lazy("会话用户")), ("api_key", gettext_lazy("单位 API 密钥"))]


class MeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=CALLER_KINDS,
        help_text=gettext_lazy("会话用户为 user，单位 API 密钥为 api_key。"),
    )
    username = serializers.CharField()
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)
    unit = UnitSerializer(allow_null=True)
    roles = RoleSerializer(many=True)
