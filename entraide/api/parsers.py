"""Reading request bodies: one that is too deep, too large or unreadable is refused clearly.

DRF's own JSON parser lets Python's json module recurse once per nested array or object, so
a body of a hundred thousand "[" ends in a RecursionError (a 500); its error messages are
English only. These parsers answer a translated 400 (or 413 for a body over the size limit)
with a stable `code` instead, for every API view (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES).
"""

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

from entraide.core.numbers import whole_number

# Our bodies are flat objects holding a few lists (two levels); 32 leaves room for any body
# the API may take one day and stays far below the recursion limits of json and serializers.
MAX_DEPTH = 32

# A JSON string (escapes included), or one bracket outside strings.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class BodyTooLarge(APIException):
    """The body is over DATA_UPLOAD_MAX_MEMORY_SIZE."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int | None = None) -> None:
        size = filesizeformat(limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        super().__init__(_("The body is too large: send at most %(size)s.") % {"size": size})


class UnreadableBody(ParseError):
    """The body cannot be read: not JSON, not text, nested too deeply, too many fields."""


def nesting_exceeds(text: str, limit: int) -> bool:
    """Return True when arrays and objects nest more than limit levels, without recursing."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        first = match.group()[0]
        if first in "[{":
            depth += 1
            if depth > limit:
                return True
        elif first in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str) -> None:
    """Refuse NaN, Infinity and -Infinity, which are not JSON."""
    raise UnreadableBody(
        _("The body is not valid JSON: %(value)s is not a number in JSON.") % {"value": name},
        code="not_json",
    )


def body_too_large(content_length: int, limit: int | None = None) -> bool:
    """Return True when a body of this many bytes is over the limit (default: the settings')."""
    limit = limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and content_length > limit


class JSONParser(parsers.JSONParser):
    """JSON bodies, at most MAX_DEPTH levels deep, refused with a translated message."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        """Return the decoded body or raise UnreadableBody."""
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise UnreadableBody(
                _("The body is not text in the %(encoding)s encoding.") % {"encoding": encoding},
                code="not_text",
            ) from exc
        if nesting_exceeds(text, MAX_DEPTH):
            raise UnreadableBody(
                _("The body nests arrays or objects more than %(depth)s levels deep.")
                % {"depth": MAX_DEPTH},
                code="too_deep",
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise UnreadableBody(
                _("The body is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": exc.lineno, "column": exc.colno},
                code="not_json",
            ) from exc


class MultiPartParser(parsers.MultiPartParser):
    """Multipart bodies, bounded like the others (a view taking files sets a larger bound)."""

    max_body_bytes: int | None = None  # None: DATA_UPLOAD_MAX_MEMORY_SIZE

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        """Refuse a body over the size limit before reading it; translate parse errors."""
        request = (parser_context or {})["request"]
        # Django leaves uploaded files out of its limit (they go to disk): count them here.
        # A Content-Length that is not a number counts as 0, as Django reads it.
        length = whole_number(request.META.get("CONTENT_LENGTH")) or 0
        if body_too_large(length, self.max_body_bytes):
            raise BodyTooLarge(self.max_body_bytes)
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            raise UnreadableBody(
                _("The body is not valid multipart form data."), code="not_multipart"
            ) from exc
