"""Writes for needs: an association or institution asks for goods, and closes its need."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import PermissionDeniedError
from entraide.core.events import record_event
from entraide.core.places import place_from_input
from entraide.goods import permissions
from entraide.goods.models import (
    MAX_KG,
    MAX_RADIUS_KM,
    NEED_OPEN_STATUSES,
    Category,
    Need,
    NeedEvent,
    NeedStatus,
    Offer,
    OfferEvent,
    OfferStatus,
    Unit,
)
from entraide.goods.services._common import transition
from entraide.organisations.models import Organisation


def _radius(radius_km: Decimal | str | float) -> Decimal:
    """Return the collection radius, or raise a field error."""
    try:
        radius = Decimal(str(radius_km))
    except InvalidOperation:
        radius = Decimal("-1")
    if not (Decimal("0.5") <= radius <= MAX_RADIUS_KM):
        raise ValidationError({"radius_km": [_("Give a distance between 0.5 and 500 km.")]})
    return round(radius, 1)


@transaction.atomic
def need_declare(
    *,
    organisation: Organisation,
    category: Category,
    kg: int,
    by_date: date,
    radius_km: Decimal | str | float,
    actor: User | None,
    channel: str,
    cold_storage: bool = False,
    quantity: Decimal | None = None,
    unit: str = Unit.KG,
    description: str = "",
    address: str = "",
    postcode: str = "",
    town: str = "",
    country: str = "",
    lat: float | None = None,
    lon: float | None = None,
    propose: bool = True,
) -> Need:
    """Save what an association asks for (at its own address unless another is given)."""
    if not permissions.can_act_for(actor, organisation):
        raise PermissionDeniedError(_("Only the association's members can ask for goods."))
    errors: dict[str, list[str]] = {}
    if not category.is_active:
        errors["category"] = [_("This category is not offered any more.")]
    if isinstance(kg, bool) or not isinstance(kg, int) or not 1 <= kg <= int(MAX_KG):
        errors["kg"] = [_("Give a whole number of kilograms between 1 and 100,000.")]
    if by_date < timezone.localdate():
        errors["by_date"] = [_("This date is already past.")]
    try:
        radius = _radius(radius_km)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        radius = Decimal("0")
    place_values = {}
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["town"] = [_("This position is not on the map.")]
        place_values = Need.position_values(lat, lon)
        if not town.strip():
            # The pin was moved from the association's own place: keep its address to read.
            address, postcode = organisation.address, organisation.postcode
            town, country = organisation.town, organisation.country
    elif town.strip():
        try:
            place = place_from_input(address=address, postcode=postcode, town=town, country=country)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            place_values = Need.position_values(place.lat, place.lon)
            country = country or place.country
    elif organisation.has_position:
        address, postcode = organisation.address, organisation.postcode
        town, country = organisation.town, organisation.country
        place_values = Need.position_values(organisation.lat, organisation.lon)
    else:
        errors["town"] = [_("Say where the goods should be collected to.")]
    if errors:
        raise ValidationError(errors)
    need = Need(
        organisation=organisation,
        category=category,
        description=description.strip(),
        kg=kg,
        kg_open=kg,
        quantity=quantity,
        unit=unit,
        by_date=by_date,
        radius_km=radius,
        cold_storage=cold_storage,
        address=address.strip(),
        postcode=postcode.strip(),
        town=town.strip(),
        country=(country or "BE").upper(),
        **place_values,
        channel=channel,
        created_by=actor,
    )
    need.full_clean()
    need.save()
    record_event(
        NeedEvent,
        need,
        "declared",
        actor=actor,
        channel=channel,
        to_status=NeedStatus.OPEN,
        data={"kg": kg},
    )
    if propose:
        from entraide.goods.services.offers import allocation_propose

        allocation_propose(needs=[need], actor=actor, channel=channel)
    return need


@transaction.atomic
def need_close(*, need: Need, actor: User | None, channel: str, reason: str = "") -> Need:
    """Close a need (served elsewhere, no longer wanted); offers waiting for it lapse."""
    if not permissions.can_act_for(actor, need.organisation):
        raise PermissionDeniedError(_("Only the association's members can close this need."))
    old = transition(
        need,
        allowed_from=NEED_OPEN_STATUSES,
        conflict_message=_("This need is already served or closed."),
        gone_message=_("This need no longer exists."),
        status=NeedStatus.CLOSED,
        closed_at=timezone.now(),
    )
    for offer in Offer.objects.filter(need=need, status=OfferStatus.PROPOSED):
        Offer.objects.filter(pk=offer.pk, status=OfferStatus.PROPOSED).update(
            status=OfferStatus.EXPIRED, answered_at=timezone.now()
        )
        record_event(
            OfferEvent,
            offer,
            "need_closed",
            actor=actor,
            channel=channel,
            from_status=OfferStatus.PROPOSED,
            to_status=OfferStatus.EXPIRED,
        )
    record_event(
        NeedEvent,
        need,
        "closed",
        actor=actor,
        channel=channel,
        from_status=old,
        to_status=NeedStatus.CLOSED,
        reason=reason,
    )
    return need
