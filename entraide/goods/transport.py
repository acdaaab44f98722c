"""The one link from goods to help requests: a volunteer driver for a pickup.

An association that cannot collect asks for a driver; the request is a help request of
kind "transport", so it goes through the same notification waves and the operators' queue.
"""

from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from entraide.accounts.models import User
from entraide.core.vocabulary import HelpKind
from entraide.goods.models import Pickup
from entraide.help_requests.models import HelpRequest
from entraide.help_requests.services import help_request_create


def request_driver(*, pickup: Pickup, actor: User | None, channel: str) -> UUID:
    """Ask nearby volunteers to drive the pickup's goods; return the help request's reference."""
    offers = list(pickup.offers.select_related("lot__category", "need"))
    lot = offers[0].lot
    association = pickup.organisation
    language = (actor.language if actor is not None else "") or "fr"
    contact_email = (actor.email if actor is not None else "") or association.email
    contact_phone = (actor.phone if actor is not None else "") or association.phone
    with override(language):
        goods = ", ".join(f"{o.kg_accepted} kg {o.lot.category.name}" for o in offers)
        details = _(
            "Collect %(goods)s at %(donor)s, %(from_address)s, between %(start)s and %(end)s, "
            "and bring them to %(association)s, %(to_address)s."
        ) % {
            "goods": goods,
            "donor": lot.donor,
            "from_address": " ".join(p for p in (lot.address, lot.postcode, lot.town) if p),
            "start": timezone.localtime(pickup.starts_at).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(pickup.ends_at).strftime("%H:%M"),
            "association": association.name,
            "to_address": " ".join(
                p for p in (association.address, association.postcode, association.town) if p
            ),
        }
    help_request = help_request_create(
        kind=HelpKind.TRANSPORT,
        requester_name=association.name[:120],
        town=lot.town or association.town,
        address=lot.address,
        postcode=lot.postcode,
        country=lot.country,
        lat=lot.lat,
        lon=lot.lon,
        consent=True,
        channel=channel,
        details=details[:2000],
        needed_on=timezone.localdate(pickup.starts_at),
        when_note=_("The pickup slot is in the details."),
        languages=[language],
        requester_phone=contact_phone,
        requester_email=contact_email,
        requester_language=language,
        actor=actor,
    )
    return help_request.public_id


def volunteer_id(reference: UUID) -> int | None:
    """Return the id of the volunteer who took a pickup's transport request, if anyone did."""
    return (
        HelpRequest.objects.filter(public_id=reference, taken_by__isnull=False)
        .values_list("taken_by_id", flat=True)
        .first()
    )
