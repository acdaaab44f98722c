"""Reads of lodging: what is open and free, a host's calendar, bookings, counts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from entraide.accounts.models import Viewer
from entraide.core.nearby import rows_near
from entraide.lodging import permissions
from entraide.lodging.models import (
    HOLDING,
    BlockedNight,
    Booking,
    BookingCode,
    BookingStatus,
    Night,
    NightWindow,
    Place,
    PlaceKind,
    Quota,
)
from entraide.organisations.models import Organisation, Territory


def local_today(place: Place, now: datetime | None = None) -> date:
    """Return today's date in the place's territory (its zone decides when a night starts)."""
    return (now or timezone.now()).astimezone(place.territory.zone).date()


def nights_between(first: date, until: date) -> list[date]:
    """Return each night from first up to the day before until."""
    return [first + timedelta(days=n) for n in range((until - first).days)]


def closed_nights(place: Place, first: date, until: date) -> list[date]:
    """Return the nights of the stay the place is not open: outside its windows, or blocked."""
    weekdays = {w.weekday for w in place.windows.all()}
    blocked = set(
        BlockedNight.objects.filter(place=place, night__gte=first, night__lt=until).values_list(
            "night", flat=True
        )
    )
    return [
        night
        for night in nights_between(first, until)
        if night in blocked or (weekdays and night.weekday() not in weekdays)
    ]


def window_of(place: Place, night: date) -> NightWindow | None:
    """Return the window of a night (None for a place open every night)."""
    return next((w for w in place.windows.all() if w.weekday == night.weekday()), None)


def beds_taken(place: Place, first: date, until: date) -> dict[date, set[int]]:
    """Return the beds held each night of the range."""
    taken: dict[date, set[int]] = defaultdict(set)
    for night, bed in Night.objects.filter(
        place=place, date__gte=first, date__lt=until
    ).values_list("date", "bed"):
        taken[night].add(bed)
    return taken


@dataclass(frozen=True)
class Free:
    """A place with a bed (or the room) free every night of a stay, and its distance."""

    place: Place
    distance_km: float | None
    free_beds: int


def search(
    *,
    first_night: date,
    until: date,
    territory: Territory | None = None,
    lat: float | None = None,
    lon: float | None = None,
    radius_km: float = 10.0,
    kind: str = "",
    step_free: bool = False,
    people: int = 1,
    limit: int = 50,
) -> list[Free]:
    """Return published places open and free every night of the stay, nearest first."""
    places = Place.objects.filter(published=True).select_related("host", "territory")
    places = places.prefetch_related("windows")
    if territory is not None:
        places = places.filter(territory=territory)
    if kind:
        places = places.filter(kind=kind)
    if step_free or kind == PlaceKind.ACCESSIBLE:
        places = places.filter(Q(step_free=True) | Q(kind=PlaceKind.ACCESSIBLE))
    if people > 1:
        places = places.filter(unit="room", capacity__gte=people)
    nights = nights_between(first_night, until)
    blocked = set(
        BlockedNight.objects.filter(
            place__in=places, night__gte=first_night, night__lt=until
        ).values_list("place_id", flat=True)
    )
    busiest: dict[int, int] = defaultdict(int)
    per_night = (
        Night.objects.filter(place__in=places, date__gte=first_night, date__lt=until)
        .values("place_id", "date")
        .annotate(n=Count("id"))
    )
    for row in per_night:
        busiest[row["place_id"]] = max(busiest[row["place_id"]], row["n"])
    if lat is not None and lon is not None:
        candidates = [
            (n.row, n.distance_km) for n in rows_near(places, lat=lat, lon=lon, radius_km=radius_km)
        ]
    else:
        candidates = [(p, None) for p in places]
    found = []
    for place, distance in candidates:
        if place.pk in blocked:
            continue
        weekdays = {w.weekday for w in place.windows.all()}
        if weekdays and any(n.weekday() not in weekdays for n in nights):
            continue
        free = place.beds - busiest[place.pk]
        if free > 0:
            found.append(Free(place=place, distance_km=distance, free_beds=free))
        if len(found) >= limit:
            break
    return found


def places_of_host(host: Organisation) -> QuerySet[Place]:
    """Return a host's places with their windows."""
    return Place.objects.filter(host=host).prefetch_related("windows").select_related("territory")


def hosts_of(user: Viewer) -> list[Organisation]:
    """Return the organisations whose places the person manages (for 'My organisations')."""
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(memberships__user=user, lodging_places__isnull=False).distinct()
    )


@dataclass(frozen=True)
class CalendarRow:
    """One place's nights: for each night, beds held and whether it is open."""

    place: Place
    cells: list[tuple[date, int, bool]]


def occupancy_calendar(host: Organisation, first: date, days: int = 14) -> list[CalendarRow]:
    """Return each place of the host with its beds held and open nights, night by night."""
    until = first + timedelta(days=days)
    held: dict[tuple[int, date], int] = {
        (row["place_id"], row["date"]): row["n"]
        for row in Night.objects.filter(place__host=host, date__gte=first, date__lt=until)
        .values("place_id", "date")
        .annotate(n=Count("id"))
    }
    rows = []
    for place in places_of_host(host):
        closed = set(closed_nights(place, first, until))
        cells = [
            (night, held.get((place.pk, night), 0), night not in closed)
            for night in nights_between(first, until)
        ]
        rows.append(CalendarRow(place=place, cells=cells))
    return rows


def bookings_at_host(host: Organisation, *, since: date) -> QuerySet[Booking]:
    """Return the host's live bookings from a night on (the host sees guest references only)."""
    return (
        Booking.objects.filter(place__host=host, until__gt=since)
        .exclude(status__in=(BookingStatus.CANCELLED, BookingStatus.EXPIRED))
        .select_related("place", "association")
        .order_by("first_night", "place__name", "id")
    )


def bookings_of_association(association: Organisation) -> QuerySet[Booking]:
    """Return an association's bookings, latest stays first."""
    return (
        Booking.objects.filter(association=association)
        .select_related("place", "place__host", "code")
        .order_by("-first_night", "-id")
    )


def codes_of(association: Organisation) -> QuerySet[BookingCode]:
    """Return the codes the desk gave an association."""
    return BookingCode.objects.filter(association=association).select_related("host")


def quotas_of(association: Organisation) -> QuerySet[Quota]:
    """Return the quotas of an association, latest month first."""
    return Quota.objects.filter(association=association).select_related("host", "territory")


def code_nights_used(code: BookingCode) -> int:
    """Return the nights booked with a code that are still held or were slept."""
    return Night.objects.filter(booking__code=code).count()


def quota_nights_used(quota: Quota) -> int:
    """Return the association's nights without a code in the quota's month and scope."""
    month_end = (quota.month + timedelta(days=32)).replace(day=1)
    nights = Night.objects.filter(
        booking__association=quota.association,
        booking__code__isnull=True,
        date__gte=quota.month,
        date__lt=month_end,
    )
    if quota.host_id is not None:
        return nights.filter(place__host_id=quota.host_id).count()
    return nights.filter(place__territory_id=quota.territory_id).count()


def holds_due(now: datetime) -> QuerySet[Booking]:
    """Return held bookings whose hold has run out."""
    return Booking.objects.filter(status=BookingStatus.HELD, held_until__lte=now)


def arrivals_waiting() -> QuerySet[Booking]:
    """Return confirmed bookings whose guest has not arrived (candidates for a no-show)."""
    return Booking.objects.filter(status=BookingStatus.CONFIRMED).select_related(
        "place", "place__territory"
    )


@dataclass(frozen=True)
class CountRow:
    """Nights slept or held in a period for one host, association or territory."""

    name: str
    nights: int
    no_shows: int
    capacity_nights: int

    @property
    def occupancy(self) -> float | None:
        """Return the share of open bed-nights that were booked (None with no capacity)."""
        return self.nights / self.capacity_nights if self.capacity_nights else None


def counts(
    *, by: str, first: date, until: date, territory: Territory | None = None
) -> list[CountRow]:
    """Return nights per host, association or territory in a period, no-shows and occupancy."""
    field = {
        "host": "place__host__name",
        "association": "booking__association__name",
        "territory": "place__territory__name",
    }[by]
    nights = Night.objects.filter(date__gte=first, date__lt=until).exclude(
        booking__status=BookingStatus.NO_SHOW
    )
    no_show = Booking.objects.filter(
        status=BookingStatus.NO_SHOW, first_night__gte=first, first_night__lt=until
    )
    places = Place.objects.all().prefetch_related("windows")
    if territory is not None:
        nights = nights.filter(place__territory=territory)
        no_show = no_show.filter(place__territory=territory)
        places = places.filter(territory=territory)
    totals = dict(nights.values_list(field).annotate(n=Count("id")).order_by())
    misses = dict(
        no_show.values_list(field.removeprefix("booking__")).annotate(n=Count("id")).order_by()
    )
    capacity: dict[str, int] = defaultdict(int)
    if by != "association":
        blocked = defaultdict(set)
        for place_id, night in BlockedNight.objects.filter(
            place__in=places, night__gte=first, night__lt=until
        ).values_list("place_id", "night"):
            blocked[place_id].add(night)
        for place in places.select_related("host", "territory"):
            weekdays = {w.weekday for w in place.windows.all()}
            open_nights = sum(
                1
                for n in nights_between(first, until)
                if n not in blocked[place.pk] and (not weekdays or n.weekday() in weekdays)
            )
            name = place.host.name if by == "host" else place.territory.name
            capacity[name] += open_nights * place.beds
    names = sorted(set(totals) | set(misses) | set(capacity))
    return [
        CountRow(
            name=name,
            nights=totals.get(name, 0),
            no_shows=misses.get(name, 0),
            capacity_nights=capacity.get(name, 0),
        )
        for name in names
    ]


def live(booking: Booking) -> bool:
    """Return True while the booking holds nights to come."""
    return booking.status in HOLDING


def can_see_guest_reference(viewer: Viewer, booking: Booking) -> bool:
    """Return True for whoever may read a booking: its association, the host, the desk."""
    return permissions.can_change_booking(viewer, booking) or permissions.can_manage_place(
        viewer, booking.place
    )
