"""Shortcuts the goods tests share: a lot declared through the service, an offer for a need."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from entraide.accounts.models import User
from entraide.goods import services
from entraide.goods.models import Lot, Need, Offer
from entraide.goods.tests.factories import NeedFactory, OfferFactory, category
from entraide.organisations.models import Organisation


def declare(
    shop: Organisation,
    actor: User,
    window: tuple[datetime, datetime],
    *,
    kg: str = "40",
    code: str = "dry_food",
    use_by: date | None = None,
    **options: object,
) -> Lot:
    """Declare a lot of the shop through the service (proposed only if propose=True)."""
    options.setdefault("cold_chain", category(code).needs_cold)
    options.setdefault("propose", False)
    return services.lot_declare(
        actor=actor,
        channel="web",
        category=category(code),
        windows=[window],
        donor_organisation=shop,
        weight_kg=Decimal(kg),
        use_by=use_by,
        **options,  # type: ignore[arg-type]
    )


def offer_for(lot: Lot, organisation: Organisation, *, kg: int, **need: object) -> Offer:
    """Return a proposed offer of kg of the lot to a new need of the organisation."""
    need_row: Need = NeedFactory.create(
        organisation=organisation, category=lot.category, kg=need.pop("need_kg", kg), **need
    )
    return OfferFactory.create(lot=lot, need=need_row, kg_proposed=kg)


def today() -> date:
    """Return today in the active time zone."""
    return timezone.localdate()
