"""The emails about goods: offers to associations, acceptances to donors, pickups, receipts."""

from typing import Any

from django.utils import timezone

from entraide.goods.models import CollectionRound, Offer, Pickup
from entraide.notifications.models import Notification
from entraide.notifications.registry import EmailKind


def offer_context(notification: Notification) -> dict[str, Any]:
    """Return the offer the email is about: the goods, the donor and the association."""
    if notification.about_id is None:
        return {"offer": None}
    offer = (
        Offer.objects.select_related(
            "lot__category", "lot__donor_organisation", "need__organisation"
        )
        .filter(pk=notification.about_id)
        .first()
    )
    if offer is None:
        return {"offer": None}
    return {
        "offer": offer,
        "category": offer.lot.category.name,
        "donor": str(offer.lot.donor),
        "association": offer.need.organisation.name,
        "town": offer.lot.town,
        "expires_at": timezone.localtime(offer.expires_at),
    }


def pickup_context(notification: Notification) -> dict[str, Any]:
    """Return the pickup the email is about, its slot and its goods."""
    if notification.about_id is None:
        return {"pickup": None}
    pickup = Pickup.objects.select_related("organisation").filter(pk=notification.about_id).first()
    if pickup is None:
        return {"pickup": None}
    offers = pickup.offers.select_related("lot__category")
    return {
        "pickup": pickup,
        "association": pickup.organisation.name,
        "starts_at": timezone.localtime(pickup.starts_at),
        "ends_at": timezone.localtime(pickup.ends_at),
        "goods": [{"kg": o.kg_accepted, "category": o.lot.category.name} for o in offers],
        "kg_received": sum((m.kg for m in pickup.movements.filter(kind="received")), start=0),
    }


def round_context(notification: Notification) -> dict[str, Any]:
    """Return the round the driver is named for: its day, hours, association and stops."""
    if notification.about_id is None:
        return {"round": None}
    found = (
        CollectionRound.objects.select_related("organisation")
        .filter(pk=notification.about_id)
        .first()
    )
    if found is None:
        return {"round": None}
    return {
        "round": found,
        "association": found.organisation.name,
        "starts_at": timezone.localtime(found.starts_at),
        "ends_at": timezone.localtime(found.ends_at),
        "stop_count": found.stops.count(),
    }


KINDS = (
    EmailKind("goods_offer_proposed", context=offer_context),
    EmailKind("goods_offer_accepted", context=offer_context),
    EmailKind("goods_pickup_reminder", context=pickup_context),
    EmailKind("goods_receipt_confirmed", context=pickup_context),
    EmailKind("goods_round_driver", context=round_context),
)
