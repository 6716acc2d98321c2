from rest_framework import serializers

from office.org.models import Role, Unit


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name", "kind", "kind_display", "parent", "phone", "is_active"]


class RoleSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Role.choices)
    label = serializers.CharField()


class MeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[("user", "user"), ("api_key", "api_key")],
        help_text="会话用户为 user，单位 API 密钥为 api_key。",
    )
    username = serializers.CharField()
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)
    unit = UnitSerializer(allow_null=True)
    roles = RoleSerializer(many=True)
