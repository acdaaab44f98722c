"""Writes for accounts: sign-up, email verification, passwords, roles, volunteer imports, API keys.

Web pages, the back office, the API and the commands all call these functions.
"""

from entraide.accounts.services.api_keys import (
    API_TOKEN_LIFETIMES_DAYS,
    MAX_ACTIVE_API_TOKENS,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    api_tokens_active,
)
from entraide.accounts.services.roles import ROLE_FIELDS, user_set_roles
from entraide.accounts.services.signup import (
    user_invite,
    user_send_invitation,
    user_send_password_reset,
    user_send_verification,
    user_set_password,
    user_sign_up,
    user_verify_email,
)
from entraide.accounts.services.volunteer_import import volunteers_import_csv

__all__ = [
    "API_TOKEN_LIFETIMES_DAYS",
    "MAX_ACTIVE_API_TOKENS",
    "ROLE_FIELDS",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "api_tokens_active",
    "user_invite",
    "user_send_invitation",
    "user_send_password_reset",
    "user_send_verification",
    "user_set_password",
    "user_set_roles",
    "user_sign_up",
    "user_verify_email",
    "volunteers_import_csv",
]
