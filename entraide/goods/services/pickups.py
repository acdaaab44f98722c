"""Writes for pickups: plan a slot, record what was taken, confirm receipt."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, PermissionDeniedError, clean_reason
from entraide.core.events import record_event
from entraide.goods import permissions
from entraide.goods.models import (
    LOT_OPEN_STATUSES,
    CollectionRound,
    Lot,
    LotEvent,
    LotStatus,
    MovementKind,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    Pickup,
    PickupEvent,
    PickupMode,
    PickupStatus,
)
from entraide.goods.services._common import (
    donor_recipients,
    lot_deadline,
    move,
    notify_people,
    transition,
)

ACCEPTED = (OfferStatus.ACCEPTED, OfferStatus.PARTIAL)
RECORDED = (PickupStatus.COLLECTED, PickupStatus.PARTIAL, PickupStatus.MISSED)


def _check_slot(offers: Sequence[Offer], starts_at: datetime, ends_at: datetime) -> None:
    """Refuse a slot outside every window of a lot, in the past, or after a deadline."""
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at) or ends_at <= starts_at:
        raise ValidationError({"starts_at": [_("Give a slot that ends after it starts.")]})
    if ends_at <= timezone.now():
        raise ValidationError({"starts_at": [_("This slot is already over.")]})
    for offer in offers:
        lot = offer.lot
        if not lot.windows.filter(starts_at__lte=starts_at, ends_at__gte=ends_at).exists():
            raise ValidationError(
                {"starts_at": [_("Choose a slot inside one of the donor's pickup windows.")]}
            )
        deadline = lot_deadline(lot)
        if deadline is not None and ends_at > deadline:
            raise ValidationError(
                {
                    "starts_at": [
                        _("The goods must be collected before %(deadline)s.")
                        % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
                    ]
                }
            )


@transaction.atomic
def pickup_plan(
    *,
    offers: Sequence[Offer],
    starts_at: datetime,
    ends_at: datetime,
    mode: str,
    actor: User | None,
    channel: str,
) -> Pickup:
    """Plan when the accepted offers of one donor are collected, and by whom."""
    if not offers:
        raise ValidationError({"offers": [_("Choose the accepted offers to collect.")]})
    organisation = offers[0].need.organisation
    donors = {(o.lot.donor_organisation_id, o.lot.donor_user_id) for o in offers}
    if any(o.need.organisation_id != organisation.pk for o in offers) or len(donors) != 1:
        raise ValidationError(
            {"offers": [_("One pickup collects from one donor for one association.")]}
        )
    if not permissions.can_act_for(actor, organisation):
        raise PermissionDeniedError(_("Only the association's members can plan its pickups."))
    if mode not in PickupMode.values:
        raise ValidationError({"mode": [_("Choose how the goods are collected.")]})
    if any(o.status not in ACCEPTED for o in offers):
        raise ConflictError(_("Only accepted offers can be collected."))
    _check_slot(offers, starts_at, ends_at)
    pickup = Pickup.objects.create(
        organisation=organisation,
        mode=mode,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    ids = [o.pk for o in offers]
    attached = Offer.objects.filter(pk__in=ids, pickup__isnull=True, status__in=ACCEPTED).update(
        pickup=pickup
    )
    if attached != len(set(ids)):
        raise ConflictError(_("These goods are already in another pickup."))
    if mode == PickupMode.DRIVER:
        from entraide.goods.transport import request_driver

        pickup.transport_request_id = request_driver(pickup=pickup, actor=actor, channel=channel)
        Pickup.objects.filter(pk=pickup.pk).update(transport_request_id=pickup.transport_request_id)
    record_event(
        PickupEvent,
        pickup,
        "planned",
        actor=actor,
        channel=channel,
        to_status=PickupStatus.PLANNED,
        data={"offer_ids": ids, "mode": mode},
    )
    return pickup


def _kg(value: object) -> Decimal:
    """Return a weighed quantity in kg (two decimals, not negative), or raise."""
    try:
        kg = Decimal(str(value))
    except InvalidOperation:
        kg = Decimal("-1")
    if kg < 0 or kg != round(kg, 2) or not kg.is_finite():
        raise ValidationError({"collected": [_("Give each weight in kg, like 12.5.")]})
    return kg


def _give_back(offer: Offer, kg: Decimal, *, actor: User | None, channel: str) -> None:
    """Return kilograms that were not collected to the lot (if still good) and to the need."""
    lot, need = offer.lot, offer.need
    organisation = need.organisation
    move(
        lot,
        MovementKind.RELEASED,
        -kg,
        actor=actor,
        channel=channel,
        organisation=organisation,
        offer=offer,
    )
    lot.refresh_from_db()
    deadline = lot_deadline(lot)
    still_good = lot.status in (*LOT_OPEN_STATUSES, LotStatus.ALLOCATED) and (
        deadline is None or deadline > timezone.now()
    )
    if still_good:
        Lot.objects.filter(pk=lot.pk).update(
            kg_open=F("kg_open") + kg, status=LotStatus.PARTIAL, updated_at=timezone.now()
        )
    else:
        # Past its date or withdrawn: what was not taken goes off offer at once.
        move(
            lot,
            MovementKind.WITHDRAWN,
            -kg,
            actor=actor,
            channel=channel,
            organisation=lot.donor_organisation,
            reason="not collected",
        )
    whole = Decimal(int(kg))  # needs count whole kilograms
    Need.objects.filter(
        pk=need.pk, status__in=(NeedStatus.OPEN, NeedStatus.PARTIAL, NeedStatus.SERVED)
    ).update(
        kg_open=F("kg_open") + int(whole), status=NeedStatus.PARTIAL, updated_at=timezone.now()
    )


def _is_collector(actor: User | None, pickup: Pickup) -> bool:
    """Return True for whoever collects: the round's driver, or the volunteer driver."""
    if actor is None or not actor.is_active:
        return False
    # Read the driver from the database: a round read before its driver changed must not decide.
    if (
        pickup.collection_round_id is not None
        and CollectionRound.objects.filter(pk=pickup.collection_round_id, driver=actor).exists()
    ):
        return True
    if pickup.mode == PickupMode.DRIVER and pickup.transport_request_id is not None:
        from entraide.goods.transport import volunteer_id

        return volunteer_id(pickup.transport_request_id) == actor.pk
    return False


@transaction.atomic
def pickup_record(
    *,
    pickup: Pickup,
    collected: Mapping[str, object],
    actor: User | None,
    channel: str,
    reason: str = "",
) -> Pickup:
    """Record the weighed kilograms taken, per category code; less than accepted needs a reason.

    Each category's weight is shared among the pickup's offers of that category in order,
    up to what each accepted; what was not taken goes back to the lot and the need.
    """
    offers = list(pickup.offers.select_related("lot__category", "need").order_by("pk"))
    if not (
        permissions.can_act_for(actor, pickup.organisation)
        or any(permissions.can_manage_lot(actor, o.lot) for o in offers[:1])
        or _is_collector(actor, pickup)
    ):
        raise PermissionDeniedError(
            _("Only the association, the donor or the driver can record this pickup.")
        )
    accepted: dict[str, int] = defaultdict(int)
    for offer in offers:
        accepted[offer.lot.category.code] += offer.kg_accepted
    weighed = {code: _kg(value) for code, value in collected.items()}
    unknown = set(weighed) - set(accepted)
    if unknown:
        raise ValidationError(
            {
                "collected": [
                    _("This pickup has no goods of this category: %(code)s")
                    % {"code": sorted(unknown)[0]}
                ]
            }
        )
    for code, kg in weighed.items():
        if kg > accepted[code]:
            raise ValidationError(
                {
                    "collected": [
                        _("More than was accepted (%(kg)s kg): correct the lot's weight first.")
                        % {"kg": accepted[code]}
                    ]
                }
            )
    total = sum(weighed.values(), Decimal("0"))
    short = total < sum(accepted.values())
    status = (
        PickupStatus.MISSED
        if total == 0
        else (PickupStatus.PARTIAL if short else PickupStatus.COLLECTED)
    )
    reason = clean_reason(
        reason,
        missing=_("Say why not everything was collected.") if short else None,
    )
    old = transition(
        pickup,
        allowed_from=(PickupStatus.PLANNED,),
        conflict_message=_("This pickup has already been recorded."),
        gone_message=_("This pickup no longer exists."),
        status=status,
        reason=reason,
        collected_at=timezone.now(),
    )
    left = dict(weighed)
    for offer in offers:
        code = offer.lot.category.code
        taken = min(left.get(code, Decimal("0")), Decimal(offer.kg_accepted))
        left[code] = left.get(code, Decimal("0")) - taken
        if taken > 0:
            move(
                offer.lot,
                MovementKind.COLLECTED,
                taken,
                actor=actor,
                channel=channel,
                organisation=pickup.organisation,
                offer=offer,
                pickup=pickup,
            )
        if taken < offer.kg_accepted:
            _give_back(offer, offer.kg_accepted - taken, actor=actor, channel=channel)
    lots = {o.lot_id: o.lot for o in offers}
    for lot in lots.values():
        lot.refresh_from_db()
        pending = Offer.objects.filter(lot=lot, status__in=ACCEPTED).exclude(
            pickup__status__in=(*RECORDED, PickupStatus.RECEIVED)
        )
        if lot.status == LotStatus.ALLOCATED and not pending.exists():
            Lot.objects.filter(pk=lot.pk, status=LotStatus.ALLOCATED).update(
                status=LotStatus.COLLECTED
            )
            record_event(
                LotEvent,
                lot,
                "collected",
                actor=actor,
                channel=channel,
                from_status=LotStatus.ALLOCATED,
                to_status=LotStatus.COLLECTED,
            )
        elif lot.status == LotStatus.PARTIAL and lot.kg_open > 0:
            from entraide.goods.services.offers import allocation_propose

            allocation_propose(lots=[lot], actor=actor, channel=channel)
    record_event(
        PickupEvent,
        pickup,
        "recorded",
        actor=actor,
        channel=channel,
        from_status=old,
        to_status=status,
        reason=reason,
        data={"collected": {code: str(kg) for code, kg in weighed.items()}},
    )
    if pickup.collection_round_id is not None:
        from entraide.goods.services.rounds import round_progress

        round_progress(pickup=pickup, actor=actor, channel=channel)
    return pickup


@transaction.atomic
def pickup_confirm_receipt(*, pickup: Pickup, actor: User | None, channel: str) -> Pickup:
    """Confirm, for the receiving association, that what was collected arrived."""
    if not permissions.can_act_for(actor, pickup.organisation):
        raise PermissionDeniedError(_("Only the receiving association can confirm receipt."))
    old = transition(
        pickup,
        allowed_from=(PickupStatus.COLLECTED, PickupStatus.PARTIAL),
        conflict_message=_("Only a collected pickup can be confirmed, and only once."),
        gone_message=_("This pickup no longer exists."),
        status=PickupStatus.RECEIVED,
        received_at=timezone.now(),
        received_by=actor,
    )
    for row in pickup.movements.filter(kind=MovementKind.COLLECTED).select_related("lot"):
        move(
            row.lot,
            MovementKind.RECEIVED,
            row.kg,
            actor=actor,
            channel=channel,
            organisation=pickup.organisation,
            offer=row.offer,
            pickup=pickup,
        )
    record_event(
        PickupEvent,
        pickup,
        "received",
        actor=actor,
        channel=channel,
        from_status=old,
        to_status=PickupStatus.RECEIVED,
    )
    lots = {o.lot for o in pickup.offers.select_related("lot__donor_organisation")}
    for lot in lots:
        notify_people(
            donor_recipients(lot),
            template="goods_receipt_confirmed",
            about=pickup,
            key=f"pickup:{pickup.pk}:received:{lot.pk}",
            context={"lot_id": lot.pk},
        )
    return pickup
