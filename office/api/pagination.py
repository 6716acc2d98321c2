from rest_framework.pagination import CursorPagination


class StandardCursorPagination(CursorPagination):
    """Keyset pagination: constant cost per page however long the list."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-pk"
