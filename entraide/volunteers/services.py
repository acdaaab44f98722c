"""Writes for volunteers: sign-up, CSV import and profiles; one path for every entry point.

Taking, giving back and completing requests live in entraide.help_requests.services.
"""

import logging
from datetime import date, timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.accounts.services import (
    user_check_new,
    user_invite,
    user_save_new,
    user_send_verification,
)
from entraide.core.errors import DomainError
from entraide.core.events import record_event
from entraide.core.phones import normalise_phone
from entraide.core.places import place_from_input, validate_postcode
from entraide.core.vocabulary import Channel, HelpKind, Language
from entraide.matching.geo import haversine_km
from entraide.volunteers.models import (
    ALWAYS_AVAILABLE,
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    NotificationMode,
    VolunteerEvent,
    VolunteerProfile,
)
from entraide.volunteers.volunteer_csv import (
    MAX_FILE_BYTES,
    ImportReport,
    RowError,
    VolunteerRow,
    check_volunteer_csv,
)

logger = logging.getLogger(__name__)

# A move shorter than this (a re-saved form, a pin nudged) is not a change of home.
HOME_MOVE_MIN_KM = 0.1
MAX_SKILLS = 30
MAX_SKILL_LENGTH = 60


def normalise_skills(skills: list[str]) -> list[str]:
    """Return the skills trimmed, lower-cased and without repeats, in the order given."""
    cleaned = (" ".join(str(skill).split()).lower()[:MAX_SKILL_LENGTH] for skill in skills)
    return list(dict.fromkeys(skill for skill in cleaned if skill))[:MAX_SKILLS]


def _checked_phone(raw: str, country: str, errors: dict[str, list[str]]) -> str:
    """Return the number in E.164 (read the national way of `country`), or record why not."""
    try:
        return normalise_phone(raw, region=country or None)
    except ValidationError:
        errors["phone"] = [
            _(
                "This is not a phone number we can call. Write it with its area code, "
                "for example 0470 12 34 56, or +32 470 12 34 56 from abroad."
            )
        ]
        return ""


def _home_move_refusal(profile: VolunteerProfile) -> str | None:
    """Return why this volunteer may not move their home now, or None when they may.

    Moving one's home and reading distances again is how an attacker would locate a
    requester (docs/security.md), so a volunteer's own moves are counted over a window.
    """
    days = settings.VOLUNTEER_HOME_CHANGE_DAYS
    limit = settings.VOLUNTEER_HOME_CHANGES
    moves = list(
        VolunteerEvent.objects.filter(
            profile=profile,
            kind=VolunteerEvent.Kind.HOME_MOVED,
            created_at__gt=timezone.now() - timedelta(days=days),
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(moves) < limit:
        return None
    again = timezone.localtime(moves[-1] + timedelta(days=days))
    return _(
        "You have moved your home %(count)s times in %(days)s days, the most we allow to "
        "protect the privacy of the people asking for help. You can change it again "
        "from %(when)s, or ask the phone line."
    ) % {"count": limit, "days": days, "when": formats.date_format(again, "SHORT_DATETIME_FORMAT")}


def _may_move_freely(user: User, actor: User | None, channel: str) -> bool:
    """Return True when staff or an operator changes the profile for someone (not limited)."""
    if channel == Channel.BACKOFFICE:
        return True
    return actor is not None and actor.pk != user.pk and (actor.is_staff or actor.is_operator)


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
    phone: str | None = None,
    actor: User | None = None,
    channel: str = Channel.WEB,
) -> VolunteerProfile:
    """Create or change a volunteer's profile; a town without a pin on the map is geocoded.

    `phone` (for the operators only) is read the national way of the volunteer's country,
    stored in E.164 and blanked by ""; None leaves it as it is. Each move of the home is
    logged; the volunteer's own moves are limited (VOLUNTEER_HOME_CHANGES per
    VOLUNTEER_HOME_CHANGE_DAYS), those made by staff or an operator for them are not.
    """
    profile = _profile_for_update(user)
    town, postcode, country = town.strip(), postcode.strip(), (country.strip() or "BE").upper()
    errors: dict[str, list[str]] = {}
    if phone is not None:
        phone = _checked_phone(phone, country, errors)

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
    moved_km = None
    if profile.pk is not None and profile.has_location and lat is not None and lon is not None:
        assert profile.lat is not None and profile.lon is not None
        moved_km = haversine_km(profile.lat, profile.lon, lat, lon)
        if moved_km < HOME_MOVE_MIN_KM:
            moved_km = None
    if moved_km is not None and "town" not in errors and not _may_move_freely(user, actor, channel):
        refusal = _home_move_refusal(profile)
        if refusal is not None:
            errors["town"] = [refusal]
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
    if moved_km is not None:
        # Only how far, never where from: the log must not keep old homes.
        record_event(
            VolunteerEvent,
            profile,
            VolunteerEvent.Kind.HOME_MOVED,
            actor=actor or user,
            channel=channel,
            data={"moved_km": round(moved_km)},
        )
    if phone is not None and phone != user.phone:
        user.phone = phone
        user.save(update_fields=["phone"])
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


@transaction.atomic
def volunteer_sign_up(
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
    phone = _checked_phone(phone, country.strip().upper(), errors)
    user = user_check_new(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=language,
        phone=phone,
        errors=errors,
    )
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
    town, postcode, country = town.strip(), postcode.strip(), country.strip().upper()
    lat = lon = 0.0
    if not town:
        errors["town"] = [_("Tell us the town you live in.")]
    else:
        try:
            place = place_from_input(town=town, postcode=postcode, country=country)
        except ValidationError as exc:
            errors.update({field: list(msgs) for field, msgs in exc.message_dict.items()})
        else:
            lat, lon, country = place.lat, place.lon, country or place.country
    if errors:
        raise ValidationError(errors)
    user_save_new(user=user, password=password)
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
    rows, errors = check_volunteer_csv(file.read(MAX_FILE_BYTES + 1))
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
