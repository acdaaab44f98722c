"""Writes for volunteer profiles: one path for the web, the API, the back office and commands.

Taking, giving back and completing requests live in entraide.help_requests.services.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.core.places import place_from_input, validate_postcode
from entraide.core.vocabulary import HelpKind, Language
from entraide.volunteers.models import ALWAYS_AVAILABLE, NotificationMode, VolunteerProfile

MAX_SKILLS = 30
MAX_SKILL_LENGTH = 60


def normalise_skills(skills: list[str]) -> list[str]:
    """Return the skills trimmed, lower-cased and without repeats, in the order given."""
    cleaned = (" ".join(str(skill).split()).lower()[:MAX_SKILL_LENGTH] for skill in skills)
    return list(dict.fromkeys(skill for skill in cleaned if skill))[:MAX_SKILLS]


def _profile_for_update(user: User) -> VolunteerProfile:
    """Return the user's profile, locked for this transaction (a blank one when they have none)."""
    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    return profile or VolunteerProfile(user=user)


@transaction.atomic
def volunteer_profile_update(
    *,
    user: User,
    town: str,
    postcode: str,
    country: str,
    lat: float | None = None,
    lon: float | None = None,
    radius_km: int,
    languages: list[str],
    kinds: list[str],
    availability: int,
    max_open_requests: int,
    is_paused: bool,
    paused_until: date | None,
    notification_mode: str,
    skills: list[str] | None = None,
) -> VolunteerProfile:
    """Create or change a volunteer's profile; a town without a pin on the map is geocoded."""
    profile = _profile_for_update(user)
    town, postcode, country = town.strip(), postcode.strip(), (country.strip() or "BE").upper()
    errors: dict[str, list[str]] = {}

    unknown_languages = [code for code in languages if code not in Language.values]
    if unknown_languages:
        errors["languages"] = [_("Unknown language: %(code)s") % {"code": unknown_languages[0]}]
    elif not languages:
        errors["languages"] = [_("Choose at least one language you speak.")]
    unknown_kinds = [kind for kind in kinds if kind not in HelpKind.values]
    if unknown_kinds:
        errors["kinds"] = [_("Unknown kind of help: %(kind)s") % {"kind": unknown_kinds[0]}]
    if not 0 < availability <= ALWAYS_AVAILABLE:
        errors["availability"] = [_("Tick at least one time slot, or pause instead.")]
    if paused_until is not None and paused_until < timezone.localdate():
        errors["paused_until"] = [_("Choose today or a later date.")]
    if notification_mode not in NotificationMode.values:
        errors["notification_mode"] = [_("Choose how we should tell you about requests.")]

    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["town"] = [_("This position is not on the map.")]
        try:
            validate_postcode(postcode, country)
        except ValidationError as exc:
            errors.update({field: list(msgs) for field, msgs in exc.message_dict.items()})
    elif not town:
        errors["town"] = [_("Tell us the town you live in.")]
    elif profile.has_location and (town, postcode, country) == (
        profile.town,
        profile.postcode,
        profile.country,
    ):
        # Same home as before: keep the stored position, which may be a precise pin.
        lat, lon = profile.lat, profile.lon
    else:
        try:
            place = place_from_input(postcode=postcode, town=town, country=country)
        except ValidationError as exc:
            errors.update({field: list(msgs) for field, msgs in exc.message_dict.items()})
        else:
            lat, lon = place.lat, place.lon
    if errors:
        raise ValidationError(errors)

    profile.town = town
    profile.postcode = postcode
    profile.country = country
    profile.set_position(lat, lon)
    profile.radius_km = radius_km
    profile.languages = sorted(set(languages), key=Language.values.index)
    profile.kinds = sorted(set(kinds), key=HelpKind.values.index)
    profile.availability = availability
    profile.max_open_requests = max_open_requests
    profile.is_paused = is_paused
    profile.paused_until = None if is_paused else paused_until
    profile.notification_mode = notification_mode
    if skills is not None:
        profile.skills = normalise_skills(skills)
    if profile.consented_at is None:
        profile.consented_at = timezone.now()
    profile.full_clean()
    profile.save()
    return profile


def _existing_profile(user: User) -> VolunteerProfile:
    """Return the user's locked profile, or refuse when they have not completed one."""
    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise DomainError(_("Complete your volunteer profile first."), code="no_profile")
    return profile


@transaction.atomic
def volunteer_pause(*, user: User, until: date | None = None) -> VolunteerProfile:
    """Stop receiving requests, until a date (inclusive) or until the volunteer resumes."""
    profile = _existing_profile(user)
    if until is not None and until < timezone.localdate():
        raise ValidationError({"paused_until": [_("Choose today or a later date.")]})
    profile.is_paused = until is None
    profile.paused_until = until
    profile.full_clean()
    profile.save(update_fields=["is_paused", "paused_until", "updated_at"])
    return profile


@transaction.atomic
def volunteer_resume(*, user: User) -> VolunteerProfile:
    """Receive requests again, straight away."""
    profile = _existing_profile(user)
    profile.is_paused = False
    profile.paused_until = None
    profile.full_clean()
    profile.save(update_fields=["is_paused", "paused_until", "updated_at"])
    return profile
