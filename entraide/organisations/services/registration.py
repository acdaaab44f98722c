"""Writes for registering an organisation and changing its details."""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.core.events import record_event
from entraide.core.links import absolute_url
from entraide.core.phones import normalise_phone
from entraide.core.places import place_from_input
from entraide.notifications.services import notify
from entraide.organisations import permissions
from entraide.organisations.models import Membership, Organisation, OrganisationEvent, Territory
from entraide.organisations.services._common import Role, Status

logger = logging.getLogger(__name__)
# Public pages live at /organisations/<slug>/: these words are other pages of the app.
RESERVED_SLUGS = {"new", "moderation", "invitations", "mine"}
SLUG_MAX_LENGTH = 70
# Fields an administrator may change after registration (the territory is the moderators').
EDITABLE_FIELDS = (
    "name",
    "kind",
    "description",
    "website",
    "email",
    "phone",
    "registration_number",
    "address",
    "postcode",
    "town",
    "country",
)


def _notify_moderators(organisation: Organisation, event: OrganisationEvent) -> None:
    """Tell the territory's moderators that an organisation waits for their verification."""
    for user in organisation.territory.moderators.filter(is_active=True):
        context = {
            "first_name": user.display_name,
            "organisation_name": organisation.name,
            "territory_name": organisation.territory.name,
            "moderation_url": absolute_url("organisations:moderation", language=user.language),
            "site_name": settings.SITE_NAME,
        }
        notify(
            template="organisation_waiting",
            context=context,
            dedupe_key=f"organisation:{organisation.pk}:event:{event.pk}:{user.pk}",
            recipient=user,
        )


def _unique_slug(name: str) -> str:
    """Return a free slug made from the name (suffixed -2, -3… when taken)."""
    base = slugify(name)[:SLUG_MAX_LENGTH].strip("-") or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    candidate, number = base, 2
    while Organisation.objects.filter(slug=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _clean_contact(
    *, phone: str, town: str, address: str, postcode: str, country: str
) -> tuple[str, float | None, float | None, str, dict[str, list[str]]]:
    """Return the normalised phone, the position, the country and any field errors."""
    errors: dict[str, list[str]] = {}
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    lat = lon = None
    if not town.strip():
        errors["town"] = [_("Enter the town where the organisation is based.")]
    else:
        try:
            place = place_from_input(address=address, postcode=postcode, town=town, country=country)
        except ValidationError as exc:
            errors.update({k: list(v) for k, v in exc.message_dict.items()})
        else:
            lat, lon = place.lat, place.lon
            country = country or place.country
    return phone, lat, lon, (country or "BE").upper(), errors


@transaction.atomic
def organisation_register(
    *,
    user: User,
    name: str,
    kind: str,
    territory: Territory | None,
    town: str,
    description: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    registration_number: str = "",
    address: str = "",
    postcode: str = "",
    country: str = "",
) -> Organisation:
    """Register an organisation waiting for verification; the user becomes its administrator."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter the name of the organisation.")]
    if kind not in Organisation.Kind.values:
        errors["kind"] = [_("Choose what kind of organisation it is.")]
    if territory is None:
        errors["territory"] = [_("Choose the territory where the organisation works.")]
    phone, lat, lon, country, contact_errors = _clean_contact(
        phone=phone, town=town, address=address, postcode=postcode, country=country
    )
    errors.update(contact_errors)
    if errors:
        raise ValidationError(errors)
    assert territory is not None
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        website=website.strip(),
        email=email.strip().lower(),
        phone=phone,
        registration_number=registration_number.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
        town=town.strip(),
        country=country,
        **Organisation.position_values(lat, lon),
        territory=territory,
        status=Status.PENDING,
    )
    # Two registrations with the same name may race for one slug: the loser takes the next.
    for _attempt in range(5):
        organisation.slug = _unique_slug(organisation.name)
        organisation.full_clean(exclude=["slug"])
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError:
            organisation.pk = None
            continue
        break
    else:
        raise ConflictError(_("Please try again: another organisation took this address."))
    membership = Membership(organisation=organisation, user=user, role=Role.ADMINISTRATOR)
    membership.full_clean()
    membership.save()
    event = record_event(
        OrganisationEvent,
        organisation,
        "created",
        actor=user,
        to_status=Status.PENDING,
        data={"slug": organisation.slug, "administrator": user.pk},
    )
    _notify_moderators(organisation, event)
    logger.info("organisation %s registered by user %s", organisation.pk, user.pk)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **changes: Any) -> Organisation:
    """Change the organisation's description and contact details (its administrators only)."""
    if not permissions.can_administer(actor, organisation):
        raise PermissionDeniedError(
            _("Only the administrators of this organisation can change it.")
        )
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() cannot change {sorted(unknown)}")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    values = {
        field: (str(changes[field]).strip() if field in changes else getattr(locked, field))
        for field in EDITABLE_FIELDS
    }
    errors: dict[str, list[str]] = {}
    if not values["name"]:
        errors["name"] = [_("Enter the name of the organisation.")]
    if values["kind"] not in Organisation.Kind.values:
        errors["kind"] = [_("Choose what kind of organisation it is.")]
    place_changed = any(
        values[f] != getattr(locked, f) for f in ("town", "address", "postcode", "country")
    )
    if place_changed or values["phone"] != locked.phone:
        phone, lat, lon, country, contact_errors = _clean_contact(
            phone=values["phone"],
            town=values["town"],
            address=values["address"],
            postcode=values["postcode"],
            country=values["country"],
        )
        errors.update(contact_errors)
        values["phone"] = phone
        if place_changed:
            values["country"] = country
            locked.set_position(lat, lon)
    if errors:
        raise ValidationError(errors)
    values["email"] = values["email"].lower()
    before = {f: getattr(locked, f) for f in EDITABLE_FIELDS}
    for field, value in values.items():
        setattr(locked, field, value)
    locked.full_clean()
    changed = [f for f in EDITABLE_FIELDS if before[f] != values[f]]
    if changed:
        locked.save()
        record_event(
            OrganisationEvent,
            locked,
            "updated",
            actor=actor,
            data={
                "before": {f: before[f] for f in changed},
                "after": {f: values[f] for f in changed},
            },
        )
    organisation.refresh_from_db()
    return organisation
