"""How the OpenAPI schema documents error answers: one body shape for every refusal."""

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
