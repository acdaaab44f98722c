"""What the account writes share: address checks, saving a user, a new volunteer's profile."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.accounts.volunteer_csv import (
    MAX_EMAIL_LENGTH,
)
from entraide.volunteers.models import VolunteerProfile


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
        **VolunteerProfile.position_values(lat, lon),
        radius_km=radius_km,
        languages=languages,
        kinds=kinds,
        consented_at=timezone.now(),
    )
    profile.full_clean()
    profile.save()
    return profile
