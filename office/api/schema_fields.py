"""How the schema describes the serializer fields whose rule JSON Schema would otherwise leave out.

A text field that may not be blank is refused when it holds only whitespace (DRF trims it first, with
Python's idea of whitespace, which includes the control characters U+001C to U+001F): the schema says
so with ``pattern: "\\S"`` (at least one character that is not whitespace), so that a client generating
requests from the schema never sends one that is bound to be refused.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

NOT_BLANK = r"\S"


class NonBlankTextExtension(OpenApiSerializerFieldExtension):
    target_class = serializers.CharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if (
            direction == "request"
            and not field.read_only
            and not field.allow_blank
            and field.trim_whitespace
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "format" not in schema
        ):
            schema["pattern"] = NOT_BLANK
        return schema
