"""Sign-up, email verification, password links and invitations."""

import logging

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from entraide.accounts import tokens
from entraide.accounts.models import User
from entraide.accounts.services._common import _check_email, _digest, _save_user
from entraide.accounts.services.lockout import login_unlock
from entraide.core.errors import DomainError
from entraide.core.links import absolute_url
from entraide.core.phones import normalise_phone
from entraide.notifications.models import Notification
from entraide.notifications.services import notify

logger = logging.getLogger(__name__)


def user_check_new(
    *,
    email: str,
    password: str,
    first_name: str,
    language: str,
    errors: dict[str, list[str]],
    last_name: str = "",
    phone: str = "",
) -> User:
    """Check a new account's fields, recording each problem in `errors`; return it unsaved.

    The caller (a volunteer's sign-up) checks its own fields into the same `errors`, so the
    person sees every problem at once, then saves with user_save_new() when there is none.
    """
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
    user = User(
        email=email, first_name=first_name, last_name=last_name, language=language, phone=phone
    )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    return user


def user_save_new(*, user: User, password: str) -> User:
    """Save an account checked by user_check_new(), with its password."""
    user.set_password(password)
    _save_user(user)
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
    login_unlock(email=user.email)
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
