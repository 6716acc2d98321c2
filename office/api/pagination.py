from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class StandardCursorPagination(CursorPagination):
    """Keyset pagination: constant cost per page however long the list.

    A page size or cursor the server cannot use is refused (400 naming the parameter), never silently
    replaced by the default: a client that asked for 500 rows must learn it gets at most 200.
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-pk"
    cursor_query_description = gettext_lazy("分页游标：上一页响应中 next 或 previous 地址里的 cursor 值。")
    page_size_query_description = gettext_lazy("每页条数（1–200，默认 50）。")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        value = raw.strip()
        if not (value.isascii() and value.isdigit()):
            raise ValidationError({self.page_size_query_param: [_("每页条数必须是整数。")]})
        size = int(value)
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("每页条数须在 1 到 {max} 之间。").format(max=self.max_page_size)
                    ]
                }
            )
        return size

    def _invalid_cursor(self):
        return ValidationError({self.cursor_query_param: [_("分页游标无效，请使用上一页响应中的地址。")]})

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except Exception as exc:  # DRF answers NotFound("Invalid cursor"); a bad cursor is bad input
            raise self._invalid_cursor() from exc

    def paginate_queryset(self, queryset, request, view=None):
        # The cursor's position is compared with the ordering column: a position of the wrong type would
        # reach the database (500) unless checked here.
        cursor = self.decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            self._check_position(queryset, cursor.position, self.get_ordering(request, queryset, view))
        return super().paginate_queryset(queryset, request, view)

    def _check_position(self, queryset, position, ordering):
        name = ordering[0].lstrip("-")
        meta = queryset.model._meta
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            return
        try:
            field.to_python(position)
        except (DjangoValidationError, ValueError, TypeError):
            raise self._invalid_cursor() from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters
