"""Writes for offers: propose allocations, and the association's answer (accept, decline)."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import (
    ConflictError,
    DomainError,
    PermissionDeniedError,
    clean_reason,
)
from entraide.core.events import record_event
from entraide.core.vocabulary import Channel
from entraide.goods import dispatch, permissions
from entraide.goods.models import (
    LOT_OPEN_STATUSES,
    NEED_OPEN_STATUSES,
    DeclineReason,
    Lot,
    LotEvent,
    LotStatus,
    MovementKind,
    Need,
    NeedEvent,
    NeedStatus,
    Offer,
    OfferEvent,
    OfferStatus,
)
from entraide.goods.services._common import (
    OFFER_ANSWER_TIME,
    donor_recipients,
    lot_deadline,
    move,
    notify_people,
    transition,
)
from entraide.organisations.selectors import administrators


@transaction.atomic
def allocation_propose(
    *,
    lots: Sequence[Lot] | None = None,
    needs: Sequence[Need] | None = None,
    actor: User | None = None,
    channel: str = Channel.SYSTEM,
) -> list[Offer]:
    """Propose the best allocation of what is still open (these lots, or for these needs).

    The allocation itself is the matching core's (through dispatch): the most kilograms
    delivered, then the fewest kg × km, then the associations that received least recently.
    """
    now = timezone.now()
    offers = []
    for proposal in dispatch.proposals_for(lots=lots, needs=needs, now=now):
        lot, need = proposal.lot, proposal.need
        deadline = lot_deadline(lot)
        expires_at = now + OFFER_ANSWER_TIME
        if deadline is not None:
            expires_at = min(expires_at, deadline)
        offer = Offer.objects.create(
            lot=lot,
            need=need,
            kg_proposed=proposal.kg,
            distance_km=round(proposal.km, 2),
            expires_at=expires_at,
        )
        record_event(
            OfferEvent,
            offer,
            "proposed",
            actor=actor,
            channel=channel,
            to_status=OfferStatus.PROPOSED,
            data={"kg": proposal.kg, "km": round(proposal.km, 2)},
        )
        notify_people(
            administrators(need.organisation),
            template="goods_offer_proposed",
            about=offer,
            key=f"offer:{offer.pk}:proposed",
            context={"kg": proposal.kg},
        )
        offers.append(offer)
    return offers


def _answerable(offer: Offer, actor: User | None) -> None:
    """Refuse an answer from someone who does not act for the association, or too late."""
    if not permissions.can_act_for(actor, offer.need.organisation):
        raise PermissionDeniedError(_("Only the association's members can answer this offer."))
    if offer.status != OfferStatus.PROPOSED:
        raise ConflictError(_("This offer has already been answered."))
    if offer.expires_at <= timezone.now():
        raise ConflictError(_("This offer has expired; the goods may be offered to you again."))


@transaction.atomic
def offer_accept(*, offer: Offer, actor: User | None, channel: str, kg: int | None = None) -> Offer:
    """Accept all the kilograms offered (kg None) or part of them; of two accepts, one wins.

    The lot's and the need's open kilograms are claimed by conditional UPDATEs in the same
    transaction as the ledger row and the events: an accept that finds too few left changes
    nothing and gets a ConflictError.
    """
    _answerable(offer, actor)
    lot, need = offer.lot, offer.need
    kg = offer.kg_proposed if kg is None else kg
    if isinstance(kg, bool) or not isinstance(kg, int) or not 1 <= kg <= offer.kg_proposed:
        raise ValidationError(
            {"kg": [_("Accept between 1 and %(kg)s kg.") % {"kg": offer.kg_proposed}]}
        )
    if not lot.divisible and kg != offer.kg_proposed:
        raise ValidationError({"kg": [_("This lot cannot be split: accept all of it or none.")]})
    if (lot.category.needs_cold or lot.cold_chain) and not need.cold_storage:
        raise DomainError(
            _("This lot must stay cold and your association has no cold storage."),
            code="cold_storage",
        )
    deadline = lot_deadline(lot)
    if deadline is not None and deadline <= timezone.now():
        raise ConflictError(_("This lot is past its use-by date: it cannot be collected."))
    now = timezone.now()
    transition(
        offer,
        allowed_from=(OfferStatus.PROPOSED,),
        conflict_message=_("This offer has already been answered."),
        gone_message=_("This offer no longer exists."),
        status=OfferStatus.ACCEPTED if kg == offer.kg_proposed else OfferStatus.PARTIAL,
        kg_accepted=kg,
        answered_at=now,
        answered_by=actor,
    )
    claimed = Lot.objects.filter(pk=lot.pk, status__in=LOT_OPEN_STATUSES, kg_open__gte=kg).update(
        kg_open=F("kg_open") - kg, updated_at=now
    )
    if claimed != 1:
        raise ConflictError(
            _("Another association has just accepted these goods. Thank you anyway!")
        )
    served = Need.objects.filter(pk=need.pk, status__in=NEED_OPEN_STATUSES, kg_open__gte=kg).update(
        kg_open=F("kg_open") - kg, updated_at=now
    )
    if served != 1:
        raise ConflictError(_("Your need does not want that many kilograms any more."))
    lot.refresh_from_db()
    need.refresh_from_db()
    lot_old, need_old = lot.status, need.status
    lot.status = LotStatus.ALLOCATED if lot.kg_open == 0 else LotStatus.PARTIAL
    need.status = NeedStatus.SERVED if need.kg_open == 0 else NeedStatus.PARTIAL
    Lot.objects.filter(pk=lot.pk).update(status=lot.status)
    Need.objects.filter(pk=need.pk).update(status=need.status)
    move(
        lot,
        MovementKind.ALLOCATED,
        kg,
        actor=actor,
        channel=channel,
        organisation=need.organisation,
        offer=offer,
    )
    data = {"kg": kg, "offer_id": offer.pk}
    for model, subject, kind, old_status, new_status in (
        (OfferEvent, offer, "accepted", OfferStatus.PROPOSED, offer.status),
        (LotEvent, lot, "allocated", lot_old, lot.status),
        (NeedEvent, need, "allocated", need_old, need.status),
    ):
        record_event(
            model,  # type: ignore[arg-type]
            subject,
            kind,
            actor=actor,
            channel=channel,
            from_status=old_status,
            to_status=new_status,
            data=data,
        )
    notify_people(
        donor_recipients(lot),
        template="goods_offer_accepted",
        about=offer,
        key=f"offer:{offer.pk}:accepted",
        context={"kg": kg},
    )
    if kg < offer.kg_proposed:
        # What the association did not take goes to the next one.
        allocation_propose(lots=[lot], actor=actor, channel=channel)
    return offer


@transaction.atomic
def offer_decline(
    *, offer: Offer, actor: User | None, channel: str, reason: str, note: str = ""
) -> Offer:
    """Decline an offer with a reason; the kilograms are offered to the next association."""
    _answerable(offer, actor)
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": [_("Choose why you decline.")]})
    note = clean_reason(
        note,
        missing=_("Say why you decline.") if reason == DeclineReason.OTHER else None,
    )
    transition(
        offer,
        allowed_from=(OfferStatus.PROPOSED,),
        conflict_message=_("This offer has already been answered."),
        gone_message=_("This offer no longer exists."),
        status=OfferStatus.DECLINED,
        decline_reason=reason,
        decline_note=note,
        answered_at=timezone.now(),
        answered_by=actor,
    )
    record_event(
        OfferEvent,
        offer,
        "declined",
        actor=actor,
        channel=channel,
        from_status=OfferStatus.PROPOSED,
        to_status=OfferStatus.DECLINED,
        reason=note,
        data={"reason": reason},
    )
    allocation_propose(lots=[offer.lot], actor=actor, channel=channel)
    return offer


@transaction.atomic
def offer_expire(*, offer: Offer) -> Offer:
    """Let an unanswered offer lapse once its time is over, and offer the goods again."""
    transition(
        offer,
        allowed_from=(OfferStatus.PROPOSED,),
        extra_filter={"expires_at__lte": timezone.now()},
        conflict_message=_("This offer cannot expire now."),
        gone_message=_("This offer no longer exists."),
        status=OfferStatus.EXPIRED,
        answered_at=timezone.now(),
    )
    record_event(
        OfferEvent,
        offer,
        "expired",
        channel=Channel.SYSTEM,
        from_status=OfferStatus.PROPOSED,
        to_status=OfferStatus.EXPIRED,
    )
    if offer.lot.status in LOT_OPEN_STATUSES:
        allocation_propose(lots=[offer.lot])
    return offer
