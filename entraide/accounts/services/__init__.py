"""Writes for accounts: new accounts, email verification, passwords, roles, API keys.

A volunteer's sign-up and the CSV import of volunteers, which create a profile with the
account, are in entraide.volunteers.services and build on user_check_new / user_save_new.

"""

from entraide.accounts.services.api_keys import (
    API_TOKEN_LIFETIMES_DAYS,
    MAX_ACTIVE_API_TOKENS,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    api_tokens_active,
)
from entraide.accounts.services.lockout import login_unlock
from entraide.accounts.services.roles import ROLE_FIELDS, user_prefer_role, user_set_roles
from entraide.accounts.services.signup import (
    user_check_new,
    user_invite,
    user_save_new,
    user_send_invitation,
    user_send_password_reset,
    user_send_verification,
    user_set_password,
    user_verify_email,
)

__all__ = [
    "login_unlock",
    "API_TOKEN_LIFETIMES_DAYS",
    "MAX_ACTIVE_API_TOKENS",
    "ROLE_FIELDS",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "api_tokens_active",
    "user_check_new",
    "user_invite",
    "user_prefer_role",
    "user_save_new",
    "user_send_invitation",
    "user_send_password_reset",
    "user_send_verification",
    "user_set_password",
    "user_set_roles",
    "user_verify_email",
]
