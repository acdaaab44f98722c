"""Writes for collection rounds: plan one vehicle's trip to several donors, cancel, drive, record.

The route is ordered by the pure core (`entraide.matching.routes`); this module is its one
adapter for goods: donors become stops (their lots' place, the kilograms accepted, the window
their lots share on the round's day), minutes count from the round's leaving time.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, PermissionDeniedError, clean_reason
from entraide.core.events import record_event
from entraide.goods import permissions
from entraide.goods.models import (
    CollectionRound,
    Offer,
    Pickup,
    PickupMode,
    PickupStatus,
    RoundEvent,
    RoundStatus,
)
from entraide.goods.services._common import lot_deadline, notify_people, transition
from entraide.goods.services.pickups import ACCEPTED, RECORDED
from entraide.matching import routes
from entraide.organisations.models import Organisation

# Minutes a driver spends at each donor (parking, loading, a signature).
SERVICE_MIN = 10
# An effective straight-line speed in town (routes measure great-circle km, see the core).
SPEED_KMH = 20.0
# A round is one vehicle's day: its stops' times are planned within it.
ROUND_LONGEST = timedelta(hours=24)


def _donor_name(offer: Offer) -> str:
    """Return how the association reads the donor of an offer."""
    lot = offer.lot
    return str(lot.donor_organisation or _("A private donor"))


def _stop_window(
    group: Sequence[Offer], starts_at: datetime, ends_at: datetime
) -> tuple[datetime, datetime] | None:
    """Return the time all the donor's lots can be collected during the round, or None."""
    low, high = starts_at, ends_at
    for offer in group:
        lot = offer.lot
        windows = [w for w in lot.windows.all() if w.ends_at > low and w.starts_at < high]
        if not windows:
            return None
        # The donor's lots are collected in one visit: the earliest window that overlaps.
        window = min(windows, key=lambda w: w.starts_at)
        low, high = max(low, window.starts_at), min(high, window.ends_at)
        deadline = lot_deadline(lot)
        if deadline is not None:
            high = min(high, deadline)
        if high <= low:
            return None
    return low, high


def _minutes(moment: datetime, origin: datetime) -> float:
    return (moment - origin).total_seconds() / 60.0


def _refusal(name: str, reason: str) -> str:
    """Return the translated sentence for a donor the route cannot serve."""
    messages = {
        routes.TOO_HEAVY: _("%(donor)s: the goods do not fit in the vehicle."),
        routes.OUT_OF_DAY: _("%(donor)s: their pickup window is outside the round's hours."),
        routes.WINDOW_UNREACHABLE: _(
            "%(donor)s: the vehicle cannot reach them before their pickup window closes."
        ),
        routes.NO_ROOM: _("%(donor)s: the vehicle is full or the round's hours are over."),
    }
    return messages[reason] % {"donor": name}


def _check_planner(actor: User | None, organisation: Organisation) -> None:
    """Refuse anybody but the association's members, staff and operators."""
    if not permissions.can_act_for(actor, organisation):
        raise PermissionDeniedError(_("Only the association's members can plan its rounds."))


def _check_offers(organisation: Organisation, offers: Sequence[Offer]) -> None:
    """Refuse offers of another association, or not accepted, or already in a pickup."""
    if not offers:
        raise ValidationError({"offers": [_("Choose the accepted offers to collect.")]})
    if any(o.need.organisation_id != organisation.pk for o in offers):
        raise ValidationError({"offers": [_("A round collects for one association.")]})
    if any(o.status not in ACCEPTED for o in offers):
        raise ConflictError(_("Only accepted offers can be collected."))


def _stops_of(
    collection_round: CollectionRound, offers: Sequence[Offer], *, actor: User | None
) -> dict[str, float]:
    """Order the offers' donors with the route core and save them as the round's stops.

    Raise a ValidationError naming each donor the vehicle cannot serve; the caller's
    transaction then saves nothing. Return the plan's km and the nearest-neighbour km.
    """
    starts_at, ends_at = collection_round.starts_at, collection_round.ends_at
    groups: dict[tuple[int | None, int | None], list[Offer]] = {}
    for offer in sorted(offers, key=lambda o: o.pk):
        key = (offer.lot.donor_organisation_id, offer.lot.donor_user_id)
        groups.setdefault(key, []).append(offer)
    group_list = list(groups.values())
    stops = []
    for index, group in enumerate(group_list):
        window = _stop_window(group, starts_at, ends_at)
        if window is None:
            raise ValidationError(
                {
                    "offers": [
                        _("%(donor)s: no pickup window during this round.")
                        % {"donor": _donor_name(group[0])}
                    ]
                }
            )
        lot = group[0].lot
        if lot.lat is None or lot.lon is None:
            raise ValidationError(
                {
                    "offers": [
                        _("%(donor)s: the goods have no position on the map.")
                        % {"donor": _donor_name(group[0])}
                    ]
                }
            )
        stops.append(
            routes.Stop(
                id=index,
                lat=float(lot.lat),
                lon=float(lot.lon),
                weight_kg=float(sum(o.kg_accepted for o in group)),
                volume_m3=float(
                    sum(
                        o.lot.volume_m3 * o.kg_accepted / o.lot.weight_kg
                        for o in group
                        if o.lot.volume_m3 and o.lot.weight_kg
                    )
                ),
                window=(_minutes(window[0], starts_at), _minutes(window[1], starts_at)),
                service_min=SERVICE_MIN,
            )
        )
    capacity_kg, capacity_m3 = collection_round.capacity_kg, collection_round.capacity_m3
    van = routes.Vehicle(
        id=0,
        start_min=0.0,
        end_min=_minutes(ends_at, starts_at),
        capacity_kg=float(capacity_kg) if capacity_kg is not None else None,
        capacity_m3=float(capacity_m3) if capacity_m3 is not None else None,
        speed_kmh=SPEED_KMH,
    )
    depot = routes.Depot(collection_round.depot_lat, collection_round.depot_lon)
    plan = routes.plan_routes(depot, [van], stops)
    if plan.unplaced:
        raise ValidationError(
            {
                "offers": [
                    _refusal(_donor_name(group_list[int(str(u.stop_id))][0]), u.reason)
                    for u in plan.unplaced
                ]
            }
        )
    for position, planned in enumerate(plan.routes[0].stops, start=1):
        group = group_list[int(str(planned.stop_id))]
        eta = starts_at + timedelta(minutes=planned.service_start_min)
        # A round's stops get no pickup event while planned: the round's events say it, and a
        # re-plan or a cancellation deletes unrecorded stops (histories are never deleted).
        pickup = Pickup.objects.create(
            organisation=collection_round.organisation,
            mode=PickupMode.ROUND,
            starts_at=eta,
            ends_at=eta + timedelta(minutes=SERVICE_MIN),
            collection_round=collection_round,
            round_position=position,
            round_eta=eta,
            created_by=actor,
        )
        ids = [o.pk for o in group]
        attached = Offer.objects.filter(
            pk__in=ids, pickup__isnull=True, status__in=ACCEPTED
        ).update(pickup=pickup)
        if attached != len(ids):
            raise ConflictError(_("These goods are already in another pickup."))
    km = round(plan.total_km, 2)
    CollectionRound.objects.filter(pk=collection_round.pk).update(
        distance_km=Decimal(str(km)), updated_at=timezone.now()
    )
    collection_round.refresh_from_db()
    return {
        "stops": len(group_list),
        "km": km,
        "nearest_neighbour_km": round(plan.nearest_neighbour_km, 2),
    }


def _release_stops(collection_round: CollectionRound) -> list[int]:
    """Delete the round's stops (none recorded yet): their offers go back to plan."""
    stops = collection_round.stops.all()
    if stops.exclude(status=PickupStatus.PLANNED).exists():
        raise ConflictError(_("This round has started: its stops cannot change."))
    ids = list(Offer.objects.filter(pickup__in=stops).values_list("pk", flat=True))
    Offer.objects.filter(pk__in=ids).update(pickup=None)
    stops.delete()
    return ids


@transaction.atomic
def round_plan(
    *,
    organisation: Organisation,
    offers: Sequence[Offer],
    starts_at: datetime,
    ends_at: datetime,
    actor: User | None,
    channel: str,
    name: str = "",
    vehicle: str = "",
    capacity_kg: Decimal | None = None,
    capacity_m3: Decimal | None = None,
    depot: tuple[float, float] | None = None,
) -> CollectionRound:
    """Plan a round collecting the association's accepted offers, one stop per donor, in order.

    A donor the vehicle cannot serve (too heavy, window missed, outside the hours) refuses the
    whole round with a message naming them; nothing is saved. Of two people planning a round
    with the same offer, one wins and the other gets a conflict.
    """
    _check_planner(actor, organisation)
    _check_offers(organisation, offers)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at) or ends_at <= starts_at:
        raise ValidationError({"starts_at": [_("Give a round that ends after it starts.")]})
    if ends_at <= timezone.now():
        raise ValidationError({"starts_at": [_("This round would already be over.")]})
    if ends_at - starts_at > ROUND_LONGEST:
        raise ValidationError({"ends_at": [_("A round lasts one day at most.")]})
    if depot is None:
        if organisation.lat is None or organisation.lon is None:
            raise ValidationError({"depot": [_("Give where the vehicle leaves from.")]})
        depot = (organisation.lat, organisation.lon)
    day = timezone.localdate(starts_at)
    collection_round = CollectionRound(
        organisation=organisation,
        name=name or _("Round of %(day)s") % {"day": day.isoformat()},
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        vehicle=vehicle,
        capacity_kg=capacity_kg,
        capacity_m3=capacity_m3,
        depot_lat=depot[0],
        depot_lon=depot[1],
        created_by=actor,
    )
    collection_round.full_clean()
    collection_round.save()
    data = _stops_of(collection_round, offers, actor=actor)
    record_event(
        RoundEvent,
        collection_round,
        "planned",
        actor=actor,
        channel=channel,
        to_status=RoundStatus.PLANNED,
        data=data,
    )
    return collection_round


@transaction.atomic
def round_replan(
    *,
    collection_round: CollectionRound,
    offers: Sequence[Offer],
    actor: User | None,
    channel: str,
) -> CollectionRound:
    """Order a planned round again with these offers (its own and new ones); refused: no change."""
    organisation = collection_round.organisation
    _check_planner(actor, organisation)
    _check_offers(organisation, offers)
    # The row lock makes a re-plan and a record or a cancellation of the same round take turns.
    locked = CollectionRound.objects.select_for_update().filter(pk=collection_round.pk).first()
    if locked is None or locked.status != RoundStatus.PLANNED:
        raise ConflictError(_("Only a round not started yet can be planned again."))
    _release_stops(collection_round)
    fresh = list(
        Offer.objects.filter(pk__in=[o.pk for o in offers]).select_related(
            "lot__category", "lot__donor_organisation", "need"
        )
    )
    data = _stops_of(collection_round, fresh, actor=actor)
    record_event(
        RoundEvent,
        collection_round,
        "replanned",
        actor=actor,
        channel=channel,
        from_status=RoundStatus.PLANNED,
        to_status=RoundStatus.PLANNED,
        data=data,
    )
    return collection_round


@transaction.atomic
def round_cancel(
    *, collection_round: CollectionRound, actor: User | None, channel: str, reason: str
) -> CollectionRound:
    """Cancel a round not started yet: its stops are removed and their offers go back to plan."""
    _check_planner(actor, collection_round.organisation)
    reason = clean_reason(reason, missing=_("Say why the round is cancelled."))
    old = transition(
        collection_round,
        allowed_from=(RoundStatus.PLANNED,),
        conflict_message=_("Only a round not started yet can be cancelled."),
        gone_message=_("This round no longer exists."),
        status=RoundStatus.CANCELLED,
    )
    offer_ids = _release_stops(collection_round)
    record_event(
        RoundEvent,
        collection_round,
        "cancelled",
        actor=actor,
        channel=channel,
        from_status=old,
        to_status=RoundStatus.CANCELLED,
        reason=reason,
        data={"offer_ids": offer_ids},
    )
    return collection_round


@transaction.atomic
def round_assign_driver(
    *, collection_round: CollectionRound, email: str, actor: User | None, channel: str
) -> CollectionRound:
    """Name who drives the round by their account's email: they see it and record its stops."""
    _check_planner(actor, collection_round.organisation)
    driver = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if driver is None:
        raise ValidationError(
            {"email": [_("Nobody has an account with this email: ask the driver to sign up.")]}
        )
    old = transition(
        collection_round,
        allowed_from=(RoundStatus.PLANNED, RoundStatus.UNDER_WAY),
        conflict_message=_("This round is over: its driver cannot change."),
        gone_message=_("This round no longer exists."),
        driver=driver,
    )
    record_event(
        RoundEvent,
        collection_round,
        "driver_assigned",
        actor=actor,
        channel=channel,
        from_status=old,
        to_status=old,
        data={"driver_id": driver.pk},
    )
    # The driver learns of the round and finds its sheet; naming them again sends nothing.
    notify_people(
        [driver],
        template="goods_round_driver",
        about=collection_round,
        key=f"round:{collection_round.pk}:driver",
        context={},
    )
    return collection_round


def round_progress(*, pickup: Pickup, actor: User | None, channel: str) -> None:
    """After one of its stops is recorded: the round is under way, and done after its last."""
    collection_round = pickup.collection_round
    if collection_round is None:
        return
    steps = []
    if collection_round.status == RoundStatus.PLANNED:
        steps.append(("started", RoundStatus.PLANNED, RoundStatus.UNDER_WAY))
    left = collection_round.stops.exclude(status__in=(*RECORDED, PickupStatus.RECEIVED))
    if not left.exists():
        steps.append(("done", RoundStatus.UNDER_WAY, RoundStatus.DONE))
    for kind, before, after in steps:
        old = transition(
            collection_round,
            allowed_from=(before,),
            conflict_message=_("This round is over."),
            gone_message=_("This round no longer exists."),
            status=after,
        )
        record_event(
            RoundEvent,
            collection_round,
            kind,
            actor=actor,
            channel=channel,
            from_status=old,
            to_status=after,
        )
