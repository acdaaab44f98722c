"""Personal API keys: created once, stored hashed, revoked at once."""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import ApiToken, User
from entraide.core.errors import DomainError, PermissionDeniedError

logger = logging.getLogger(__name__)


API_TOKEN_LIFETIMES_DAYS = (30, 90, 365)
MAX_ACTIVE_API_TOKENS = 10
_API_KEY_TAG = "ent"
# last_used_at is written at most this often per key, not on every API call.
_LAST_USED_PRECISION = timedelta(minutes=1)
# Ours are 45 characters; anything much longer is refused before it is hashed.
_MAX_KEY_LENGTH = 100


def _api_token_hash(key: str) -> str:
    # A key holds 190 random bits: a plain SHA-256 cannot be reversed by guessing.
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str, lifetime_days: int | None) -> tuple[ApiToken, str]:
    """Create a personal API key; return the row and the key, which is never shown again.

    `lifetime_days` is one of API_TOKEN_LIFETIMES_DAYS, or None for a key that does not expire.
    """
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the key a name, so you know later what it is for.")]
    elif len(name) > 100:
        errors["name"] = [_("Use at most 100 characters.")]
    if lifetime_days is not None and lifetime_days not in API_TOKEN_LIFETIMES_DAYS:
        errors["lifetime_days"] = [_("Choose one of the proposed durations.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Locking the user serialises two creations, so the limit holds.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if api_tokens_active(user).count() >= MAX_ACTIVE_API_TOKENS:
            raise DomainError(
                _("You already have %(count)d active keys: revoke one before creating another.")
                % {"count": MAX_ACTIVE_API_TOKENS},
                code="too_many_keys",
            )
        prefix = secrets.token_hex(4)
        key = f"{_API_KEY_TAG}_{prefix}_{secrets.token_urlsafe(24)}"
        expires_at = None
        if lifetime_days is not None:
            expires_at = timezone.now() + timedelta(days=lifetime_days)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            key_hash=_api_token_hash(key),
            expires_at=expires_at,
        )
    logger.info("API key %s created for user %s", prefix, user.pk)
    return token, key


def api_tokens_active(user: User) -> QuerySet[ApiToken]:
    """Return the user's keys that still work."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a key at once; its owner and staff may do it, revoking twice changes nothing."""
    if actor.pk != token.user_id and not actor.is_staff:
        raise PermissionDeniedError(_("This key is not yours."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    logger.info("API key %s revoked by user %s", token.prefix, actor.pk)
    return token


def api_token_authenticate(*, key: str) -> User:
    """Return the active user a key belongs to, and note its use; raise DomainError if none."""
    parts = key.split("_", 2)  # the random part may hold "_" too
    invalid = DomainError(_("This API key is not valid."), code="invalid_key")
    if (
        len(key) > _MAX_KEY_LENGTH
        or len(parts) != 3
        or parts[0] != _API_KEY_TAG
        or len(parts[1]) != 8
        or not parts[2]
        # Keys are URL-safe text; anything else (a NUL PostgreSQL would refuse) is no key.
        or not (key.isascii() and key.isprintable())
    ):
        raise invalid
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, _api_token_hash(key)):
        raise invalid
    now = timezone.now()
    if token.revoked_at is not None:
        raise DomainError(_("This API key has been revoked."), code="revoked_key")
    if token.expires_at is not None and token.expires_at <= now:
        raise DomainError(_("This API key has expired."), code="expired_key")
    if not token.user.is_active:
        raise invalid
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - _LAST_USED_PRECISION)
    ).update(last_used_at=now)
    return token.user
