"""Shortcuts the receipts tests share: an issuer profile, a received pickup."""

from datetime import datetime, timedelta

from entraide.accounts.models import User
from entraide.goods import services as goods
from entraide.goods.models import Pickup
from entraide.goods.tests.helpers import declare, offer_for
from entraide.organisations.models import Organisation
from entraide.receipts import services
from entraide.receipts.models import IssuerProfile

NUMBERS = {"FR": "732 829 320", "BE": "0412.345.678"}


def issuer_for(
    organisation: Organisation, actor: User, *, country: str, regime: str
) -> IssuerProfile:
    """Save the association's issuer profile through the service."""
    return services.issuer_profile_save(
        organisation=organisation,
        actor=actor,
        legal_name=f"{organisation.name} ASBL",
        address="Rue Haute 1",
        postcode="75011" if country == "FR" else "1000",
        town="Paris" if country == "FR" else "Bruxelles",
        country=country,
        registration_number=NUMBERS[country],
        purpose="Aide alimentaire aux personnes démunies",
        regime=regime,
        signatory_name="Marie Curie",
        signatory_role="Présidente",
    )


def received_pickup(
    shop: Organisation | None,
    donor: User,
    association: Organisation,
    member: User,
    window: tuple[datetime, datetime],
    *,
    kg: str = "40",
    taken: str = "40",
    value_cents: int | None = 6000,
    code: str = "dry_food",
    **lot_options: object,
) -> Pickup:
    """Return a pickup of one lot of the shop (None: the donor's own), collected and received."""
    # declare() names a shop; with None the donor gives in their own name, as lot_declare allows.
    options = {"declared_value_cents": value_cents, **lot_options}
    lot = declare(shop, donor, window, kg=kg, code=code, **options)  # type: ignore[arg-type]
    offer = offer_for(lot, association, kg=int(lot.weight_kg))
    goods.offer_accept(offer=offer, actor=member, channel="web")
    start = window[0] + timedelta(minutes=30)
    pickup = goods.pickup_plan(
        offers=[offer],
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        mode="self",
        actor=member,
        channel="web",
    )
    reason = "" if taken == kg else "The van was full"
    goods.pickup_record(
        pickup=pickup, collected={code: taken}, actor=member, channel="web", reason=reason
    )
    goods.pickup_confirm_receipt(pickup=pickup, actor=member, channel="web")
    pickup.refresh_from_db()
    return pickup
