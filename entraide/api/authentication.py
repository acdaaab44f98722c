"""API keys: `Authorization: Bearer <key>`, checked by the accounts service."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from entraide.accounts import services
from entraide.accounts.models import User
from entraide.core.errors import DomainError


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Authenticate a request that carries a personal API key as a bearer token."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, str] | None:
        """Return (user, key) for a bearer key, None for another scheme; refuse a bad key."""
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # another scheme (Basic, a session): not ours to judge
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the key as 'Authorization: Bearer <key>', with no space in the key.")
            )
        try:
            key = header[1].decode("ascii")
            user = services.api_token_authenticate(key=key)
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from exc
        except DomainError as exc:
            raise exceptions.AuthenticationFailed(exc.message, code=exc.code) from exc
        return user, key

    def authenticate_header(self, request: Request) -> str:
        """Name the scheme in 401 answers."""
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Describe API keys in the OpenAPI schema."""

    target_class = "entraide.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """Return the bearer scheme."""
        return {"type": "http", "scheme": "bearer", "description": _("A personal API key.")}
