"""What every goods write shares: the ledger writer, conditional transitions, food-safety dates."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, NotFoundError
from entraide.goods.models import GoodsMovement, Lot, Offer, Pickup
from entraide.notifications.services import notify
from entraide.organisations.models import Organisation
from entraide.organisations.selectors import administrators

M = TypeVar("M", bound=models.Model)

# Chilled and frozen goods must reach the association a day before their use-by date ends,
# so that it can still hand them out cold; other goods may be collected until it ends.
COLD_PICKUP_MARGIN = timedelta(hours=24)
# How long an association has to answer an offer (never past the lot's pickup deadline).
OFFER_ANSWER_TIME = timedelta(hours=24)


def transition(
    row: M,
    *,
    status_field: str = "status",
    allowed_from: tuple[str, ...],
    conflict_message: str,
    gone_message: str,
    extra_filter: dict[str, Any] | None = None,
    **changes: Any,
) -> str:
    """Apply `changes` only if the row is still in `allowed_from`; return the old status.

    As help_requests' _transition: the UPDATE's WHERE clause makes the change atomic across
    processes, so of two concurrent callers the second matches no row and gets a conflict.
    """
    model = type(row)
    old = model._default_manager.filter(pk=row.pk).values_list(status_field, flat=True).first()
    if old is None:
        raise NotFoundError(gone_message)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        changes["updated_at"] = timezone.now()
    updated = model._default_manager.filter(
        pk=row.pk, **{f"{status_field}__in": allowed_from}, **(extra_filter or {})
    ).update(**changes)
    if updated != 1:
        raise ConflictError(conflict_message)
    row.refresh_from_db()
    return str(old)


def move(
    lot: Lot,
    kind: str,
    kg: Decimal | int,
    *,
    actor: User | None,
    channel: str,
    organisation: Organisation | None = None,
    offer: Offer | None = None,
    pickup: Pickup | None = None,
    corrects: GoodsMovement | None = None,
    reason: str = "",
) -> GoodsMovement:
    """Append one row to the goods ledger (a zero row says nothing and is not written)."""
    return GoodsMovement.objects.create(
        lot=lot,
        category_id=lot.category_id,
        kind=kind,
        kg=Decimal(kg),
        organisation=organisation,
        offer=offer,
        pickup=pickup,
        corrects=corrects,
        reason=reason,
        actor=actor,
        channel=channel,
    )


def zone_of(organisation: Organisation | None) -> ZoneInfo:
    """Return the time zone dates of this organisation's goods are read in."""
    if organisation is not None:
        return organisation.territory.zone
    return ZoneInfo(settings.TIME_ZONE)


def pickup_deadline(
    *, use_by: date | None, needs_cold: bool, organisation: Organisation | None
) -> datetime | None:
    """Return when goods with this use-by date must be collected at the latest (None: no date)."""
    if use_by is None:
        return None
    end_of_day = datetime.combine(
        use_by + timedelta(days=1), time.min, tzinfo=zone_of(organisation)
    )
    return end_of_day - COLD_PICKUP_MARGIN if needs_cold else end_of_day


def lot_deadline(lot: Lot) -> datetime | None:
    """Return the lot's pickup deadline (its use-by date and whether it must stay cold)."""
    return pickup_deadline(
        use_by=lot.use_by,
        needs_cold=lot.category.needs_cold or lot.cold_chain,
        organisation=lot.donor_organisation,
    )


def donor_recipients(lot: Lot) -> list[User]:
    """Return who hears about a lot: the person who gives it, or the organisation's admins."""
    if lot.donor_organisation is not None:
        return administrators(lot.donor_organisation)
    return [lot.donor_user] if lot.donor_user is not None and lot.donor_user.is_active else []


def notify_people(
    people: list[User], *, template: str, about: models.Model, key: str, context: dict[str, Any]
) -> None:
    """Queue one email per person about a goods row (sending twice is harmless)."""
    for person in people:
        notify(
            template=template,
            recipient=person,
            about=about,
            context=context,
            dedupe_key=f"goods:{key}:{person.pk}",
        )
