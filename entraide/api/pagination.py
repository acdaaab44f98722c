"""Pagination for API lists."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from entraide.core.numbers import whole_number


class InvalidPage(APIException):
    """A ?limit= or ?offset= that is not a whole number, or out of range."""

    status_code = 400
    default_code = "invalid_page"


def _whole_number(request: Request, name: str, *, minimum: int) -> int | None:
    """Return a query parameter as a whole number, None when absent; refuse anything else."""
    text = request.query_params.get(name)
    if text is None:
        return None
    number = whole_number(text, max_digits=4000)  # huge values are capped by the paginator
    if number is not None and number >= minimum:
        return number
    raise InvalidPage(
        _("%(name)s must be a whole number of at least %(minimum)s.")
        % {"name": name, "minimum": minimum}
    )


class Pagination(LimitOffsetPagination):
    """Limit/offset pages with a ceiling, so that a huge ?limit= cannot overflow the database.

    A limit or offset that is not a whole number answers 400, instead of DRF's silent default.
    """

    max_limit = 200

    def get_limit(self, request: Request) -> int | None:
        """Return the page size asked for (at most max_limit), or the default."""
        limit = _whole_number(request, self.limit_query_param, minimum=1)
        if limit is None:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        """Return where the page starts (0 by default)."""
        return _whole_number(request, self.offset_query_param, minimum=0) or 0
