"""Writes for accounts: sign-up, email verification, passwords, roles and volunteer imports.

Web pages, the back office and the `import-volunteers` command all call these functions.
"""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from entraide.accounts import tokens
from entraide.accounts.models import ApiToken, User, UserRoleChange
from entraide.accounts.volunteer_csv import (
    MAX_EMAIL_LENGTH,
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    ImportReport,
    RowError,
    VolunteerRow,
    check_volunteer_csv,
)
from entraide.core.errors import DomainError, PermissionDeniedError
from entraide.core.links import absolute_url
from entraide.core.phones import normalise_phone
from entraide.core.places import geocode
from entraide.core.vocabulary import Language
from entraide.help_requests.kinds import HelpKind
from entraide.matching.geo import cell_of
from entraide.notifications.models import Notification
from entraide.notifications.services import notify
from entraide.volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)

ROLE_FIELDS = ("is_operator", "is_moderator", "is_staff")


def _digest(text: str) -> str:
    """Return a short, stable fingerprint (keeps addresses and tokens out of keys and URLs)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_email(email: str, errors: dict[str, list[str]]) -> str:
    """Return the normalised address, recording why it cannot be used."""
    email = email.strip().lower()
    if not email:
        errors["email"] = [_("Enter your email address.")]
    elif len(email) > MAX_EMAIL_LENGTH:
        errors["email"] = [_("Use an address of at most 150 characters.")]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
        else:
            if User.objects.filter(email__iexact=email).exists():
                errors["email"] = [
                    _("An account already exists with this address. Log in or reset your password.")
                ]
    return email


def _save_user(user: User) -> User:
    """Validate and save a user; the username only mirrors the email, so it is not checked."""
    user.username = user.email
    user.full_clean(exclude=["username", "password"])
    user.save()
    return user


def _create_profile(
    *,
    user: User,
    town: str,
    postcode: str,
    country: str,
    lat: float,
    lon: float,
    radius_km: int,
    languages: list[str],
    kinds: list[str],
) -> VolunteerProfile:
    """Create the volunteer profile of a new account, with the consent given now."""
    profile = VolunteerProfile(
        user=user,
        town=town,
        postcode=postcode,
        country=country,
        lat=lat,
        lon=lon,
        cell=cell_of(lat, lon),
        radius_km=radius_km,
        languages=languages,
        kinds=kinds,
        consented_at=timezone.now(),
    )
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def user_sign_up(
    *,
    email: str,
    password: str,
    first_name: str,
    language: str,
    town: str,
    radius_km: int,
    languages: list[str],
    consent: bool,
    postcode: str = "",
    country: str = "",
    last_name: str = "",
    phone: str = "",
    kinds: list[str] | None = None,
) -> User:
    """Create a volunteer's account and profile, and email them a link to verify the address.

    The account works at once (the person can log in and fill in their profile), but
    nobody is sent requests before their address is verified.
    """
    errors: dict[str, list[str]] = {}
    email = _check_email(email, errors)
    first_name, last_name = first_name.strip(), last_name.strip()
    if not first_name:
        errors["first_name"] = [_("Tell us your first name.")]
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = [_("Choose French, Dutch or English.")]
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    if not consent:
        errors["consent"] = [_("We need your agreement to send you requests from people near you.")]
    if not MIN_RADIUS_KM <= radius_km <= MAX_RADIUS_KM:
        errors["radius_km"] = [_("Choose a distance from 1 to 100 km.")]
    languages = list(dict.fromkeys(code for code in languages if code))
    unknown_languages = [code for code in languages if code not in Language.values]
    if unknown_languages:
        errors["languages"] = [_("Unknown language: %(code)s") % {"code": unknown_languages[0]}]
    elif not languages:
        errors["languages"] = [_("Choose at least one language you speak.")]
    kinds = list(dict.fromkeys(kinds or []))
    unknown_kinds = [kind for kind in kinds if kind not in HelpKind.values]
    if unknown_kinds:
        errors["kinds"] = [_("Unknown kind of help: %(kind)s") % {"kind": unknown_kinds[0]}]
    user = User(
        email=email, first_name=first_name, last_name=last_name, language=language, phone=phone
    )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    town, postcode, country = town.strip(), postcode.strip(), country.strip().upper()
    lat = lon = 0.0
    if not town:
        errors["town"] = [_("Tell us the town you live in.")]
    else:
        try:
            place = geocode(town=town, postcode=postcode, country=country)
        except ValidationError as exc:
            errors.update({field: list(msgs) for field, msgs in exc.message_dict.items()})
        else:
            lat, lon, country = place.lat, place.lon, country or place.country
    if errors:
        raise ValidationError(errors)

    user.set_password(password)
    _save_user(user)
    _create_profile(
        user=user,
        town=town,
        postcode=postcode,
        country=country or "BE",
        lat=lat,
        lon=lon,
        radius_km=radius_km,
        languages=languages,
        kinds=kinds,
    )
    user_send_verification(user=user)
    logger.info("user %s signed up", user.pk)
    return user


def user_send_verification(*, user: User) -> Notification | None:
    """Email the user a link that proves the address is theirs (none once it is verified)."""
    if user.email_verified_at is not None:
        return None
    token = tokens.make_email_verification_token(user_id=user.pk, email=_digest(user.email))
    return notify(
        template="account_verify_email",
        context={
            "first_name": user.display_name,
            "verify_url": absolute_url(
                "accounts:verify", language=user.language, kwargs={"token": token}
            ),
            "valid_days": tokens.EMAIL_VERIFICATION_MAX_AGE.days,
            "site_name": settings.SITE_NAME,
        },
        dedupe_key=f"accounts:verify_email:{user.pk}:{_digest(token)}",
        recipient=user,
    )


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Mark the address as verified from an emailed link; raise DomainError if the link is bad."""
    try:
        user_id, email_digest = tokens.read_email_verification_token(token)
    except signing.SignatureExpired as exc:
        raise DomainError(
            _("This link has expired. Log in and ask for a new one."), code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise DomainError(
            _("This link is not valid. Check that you copied all of it."), code="invalid"
        ) from exc
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    # A link sent to a former address must not verify the new one.
    if user is None or _digest(user.email) != email_digest:
        raise DomainError(
            _("This link is not valid. Check that you copied all of it."), code="invalid"
        )
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def _send_password_link(
    *, user: User, template: str, url_name: str, generator: PasswordResetTokenGenerator
) -> Notification | None:
    """Email a one-time link to choose a password."""
    token = generator.make_token(user)
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return notify(
        template=template,
        context={
            "first_name": user.display_name,
            "email": user.email,
            "url": absolute_url(
                url_name, language=user.language, kwargs={"uidb64": uidb64, "token": token}
            ),
            "site_name": settings.SITE_NAME,
        },
        dedupe_key=f"accounts:{template}:{user.pk}:{_digest(token)}",
        recipient=user,
    )


def user_send_password_reset(*, user: User) -> Notification | None:
    """Email the user a link to choose a new password (valid PASSWORD_RESET_TIMEOUT seconds)."""
    return _send_password_link(
        user=user,
        template="account_password_reset",
        url_name="accounts:password_reset_confirm",
        generator=default_token_generator,
    )


def user_send_invitation(*, user: User) -> Notification | None:
    """Email an invited person a link to choose their password (valid 30 days)."""
    return _send_password_link(
        user=user,
        template="account_invitation",
        url_name="accounts:invitation",
        generator=tokens.invitation_token_generator,
    )


@transaction.atomic
def user_set_password(*, user: User, password: str, from_emailed_link: bool) -> User:
    """Change the password; a link opened from the mailbox also proves the address."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": list(exc.messages)}) from exc
    user.set_password(password)
    fields = ["password"]
    if from_emailed_link and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    user.save(update_fields=fields)
    return user


@transaction.atomic
def user_invite(
    *,
    email: str,
    first_name: str,
    language: str,
    last_name: str = "",
    phone: str = "",
    actor: User | None = None,
) -> User:
    """Create an account without a password and email the person a link to choose one."""
    errors: dict[str, list[str]] = {}
    email = _check_email(email, errors)
    if errors:
        raise ValidationError(errors)
    user = User(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        language=language,
        phone=phone,
    )
    user.set_unusable_password()
    _save_user(user)
    user_send_invitation(user=user)
    logger.info("user %s invited by %s", user.pk, actor.pk if actor else "the system")
    return user


def _can_manage_roles(actor: User) -> bool:
    """Return True for back-office staff allowed to change users."""
    return actor.is_active and actor.is_staff and actor.has_perm("accounts.change_user")


@transaction.atomic
def user_set_roles(
    *, user: User, is_operator: bool, is_moderator: bool, is_staff: bool, actor: User
) -> User:
    """Give or take the operator, moderator and back-office roles, and record the change."""
    if not _can_manage_roles(actor):
        raise PermissionDeniedError(_("You are not allowed to change roles."))
    if actor.pk == user.pk and not is_staff:
        raise DomainError(
            _("You cannot remove your own access to the back office."), code="self_lockout"
        )
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {name: getattr(locked, name) for name in ROLE_FIELDS}
    after = {"is_operator": is_operator, "is_moderator": is_moderator, "is_staff": is_staff}
    if before != after:
        User.objects.filter(pk=user.pk).update(**after)
        UserRoleChange.objects.create(user=locked, actor=actor, before=before, after=after)
    for name, value in after.items():
        setattr(user, name, value)
    return user


class _RowRejected(Exception):
    """A row that passed the checks failed when saved (someone signed up meanwhile)."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def _import_row(row: VolunteerRow, actor: User | None) -> User:
    """Create one invited volunteer from a checked row."""
    try:
        user = user_invite(
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            language=row.language,
            phone=row.phone,
            actor=actor,
        )
        _create_profile(
            user=user,
            town=row.town,
            postcode=row.postcode,
            country=row.country,
            lat=row.lat,
            lon=row.lon,
            radius_km=row.radius_km,
            languages=row.languages,
            kinds=row.kinds,
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _RowRejected(RowError(row.line, field, messages[0])) from exc
    return user


def volunteers_import_csv(
    *, file: IO[bytes], actor: User | None = None, dry_run: bool = False
) -> ImportReport:
    """Check every row of a volunteers CSV; import all of them, or none if any is wrong.

    Each new volunteer gets an account without a password and an email inviting them to
    choose one; their address counts as verified once they have done so.
    """
    rows, errors = check_volunteer_csv(file.read())
    report = ImportReport(rows=rows, errors=errors, dry_run=dry_run)
    if errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for row in rows:
                _import_row(row, actor)
    except _RowRejected as exc:
        report.errors.append(exc.error)
        return report
    report.created = len(rows)
    logger.info("%s volunteers imported by %s", report.created, actor.pk if actor else "a command")
    return report


# API keys -----------------------------------------------------------------------------------

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
