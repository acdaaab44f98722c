"""Pagination for API lists."""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """Limit/offset pages with a ceiling, so that a huge ?limit= cannot overflow the database."""

    max_limit = 200
