"""What the account writes share: address checks and saving a user."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from entraide.accounts.models import MAX_EMAIL_LENGTH, User


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
