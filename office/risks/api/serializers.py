from rest_framework import serializers

from ..models import Risk


class RiskSerializer(serializers.ModelSerializer):
    post = serializers.CharField(source="post.name", read_only=True)
    post_code = serializers.CharField(source="post.code", read_only=True)
    section = serializers.CharField(source="post.section.name", read_only=True)
    area_label = serializers.CharField(source="get_area_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    incident_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "code",
            "post",
            "post_code",
            "section",
            "area",
            "area_label",
            "title",
            "likelihood",
            "impact",
            "score",
            "level",
            "level_label",
            "incident_count",
            "last_reviewed_at",
            "next_review_at",
        ]
        read_only_fields = fields
