"""Reads for volunteers: nearby open requests, the ones they hold, the ones they finished."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.distance_bands import (
    DistanceBand,
    distance_band,
    public_distance_km,
    public_position,
)
from entraide.core.nearby import rows_near
from entraide.help_requests.kinds import URGENCY_RANK
from entraide.help_requests.models import HelpRequest, Offer, RequestView, Status
from entraide.help_requests.selectors import RequestRoom
from entraide.volunteers.models import VolunteerProfile

__all__ = ["public_position"]

# The rounded public position is at most half a grid step (a diagonal) from the exact one:
# the read looks this much further so that no request within reach of the public one is missed.
ROUNDING_MARGIN_KM = settings.PUBLIC_POSITION_PRECISION_M / 1000


@dataclass(frozen=True)
class NearbyRequest:
    """An open request as a volunteer may see it before taking it: no exact position.

    `distance_km` is measured to the rounded public position, never to the exact one; it is
    used to sort and filter, and shown only as a coarse band.
    """

    help_request: HelpRequest
    distance_km: float | None  # None when the volunteer has not said where they live
    public_lat: float
    public_lon: float
    was_offered: bool
    speaks_language: bool
    matches_kind: bool

    @property
    def distance_band(self) -> DistanceBand | None:
        """Return the band of the distance to the public position (None without a home)."""
        if self.distance_km is None:
            return None
        return distance_band(self.distance_km)

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


def profile_of(user: User) -> VolunteerProfile | None:
    """Return the user's volunteer profile, or None when they have not made one yet."""
    return VolunteerProfile.objects.filter(user=user).first()


def offered_request_ids(user: User) -> set[int]:
    """Return the ids of the requests this volunteer was asked to take."""
    return set(Offer.objects.filter(volunteer=user).values_list("help_request_id", flat=True))


def _seen_by(
    profile: VolunteerProfile | None, help_request: HelpRequest, **flags: bool
) -> NearbyRequest:
    """Return a request as this volunteer sees it: public position, distance to it."""
    public_lat, public_lon = public_position(help_request.lat, help_request.lon)
    distance_km = None
    if profile is not None and profile.lat is not None and profile.lon is not None:
        distance_km = public_distance_km(
            profile.lat, profile.lon, help_request.lat, help_request.lon
        )
    return NearbyRequest(
        help_request=help_request,
        distance_km=distance_km,
        public_lat=public_lat,
        public_lon=public_lon,
        was_offered=flags["was_offered"],
        speaks_language=profile is not None
        and bool(set(profile.languages).intersection(help_request.languages)),
        matches_kind=profile is None or not profile.kinds or help_request.kind in profile.kinds,
    )


def open_requests_near_volunteer(profile: VolunteerProfile) -> list[NearbyRequest]:
    """Return open requests within the volunteer's radius (or offered to them), most urgent first.

    The radius and the order use the distance to each request's public position, never the
    exact one: otherwise changing one's radius, or comparing the order with a request of
    one's own, would measure the exact distance by bisection. The indexed grid cells narrow
    the query to a few squares around home, a little wider than the radius.
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
        radius_km=profile.radius_km + ROUNDING_MARGIN_KM,
        keep=Q(pk__in=offered),
        nearest_first=False,
    )
    found = []
    for near in candidates:
        item = _seen_by(profile, near.row, was_offered=near.row.pk in offered)
        assert item.distance_km is not None
        if item.was_offered or item.distance_km <= profile.radius_km:
            found.append(item)
    found.sort(
        key=lambda item: (
            URGENCY_RANK.get(item.help_request.urgency, len(URGENCY_RANK)),
            item.distance_km or 0.0,
            item.help_request.pk,
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
    was_offered = Offer.objects.filter(help_request=help_request, volunteer=user).exists()
    return _seen_by(profile_of(user), help_request, was_offered=was_offered)


def request_views_in_last_hour(user: User) -> set[int]:
    """Return the ids of the distinct requests this person opened in the last hour."""
    since = timezone.now() - timedelta(hours=1)
    return set(
        RequestView.objects.filter(viewer=user, viewed_at__gte=since).values_list(
            "help_request_id", flat=True
        )
    )
