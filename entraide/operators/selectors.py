"""Reads for the phone line: who is calling, what waits in the queue, who could help."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.nearby import rows_near
from entraide.core.phones import normalise_phone
from entraide.help_requests.models import (
    ACTIVE_STATUSES,
    HelpRequest,
    HelpRequestEvent,
    RequestView,
    Status,
)
from entraide.help_requests.selectors import open_requests_for_queue
from entraide.operators.models import Call, Callback
from entraide.volunteers.models import VolunteerProfile


@dataclass
class CallerHistory:
    """Everything the line knows about one phone number."""

    phone: str
    requests: list[HelpRequest]
    calls: list[Call]
    callbacks: list[Callback]

    @property
    def active_requests(self) -> list[HelpRequest]:
        """Return the requests that are still being handled (a new one may be a duplicate)."""
        return [r for r in self.requests if r.status in ACTIVE_STATUSES]

    @property
    def is_known(self) -> bool:
        """Return True when this number has called or asked for help before."""
        return bool(self.requests or self.calls or self.callbacks)


def caller_lookup(*, phone: str, limit: int = 50) -> CallerHistory:
    """Return the earlier requests, calls and pending call-backs for a number, however typed.

    Raises ValidationError when the text is not a phone number.
    """
    number = normalise_phone(phone)
    requests = list(
        HelpRequest.objects.filter(requester_phone=number)
        .select_related("taken_by")
        .order_by("-created_at")[:limit]
    )
    calls = list(
        Call.objects.filter(phone=number)
        .select_related("operator", "help_request")
        .order_by("-created_at")[:limit]
    )
    callbacks = list(
        Callback.objects.filter(phone=number, done_at__isnull=True)
        .select_related("help_request", "created_by")
        .order_by("due_at")
    )
    return CallerHistory(phone=number, requests=requests, calls=calls, callbacks=callbacks)


def queue_requests() -> QuerySet[HelpRequest]:
    """Return requests nobody has taken yet, most urgent first, then oldest first.

    Each row carries `urgency_rank` and `is_escalated` (no volunteer answered the waves).
    """
    return open_requests_for_queue().annotate(
        is_escalated=Case(
            When(escalated_at__isnull=False, then=Value(True)),
            default=Value(False),
        )
    )


@dataclass
class Candidate:
    """A volunteer an operator could call and assign by hand."""

    user: User
    profile: VolunteerProfile
    distance_km: float
    shared_languages: list[str]
    held: int

    @property
    def within_own_radius(self) -> bool:
        """Return True when the request is inside the distance the volunteer said they travel."""
        return self.distance_km <= self.profile.radius_km


def assign_candidates(
    *, help_request: HelpRequest, radius_km: float | None = None, limit: int = 20
) -> list[Candidate]:
    """Return active volunteers near the request who speak its language and have room.

    Nearest first. The search reaches `radius_km` (the widest notification wave by default)
    because an operator on the phone may ask somebody a bit further away than usual.
    """
    radius_km = settings.MATCHING_MAX_RADIUS_KM if radius_km is None else radius_km
    today = timezone.localdate()
    wanted = set(help_request.languages)
    profiles = (
        VolunteerProfile.objects.filter(is_paused=False, user__is_active=True)
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lt=today))
        .select_related("user")
        .annotate(
            held=Count(
                "user__help_requests_taken",
                filter=Q(user__help_requests_taken__status=Status.TAKEN),
            )
        )
    )
    candidates = []
    for near in rows_near(
        profiles, lat=help_request.lat, lon=help_request.lon, radius_km=radius_km
    ):
        profile = near.row
        # Languages are a JSON list, which SQLite cannot intersect; the cell filter keeps
        # this loop to the few volunteers of the neighbourhood.
        shared = [code for code in profile.languages if code in wanted]
        if not shared or profile.held >= profile.max_open_requests:
            continue
        assert near.distance_km is not None
        candidates.append(
            Candidate(
                user=profile.user,
                profile=profile,
                distance_km=round(near.distance_km, 1),
                shared_languages=shared,
                held=profile.held,
            )
        )
    candidates.sort(key=lambda c: (c.distance_km, c.held, c.user.pk))
    return candidates[:limit]


def callbacks_due(*, until: datetime | None = None) -> QuerySet[Callback]:
    """Return call-backs not made yet and due by `until` (the end of today by default)."""
    if until is None:
        until = _start_of_day(timezone.localdate() + timedelta(days=1))
    return (
        Callback.objects.filter(done_at__isnull=True, due_at__lt=until)
        .select_related("help_request", "created_by")
        .order_by("due_at", "pk")
    )


@dataclass
class CallCounts:
    """How many calls the line handled over a period, by operator and by outcome."""

    total: int
    by_operator: list[tuple[str, int]] = field(default_factory=list)
    by_outcome: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class CallStats:
    """The counters shown on the console."""

    today: CallCounts
    this_week: CallCounts


def _start_of_day(day: date) -> datetime:
    """Return local midnight at the start of `day`, time-zone aware."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def call_stats(*, now: datetime | None = None) -> CallStats:
    """Return the call counts of today and of this week (from Monday), in local time."""
    today = timezone.localdate(now)
    week_start = _start_of_day(today - timedelta(days=today.weekday()))
    # One grouped read serves both periods: today's calls are a filtered count of the week's.
    rows = list(
        Call.objects.filter(created_at__gte=week_start)
        .values("operator_id", "outcome")
        .annotate(
            week=Count("id"), today=Count("id", filter=Q(created_at__gte=_start_of_day(today)))
        )
    )
    names = {
        user.pk: str(user) for user in User.objects.filter(pk__in={r["operator_id"] for r in rows})
    }
    labels = dict(Call.Outcome.choices)
    return CallStats(
        today=_call_counts(rows, "today", names, labels),
        this_week=_call_counts(rows, "week", names, labels),
    )


def _call_counts(
    rows: Sequence[Mapping[str, Any]],
    period: str,
    names: Mapping[int, str],
    labels: Mapping[str, object],
) -> CallCounts:
    """Sum the grouped rows of one period by operator and by outcome, busiest first."""
    per_operator: dict[int, int] = {}
    per_outcome: dict[str, int] = {}
    for row in rows:
        if row[period]:
            per_operator[row["operator_id"]] = per_operator.get(row["operator_id"], 0) + row[period]
            per_outcome[row["outcome"]] = per_outcome.get(row["outcome"], 0) + row[period]
    by_operator = [
        (names[pk], n)
        for pk, n in sorted(per_operator.items(), key=lambda item: (-item[1], item[0]))
    ]
    by_outcome = [
        (str(labels.get(outcome, outcome)), n)
        for outcome, n in sorted(per_outcome.items(), key=lambda item: (-item[1], item[0]))
    ]
    return CallCounts(
        total=sum(per_operator.values()), by_operator=by_operator, by_outcome=by_outcome
    )


@dataclass
class OperatorRequestView:
    """A request with everything an operator needs to follow it up."""

    help_request: HelpRequest
    events: list[HelpRequestEvent]
    calls: list[Call]
    callbacks: list[Callback]
    candidates: list[Candidate]
    views: list[RequestView]


# The operators' page lists the latest views; a request seldom has more.
VIEWS_SHOWN = 100


def request_for_operator(*, help_request: HelpRequest) -> OperatorRequestView:
    """Return a request's history, calls, call-backs and, while open, who could take it."""
    return OperatorRequestView(
        help_request=help_request,
        events=list(help_request.events.select_related("actor").order_by("created_at", "id")),
        calls=list(help_request.calls.select_related("operator").order_by("-created_at")),
        callbacks=list(
            help_request.callbacks.select_related("created_by", "done_by").order_by("due_at")
        ),
        candidates=assign_candidates(help_request=help_request) if help_request.is_open else [],
        views=list(
            help_request.views.select_related("viewer").order_by("-viewed_at", "-id")[:VIEWS_SHOWN]
        ),
    )
