"""How the OpenAPI schema documents error answers: one body shape for every refusal."""

from typing import Any

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
    """Declare 415 on every operation that reads a body: one it cannot parse is refused so."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            operation["responses"].setdefault(
                "415",
                {
                    "description": str(
                        _("The body is not JSON, a form or multipart data that can be read.")
                    ),
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            )
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
