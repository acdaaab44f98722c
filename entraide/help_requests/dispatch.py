"""The one adapter between help requests and the pure wave policy in `entraide.matching.waves`.

It reads the volunteers around a request (only the grid cells its widest wave covers),
turns them into plain `Candidate` values, asks the policy who to notify, and writes the
outcome: offers, the request's new state, an event, and one email per volunteer.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.events import record_event
from entraide.core.links import absolute_url
from entraide.core.nearby import rows_near
from entraide.core.vocabulary import Channel
from entraide.help_requests.models import (
    OPEN_STATUSES,
    HelpRequest,
    HelpRequestEvent,
    Offer,
    Status,
)
from entraide.matching.waves import (
    Candidate,
    WavePlan,
    WavePolicy,
    is_eligible,
    needed_periods,
    plan_wave,
    score,
)
from entraide.notifications.services import notify
from entraide.volunteers.models import VolunteerProfile

# The first read covers this radius; it doubles until the wave is settled (see _settled).
FIRST_REACH_KM = 0.5
ID_BATCH = 900


def wave_policy() -> WavePolicy:
    """Return the wave policy configured in the settings."""
    radii = tuple(
        min(float(r), settings.MATCHING_MAX_RADIUS_KM) for r in settings.MATCHING_WAVE_RADII_KM
    )
    return WavePolicy(
        wave_sizes=tuple(int(size) for size in settings.MATCHING_WAVE_SIZES),
        radii_km=radii,
        delay_minutes=settings.MATCHING_WAVE_DELAY_MINUTES,
    )


def is_due(help_request: HelpRequest, now: datetime) -> bool:
    """Return True when the request is waiting for its next wave."""
    if help_request.status not in OPEN_STATUSES or help_request.escalated_at is not None:
        return False
    if help_request.status == Status.NEW:
        # A new (or given back) request starts its waves at once.
        return True
    return help_request.next_wave_at is not None and help_request.next_wave_at <= now


def candidates_near(
    help_request: HelpRequest, *, radius_km: float, now: datetime
) -> tuple[list[Candidate], dict[int, float]]:
    """Return the active volunteers within radius_km who could take the request, with distances.

    The indexed `cell` column keeps the read to the few cells around the request however many
    volunteers the database holds, and a bounding box drops the cells' corners before any row
    reaches Python. Volunteers the request can never go to (too far for their own radius, no
    common language, another kind of help) are dropped before their workload is counted.
    """
    today = timezone.localdate(now)
    profiles = (
        VolunteerProfile.objects.filter(
            is_paused=False, user__is_active=True, user__email_verified_at__isnull=False
        )
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lt=today))
        .values_list(
            "user_id",
            "lat",
            "lon",
            "radius_km",
            "languages",
            "kinds",
            "availability",
            "max_open_requests",
        )
    )
    languages = frozenset(help_request.languages or ())
    kind = help_request.kind or None
    nearby = []
    rows = rows_near(
        profiles,
        lat=help_request.lat,
        lon=help_request.lon,
        radius_km=radius_km,
        nearest_first=False,
        position=lambda row: (row[1], row[2]),
    )
    for near in rows:
        user_id, _lat, _lon, own_radius_km, own_languages, kinds, availability, capacity = near.row
        assert near.distance_km is not None
        candidate = Candidate(
            id=user_id,
            distance_km=near.distance_km,
            radius_km=float(own_radius_km),
            languages=frozenset(own_languages or ()),
            kinds=frozenset(kinds or ()),
            availability=availability,
            open_count=0,
            capacity=capacity,
            recent_offers=0,
        )
        # Workload only ever removes or demotes a volunteer, and availability depends on the
        # wave's timing: both are left to the policy.
        if is_eligible(
            candidate,
            languages=languages,
            kind=kind,
            max_distance_km=radius_km,
            needed_periods=frozenset(),
        ):
            nearby.append(candidate)
    ids = [c.id for c in nearby]
    open_counts = _count_by(HelpRequest.objects.filter(status=Status.TAKEN), "taken_by_id", ids)
    since = now - timedelta(days=settings.MATCHING_FAIRNESS_WINDOW_DAYS)
    recent_offers = _count_by(Offer.objects.filter(created_at__gte=since), "volunteer_id", ids)
    candidates = [
        replace(c, open_count=open_counts.get(c.id, 0), recent_offers=recent_offers.get(c.id, 0))
        for c in nearby
    ]
    return candidates, {c.id: c.distance_km for c in candidates}


def _count_by(queryset: QuerySet[Any], field: str, ids: list[int]) -> dict[int, int]:
    """Return how many rows of queryset each id has in `field`, asking in bounded batches."""
    counts: dict[int, int] = {}
    # Batches keep every statement under SQLite's and PostgreSQL's parameter limits.
    for start in range(0, len(ids), ID_BATCH):
        counts.update(
            queryset.filter(**{f"{field}__in": ids[start : start + ID_BATCH]})
            .values(field)
            .annotate(n=Count("id"))
            .values_list(field, "n")
        )
    return counts


def plan_for(
    help_request: HelpRequest, *, now: datetime, policy: WavePolicy
) -> tuple[WavePlan, dict[int, float]]:
    """Return the wave the policy would send for this request now, and distances by volunteer."""
    # A request given back starts again from the closest circle; those already asked stay out.
    wave = 1 if help_request.status == Status.NEW else help_request.wave + 1
    local_now = timezone.localtime(now)
    already_asked = frozenset(
        Offer.objects.filter(help_request=help_request).values_list("volunteer_id", flat=True)
    )
    periods = needed_periods(
        help_request.urgency,
        help_request.needed_on.weekday() if help_request.needed_on else None,
        local_now.weekday(),
        local_now.hour,
    )
    # Read the circle of the wave due first and widen only when it holds nobody eligible: a
    # wave chooses among volunteers inside its own circle, so the plan is the one the widest
    # read would give. Within the first circle, start smaller still and double (see _settled).
    radii = sorted(set(policy.radii_km[wave - 1 :])) or [policy.max_radius_km]
    reaches = [r for r in _doubling(FIRST_REACH_KM, radii[0]) if r < radii[0]] + radii
    for reach_km in reaches:
        candidates, distances = candidates_near(help_request, radius_km=reach_km, now=now)
        plan = plan_wave(
            candidates,
            wave=wave,
            already_asked=already_asked,
            policy=policy,
            languages=frozenset(help_request.languages or ()),
            kind=help_request.kind or None,
            needed_periods=periods,
        )
        if reach_km in radii and not plan.escalate:
            break
        if reach_km not in radii and _settled(plan, candidates, reach_km, policy):
            break
    return plan, distances


def _doubling(first_km: float, last_km: float) -> list[float]:
    """Return first_km, 2 × first_km, ... up to (not past) last_km."""
    reaches = []
    reach_km = first_km
    while reach_km < last_km:
        reaches.append(reach_km)
        reach_km *= 2
    return reaches


def _settled(
    plan: WavePlan, candidates: list[Candidate], reach_km: float, policy: WavePolicy
) -> bool:
    """Return True when volunteers beyond reach_km could not change this full wave.

    Anyone not read lives further than reach_km, so their score (distance plus fairness
    penalty) is above reach_km: if the wave is full and every chosen score is at most
    reach_km, a wider read would choose the same people.
    """
    if plan.escalate or len(plan.volunteer_ids) < policy.wave_sizes[plan.wave - 1]:
        return False
    by_id = {c.id: c for c in candidates}
    return all(score(by_id[i], policy) <= reach_km for i in plan.volunteer_ids)


def _alert_operators(help_request: HelpRequest, *, now: datetime) -> None:
    """Tell the phone team's mailbox that a request reached their queue (if one is set)."""
    if not settings.OPERATORS_ALERT_EMAIL:
        return
    notify(
        template="operators_escalated",
        context={
            "volunteers_asked": Offer.objects.filter(help_request=help_request).count(),
            "console_url": absolute_url(
                "operators:request_detail",
                language=settings.OPERATORS_ALERT_LANGUAGE,
                args=[help_request.public_id],
            ),
        },
        dedupe_key=f"escalated:{help_request.pk}:{now.timestamp()}",
        to_email=settings.OPERATORS_ALERT_EMAIL,
        language=settings.OPERATORS_ALERT_LANGUAGE,
        about=help_request,
    )


def dispatch_next_wave(help_request_id: int) -> None:
    """Send the request's next notification wave, or escalate it; do nothing if none is due."""
    policy = wave_policy()
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().filter(pk=help_request_id).first()
        now = timezone.now()
        if help_request is None or not is_due(help_request, now):
            return
        plan, distances = plan_for(help_request, now=now, policy=policy)
        old_status = help_request.status
        if plan.escalate:
            HelpRequest.objects.filter(pk=help_request.pk).update(
                escalated_at=now, next_wave_at=None, updated_at=now
            )
            record_event(
                HelpRequestEvent,
                help_request,
                HelpRequestEvent.Kind.ESCALATED,
                channel=Channel.SYSTEM,
                from_status=old_status,
                to_status=old_status,
                data={"wave": plan.wave},
            )
            _alert_operators(help_request, now=now)
            return
        Offer.objects.bulk_create(
            [
                Offer(
                    help_request=help_request,
                    volunteer_id=volunteer_id,
                    wave=plan.wave,
                    distance_km=round(distances[volunteer_id], 2),
                )
                for volunteer_id in plan.volunteer_ids
            ]
        )
        assert plan.next_wave_after_minutes is not None
        HelpRequest.objects.filter(pk=help_request.pk).update(
            status=Status.OFFERED,
            wave=plan.wave,
            next_wave_at=now + timedelta(minutes=plan.next_wave_after_minutes),
            updated_at=now,
        )
        record_event(
            HelpRequestEvent,
            help_request,
            HelpRequestEvent.Kind.WAVE_SENT,
            channel=Channel.SYSTEM,
            from_status=old_status,
            to_status=Status.OFFERED,
            data={
                "wave": plan.wave,
                "radius_km": plan.radius_km,
                "volunteer_ids": list(plan.volunteer_ids),
            },
        )
        volunteers = User.objects.in_bulk(plan.volunteer_ids)
        for volunteer_id in plan.volunteer_ids:
            notify(
                template="help_request_offer",
                context={
                    "help_request_id": help_request.pk,
                    "distance_km": round(distances[volunteer_id], 1),
                },
                dedupe_key=f"help_request:{help_request.pk}:offer:{volunteer_id}",
                recipient=volunteers[volunteer_id],
                about=help_request,
            )
