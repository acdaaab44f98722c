"""How API callers prove who they are: HTTP Basic, and personal API keys (`Bearer <key>`)."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from entraide.accounts import services
from entraide.accounts.lockout import lockout_message
from entraide.accounts.models import User
from entraide.accounts.two_factor import requires_two_factor
from entraide.api.lockout import LockedOut
from entraide.core.errors import DomainError


class BasicAuthentication(authentication.BasicAuthentication):
    """HTTP Basic, refusing credentials no account can have before they reach the database.

    django-axes counts its failures with the web forms'; a locked address gets 429 and the
    time to wait instead of 401, whatever the password.
    """

    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[User, None]:
        """Refuse a NUL (PostgreSQL cannot look it up: a server error) as a wrong password."""
        if "\x00" in userid or "\x00" in password:
            raise exceptions.AuthenticationFailed(_("Invalid email address or password."))
        try:
            user, _none = super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            # axes marks the request it was given: DRF's, not Django's underneath.
            if request is not None and getattr(request, "axes_locked_out", False):
                minutes = settings.LOGIN_LOCKOUT_MINUTES
                raise LockedOut(
                    wait_seconds=minutes * 60, detail=lockout_message(minutes)
                ) from None
            raise
        if requires_two_factor(user):
            # A password alone cannot pass a second factor: these people use an API key,
            # which they create in a session that passed it.
            raise exceptions.AuthenticationFailed(
                _("Your account logs in with a second factor: use an API key instead."),
                code="two_factor_required",
            )
        return user, None


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


class BasicScheme(OpenApiAuthenticationExtension):
    """Describe our HTTP Basic in the OpenAPI schema, as drf-spectacular does Django REST's."""

    target_class = "entraide.api.authentication.BasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """Return the basic scheme."""
        return {"type": "http", "scheme": "basic"}
