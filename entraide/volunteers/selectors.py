"""Reads for volunteers: nearby open requests, the ones they hold, the ones they finished."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.nearby import rows_near
from entraide.help_requests.kinds import URGENCY_RANK
from entraide.help_requests.models import HelpRequest, Offer, Status
from entraide.help_requests.selectors import RequestRoom
from entraide.matching.geo import haversine_km, round_position
from entraide.volunteers.models import VolunteerProfile


@dataclass(frozen=True)
class NearbyRequest:
    """An open request as a volunteer may see it before taking it: no exact position."""

    help_request: HelpRequest
    distance_km: float | None  # None when the volunteer has not said where they live
    public_lat: float
    public_lon: float
    was_offered: bool
    speaks_language: bool
    matches_kind: bool

    @property
    def rounded_distance_km(self) -> float | None:
        """Return the distance to the nearest half kilometre (never below 0.5)."""
        if self.distance_km is None:
            return None
        return max(0.5, round(self.distance_km * 2) / 2)

    @property
    def is_good_match(self) -> bool:
        """Return True when the volunteer speaks a language of the request and accepts its kind."""
        return self.speaks_language and self.matches_kind


@dataclass(frozen=True)
class DashboardCounts:
    """The figures at the top of a volunteer's dashboard."""

    nearby: int
    held: int
    max_open_requests: int
    done: int

    @property
    def can_take_more(self) -> bool:
        """Return True while the volunteer may take another request (the take's own rule)."""
        return not RequestRoom(held=self.held, max_open_requests=self.max_open_requests).is_full


def public_position(lat: float, lon: float) -> tuple[float, float]:
    """Return a position rounded so that it cannot be pinpointed on a public map."""
    return round_position(lat, lon, settings.PUBLIC_POSITION_PRECISION_M)


def profile_of(user: User) -> VolunteerProfile | None:
    """Return the user's volunteer profile, or None when they have not made one yet."""
    return VolunteerProfile.objects.filter(user=user).first()


def offered_request_ids(user: User) -> set[int]:
    """Return the ids of the requests this volunteer was asked to take."""
    return set(Offer.objects.filter(volunteer=user).values_list("help_request_id", flat=True))


def open_requests_near_volunteer(profile: VolunteerProfile) -> list[NearbyRequest]:
    """Return open requests within the volunteer's radius (or offered to them), most urgent first.

    The indexed grid cells narrow the query to a few squares around home; the exact
    great-circle distance then drops the corners of those squares.
    """
    if profile.lat is None or profile.lon is None:
        return []
    offered = offered_request_ids(profile.user)
    candidates = rows_near(
        HelpRequest.objects.filter(
            status__in=(Status.NEW, Status.OFFERED), expires_at__gt=timezone.now()
        ),
        lat=profile.lat,
        lon=profile.lon,
        radius_km=profile.radius_km,
        keep=Q(pk__in=offered),
    )
    languages = set(profile.languages)
    kinds = set(profile.kinds)
    found = []
    for near in candidates:
        help_request = near.row
        public_lat, public_lon = public_position(help_request.lat, help_request.lon)
        found.append(
            NearbyRequest(
                help_request=help_request,
                distance_km=near.distance_km,
                public_lat=public_lat,
                public_lon=public_lon,
                was_offered=help_request.pk in offered,
                speaks_language=bool(languages.intersection(help_request.languages)),
                matches_kind=not kinds or help_request.kind in kinds,
            )
        )
    found.sort(
        key=lambda item: (
            URGENCY_RANK.get(item.help_request.urgency, len(URGENCY_RANK)),
            item.distance_km or 0.0,
        )
    )
    return found


NEARBY_SORTS = ("urgency", "distance", "newest", "oldest")


def nearby_filtered(
    nearby: list[NearbyRequest], *, kind: str = "", status: str = "", sort: str = "urgency"
) -> list[NearbyRequest]:
    """Return the dashboard's nearby requests of one kind and status, in the chosen order.

    `status` is "offered" (sent to me), "matching" (my languages and kinds) or "" for all;
    `sort` is one of NEARBY_SORTS. The list is already in urgency order.
    """
    found = [
        item
        for item in nearby
        if (not kind or item.help_request.kind == kind)
        and (status != "offered" or item.was_offered)
        and (status != "matching" or item.is_good_match)
    ]
    if sort == "distance":
        # Requests offered from outside the radius may have no distance: put them last.
        found.sort(key=lambda item: (item.distance_km is None, item.distance_km or 0.0))
    elif sort == "newest":
        found.sort(key=lambda item: item.help_request.created_at, reverse=True)
    elif sort == "oldest":
        found.sort(key=lambda item: item.help_request.created_at)
    return found


def requests_held_by(user: User) -> QuerySet[HelpRequest]:
    """Return the requests this volunteer has taken and not finished, oldest first."""
    return HelpRequest.objects.filter(taken_by=user, status=Status.TAKEN).order_by("taken_at")


def history_of(user: User) -> QuerySet[HelpRequest]:
    """Return the requests this volunteer finished, most recent first."""
    return HelpRequest.objects.filter(taken_by=user, status=Status.DONE).order_by("-done_at")


def dashboard_counts(
    user: User,
    profile: VolunteerProfile,
    nearby: list[NearbyRequest],
    held: list[HelpRequest] | None = None,
) -> DashboardCounts:
    """Return the dashboard's figures; pass `held` when the page already loaded those requests."""
    return DashboardCounts(
        nearby=len(nearby),
        held=len(held) if held is not None else requests_held_by(user).count(),
        max_open_requests=profile.max_open_requests,
        done=history_of(user).count(),
    )


def request_for_volunteer(user: User, help_request: HelpRequest) -> NearbyRequest | None:
    """Return an open request as this volunteer may see it, or None when it is not open."""
    if not help_request.is_open:
        return None
    profile = profile_of(user)
    distance_km = (
        haversine_km(profile.lat, profile.lon, help_request.lat, help_request.lon)
        if profile is not None and profile.lat is not None and profile.lon is not None
        else None
    )
    public_lat, public_lon = public_position(help_request.lat, help_request.lon)
    return NearbyRequest(
        help_request=help_request,
        distance_km=distance_km,
        public_lat=public_lat,
        public_lon=public_lon,
        was_offered=Offer.objects.filter(help_request=help_request, volunteer=user).exists(),
        speaks_language=profile is not None
        and bool(set(profile.languages).intersection(help_request.languages)),
        matches_kind=profile is None or not profile.kinds or help_request.kind in profile.kinds,
    )
