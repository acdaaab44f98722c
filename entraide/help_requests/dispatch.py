"""The one adapter between help requests and the pure wave policy in `entraide.matching.waves`.

It reads the volunteers around a request (only the grid cells its widest wave covers),
turns them into plain `Candidate` values, asks the policy who to notify, and writes the
outcome: offers, the request's new state, an event, and one email per volunteer.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from entraide.accounts.models import User
from entraide.help_requests.kinds import Channel
from entraide.help_requests.models import (
    OPEN_STATUSES,
    HelpRequest,
    HelpRequestEvent,
    Offer,
    Status,
)
from entraide.matching.geo import cells_within, haversine_km
from entraide.matching.waves import Candidate, WavePlan, WavePolicy, needed_periods, plan_wave
from entraide.volunteers.models import VolunteerProfile


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
    """Return the active volunteers within radius_km of the request, and their distances by id.

    The indexed `cell` column keeps the read to the few cells around the request however many
    volunteers the database holds; exact distances are then computed in Python.
    """
    today = timezone.localdate(now)
    profiles = (
        VolunteerProfile.objects.filter(
            cell__in=cells_within(help_request.lat, help_request.lon, radius_km),
            lat__isnull=False,
            lon__isnull=False,
            is_paused=False,
            user__is_active=True,
            user__email_verified_at__isnull=False,
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
    nearby = []
    for user_id, lat, lon, own_radius_km, languages, kinds, availability, capacity in profiles:
        if lat is None or lon is None:
            continue
        distance_km = haversine_km(help_request.lat, help_request.lon, lat, lon)
        if distance_km <= radius_km:
            nearby.append(
                (user_id, distance_km, own_radius_km, languages, kinds, availability, capacity)
            )
    ids = [row[0] for row in nearby]
    open_counts = dict(
        HelpRequest.objects.filter(taken_by_id__in=ids, status=Status.TAKEN)
        .values("taken_by_id")
        .annotate(n=Count("id"))
        .values_list("taken_by_id", "n")
    )
    since = now - timedelta(days=settings.MATCHING_FAIRNESS_WINDOW_DAYS)
    recent_offers = dict(
        Offer.objects.filter(volunteer_id__in=ids, created_at__gte=since)
        .values("volunteer_id")
        .annotate(n=Count("id"))
        .values_list("volunteer_id", "n")
    )
    candidates = [
        Candidate(
            id=user_id,
            distance_km=distance_km,
            radius_km=float(own_radius_km),
            languages=frozenset(languages or ()),
            kinds=frozenset(kinds or ()),
            availability=availability,
            open_count=open_counts.get(user_id, 0),
            capacity=capacity,
            recent_offers=recent_offers.get(user_id, 0),
        )
        for user_id, distance_km, own_radius_km, languages, kinds, availability, capacity in nearby
    ]
    return candidates, {c.id: c.distance_km for c in candidates}


def plan_for(
    help_request: HelpRequest, *, now: datetime, policy: WavePolicy
) -> tuple[WavePlan, dict[int, float]]:
    """Return the wave the policy would send for this request now, and distances by volunteer."""
    # A request given back starts again from the closest circle; those already asked stay out.
    wave = 1 if help_request.status == Status.NEW else help_request.wave + 1
    local_now = timezone.localtime(now)
    candidates, distances = candidates_near(help_request, radius_km=policy.max_radius_km, now=now)
    already_asked = frozenset(
        Offer.objects.filter(help_request=help_request).values_list("volunteer_id", flat=True)
    )
    plan = plan_wave(
        candidates,
        wave=wave,
        already_asked=already_asked,
        policy=policy,
        languages=frozenset(help_request.languages or ()),
        kind=help_request.kind or None,
        needed_periods=needed_periods(
            help_request.urgency,
            help_request.needed_on.weekday() if help_request.needed_on else None,
            local_now.weekday(),
            local_now.hour,
        ),
    )
    return plan, distances


def dispatch_next_wave(help_request_id: int) -> None:
    """Send the request's next notification wave, or escalate it; do nothing if none is due."""
    from entraide.notifications.services import notify

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
            HelpRequestEvent.objects.create(
                help_request=help_request,
                kind=HelpRequestEvent.Kind.ESCALATED,
                channel=Channel.SYSTEM,
                from_status=old_status,
                to_status=old_status,
                data={"wave": plan.wave},
            )
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
        HelpRequestEvent.objects.create(
            help_request=help_request,
            kind=HelpRequestEvent.Kind.WAVE_SENT,
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
                help_request_id=help_request.pk,
                digestible=True,
            )
