"""How the OpenAPI schema documents error answers: one body shape for every refusal."""

from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """A refusal: a translated message, and for business rules a stable code."""

    detail = serializers.CharField(help_text=_("What went wrong, in the caller's language."))
    code = serializers.CharField(
        required=False, help_text=_("A stable name of the refusal, such as forbidden or conflict.")
    )


def error_response(status_code: int, description: str | Promise) -> OpenApiResponse:
    """Document one error answer: invalid input comes by field, any other refusal as a detail."""
    if status_code == 400:
        return OpenApiResponse(description=description)
    return OpenApiResponse(response=ErrorSerializer, description=description)


def document_unreadable_bodies(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Declare 413 and 415 on every operation that reads a body (each declares its own 400).

    A body that cannot be read (not JSON, nested too deep) answers 400, one over the size limit
    413, one of another type 415.
    """
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    answers = {
        "413": {
            "description": str(
                _("The body is larger than %(size)s.")
                % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
            ),
            "content": error,
        },
        "415": {
            "description": str(
                _("The body is not JSON, a form or multipart data that can be read.")
            ),
            "content": error,
        },
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            for status_code, answer in answers.items():
                operation["responses"].setdefault(status_code, answer)
    return result


def document_bad_parameters(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Declare 400 on every operation with query parameters: a value it cannot read is refused."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                operation["responses"].setdefault(
                    "400",
                    {
                        "description": str(_("A parameter holds a value that cannot be read.")),
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
