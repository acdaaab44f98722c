"""Reads for missions: the catalogue, a mission's page, applications, hours and response rates."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from entraide.accounts.models import User, Viewer
from entraide.companies.models import Employee
from entraide.core.nearby import Near, rows_near
from entraide.matching.geo import haversine_km, round_position
from entraide.missions.models import (
    Application,
    Certificate,
    Mission,
    MissionEvent,
    MissionSlot,
    MissionTemplate,
    Participation,
    SavedSearch,
)
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.permissions import can_manage_missions, can_moderate
from entraide.volunteers.models import MAX_RADIUS_KM, VolunteerProfile

# What the public may see of a mission once it has been published.
VISIBLE_STATUSES = (Mission.Status.PUBLISHED, Mission.Status.FULL)


@dataclass(frozen=True)
class CatalogueFilters:
    """What a volunteer looks for; every field is optional."""

    text: str = ""
    theme: str = ""
    remote: bool | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    date_from: date | None = None
    date_to: date | None = None
    skills: tuple[str, ...] = ()
    organisation: Organisation | None = None
    # Only missions published after this moment (saved-search digests ask for what is new).
    published_after: datetime | None = None
    # With a point: nearest first (the volunteer's own place), else soonest first.
    nearest_first: bool = False


def visible_internal_organisation_ids(user: Viewer) -> set[int]:
    """Return the organisations whose internal missions the user may see and apply to.

    Members of an organisation see its internal missions, and so do a company's employees:
    most employees join with the invitation code and never become members.
    """
    if user is None or not user.is_authenticated:
        return set()
    members = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    employers = Employee.objects.filter(user=user).values_list("company_id", flat=True)
    return set(members) | set(employers)


def _visible_to(viewer: Viewer) -> Q:
    """Return the condition for missions the viewer may see: public ones and their own company's."""
    own = visible_internal_organisation_ids(viewer)
    if own:
        return Q(is_internal=False) | Q(organisation_id__in=own)
    return Q(is_internal=False)


def missions_catalogue(*, viewer: Viewer, filters: CatalogueFilters) -> list[Mission]:
    """Return published missions with upcoming slots matching the filters, soonest first.

    Each mission carries `next_start`, `places_left` and `next_open_start` (of its next slot
    with room), `my_status` (the viewer's own application, if any) and, when a point was
    given, `distance_km` (None for remote missions or when the position is not known).
    A point without a radius reads every mission, to sort them by distance.
    """
    upcoming = _upcoming(filters, prefix="slots__")
    queryset = (
        Mission.objects.filter(status__in=VISIBLE_STATUSES)
        .filter(_visible_to(viewer))
        .select_related("organisation")
        .annotate(
            next_start=Min("slots__starts_at", filter=upcoming),
        )
        .filter(next_start__isnull=False)
    )
    if filters.text:
        for word in filters.text.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(town__icontains=word)
            )
    if filters.theme:
        queryset = queryset.filter(theme=filters.theme)
    if filters.remote is not None:
        queryset = queryset.filter(is_remote=filters.remote)
    if filters.organisation is not None:
        queryset = queryset.filter(organisation=filters.organisation)
    if filters.published_after is not None:
        queryset = queryset.filter(published_at__gt=filters.published_after)
    queryset = queryset.order_by("next_start", "pk")
    near_point = filters.lat is not None and filters.lon is not None
    found: list[Near[Mission]]
    if near_point and filters.radius_km is not None:
        found = rows_near(
            queryset,
            lat=filters.lat,  # type: ignore[arg-type]
            lon=filters.lon,  # type: ignore[arg-type]
            radius_km=float(filters.radius_km),
            keep=Q(is_remote=True),
            limit=500,
            nearest_first=filters.nearest_first,
        )
    elif near_point:
        found = [
            Near(mission, _distance_km(mission, filters.lat, filters.lon))  # type: ignore[arg-type]
            for mission in queryset[:500]
        ]
        if filters.nearest_first:
            found.sort(key=lambda near: (near.distance_km is None, near.distance_km or 0.0))
    else:
        found = [Near(mission, None) for mission in queryset[:500]]
    wanted_skills = {skill.casefold() for skill in filters.skills}
    results: list[Mission] = []
    for near in found:
        mission = near.row
        if wanted_skills and not wanted_skills & {s.casefold() for s in mission.skills}:
            continue
        mission.distance_km = (  # type: ignore[attr-defined]
            None if mission.is_remote else _shown_distance(mission, near.distance_km)
        )
        results.append(mission)
    _add_next_open_slot(results, _upcoming(filters, prefix=""))
    _add_viewer_status(results, viewer)
    return results


@dataclass(frozen=True)
class Home:
    """Where a volunteer lives (geocoded) and how far they said they would go."""

    lat: float
    lon: float
    radius_km: int


def volunteer_home(viewer: Viewer) -> Home | None:
    """Return the signed-in volunteer's geocoded place, or None (no profile or no position)."""
    if viewer is None or not viewer.is_authenticated:
        return None
    profile = VolunteerProfile.objects.filter(user=viewer).only("lat", "lon", "radius_km").first()
    if profile is None or profile.lat is None or profile.lon is None:
        return None
    return Home(lat=profile.lat, lon=profile.lon, radius_km=profile.radius_km)


def _distance_km(mission: Mission, lat: float, lon: float) -> float | None:
    """Return how far the mission is from the point (None without a position)."""
    if mission.lat is None or mission.lon is None:
        return None
    return haversine_km(lat, lon, mission.lat, mission.lon)


def _shown_distance(mission: Mission, distance_km: float | None) -> float | None:
    """Return the distance worth printing, rounded to 100 m, or None when it is not known.

    A mission without a street address sits at its town's centre: "0.0 km" from a point in
    that town would be false precision, so no figure is shown then.
    """
    if distance_km is None:
        return None
    rounded = round(distance_km, 1)
    if rounded == 0.0 and not mission.address.strip():
        return None
    return rounded


def _upcoming(filters: CatalogueFilters, *, prefix: str) -> Q:
    """Return the condition for slots still to come within the filters' dates."""
    zone = timezone.get_current_timezone()
    upcoming = Q(**{f"{prefix}starts_at__gt": timezone.now()})
    if filters.date_from is not None:
        start = datetime.combine(filters.date_from, time.min, tzinfo=zone)
        upcoming &= Q(**{f"{prefix}starts_at__gte": start})
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=zone)
        upcoming &= Q(**{f"{prefix}starts_at__lt": end})
    return upcoming


def _add_next_open_slot(missions: list[Mission], slot_filter: Q) -> None:
    """Give each mission `places_left` and `next_open_start`: those of its next slot with room."""
    next_open: dict[int, MissionSlot] = {}
    slots = (
        MissionSlot.objects.filter(mission__in=[m.pk for m in missions])
        .filter(slot_filter)
        .filter(accepted_count__lt=F("capacity"))
        .order_by("mission_id", "starts_at", "pk")
    )
    for slot in slots:
        next_open.setdefault(slot.mission_id, slot)
    for mission in missions:
        found = next_open.get(mission.pk)
        mission.places_left = 0 if found is None else found.places_left  # type: ignore[attr-defined]
        mission.next_open_start = None if found is None else found.starts_at  # type: ignore[attr-defined]


# When a volunteer holds several applications to one mission, the one they are told about.
_STATUS_SHOWN_FIRST = (
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
    Application.Status.PENDING,
)


def _add_viewer_status(missions: list[Mission], viewer: Viewer) -> None:
    """Give each mission `my_status`: the viewer's own application status on an upcoming slot."""
    statuses: dict[int, set[str]] = {}
    if viewer is not None and viewer.is_authenticated and missions:
        rows = Application.objects.filter(
            volunteer=viewer,
            slot__mission__in=[m.pk for m in missions],
            slot__starts_at__gt=timezone.now(),
            status__in=_STATUS_SHOWN_FIRST,
        ).values_list("slot__mission_id", "status")
        for mission_id, status in rows:
            statuses.setdefault(mission_id, set()).add(status)
    for mission in missions:
        mine = statuses.get(mission.pk, set())
        mission.my_status = next(  # type: ignore[attr-defined]
            (status for status in _STATUS_SHOWN_FIRST if status in mine), ""
        )


def missions_waiting_for_moderation(moderator: User) -> QuerySet[Mission]:
    """Return the missions submitted in the moderator's territories (staff: all), oldest first."""
    missions = Mission.objects.filter(status=Mission.Status.SUBMITTED)
    if not moderator.is_staff:
        missions = missions.filter(organisation__territory__moderators=moderator)
    # Managers may still edit a submitted mission: its last submission dates it, not updated_at.
    return (
        missions.select_related("organisation", "organisation__territory")
        .annotate(submitted_at=Max("events__created_at", filter=Q(events__kind="submitted")))
        .order_by("submitted_at", "pk")
    )


def can_see(mission: Mission, viewer: Viewer) -> bool:
    """Return True when the viewer may open the mission's page."""
    if viewer is not None and viewer.is_authenticated:
        if can_manage_missions(viewer, mission.organisation) or can_moderate(
            viewer, mission.organisation
        ):
            return True
        if Application.objects.filter(slot__mission=mission, volunteer=viewer).exists():
            return True
    if mission.status not in (*VISIBLE_STATUSES, Mission.Status.CLOSED):
        return False
    if mission.is_internal:
        return mission.organisation_id in visible_internal_organisation_ids(viewer)
    return True


def mission_by_public_id(public_id: uuid.UUID | str) -> Mission | None:
    """Return a mission by its public reference, with its organisation."""
    return (
        Mission.objects.select_related("organisation", "organisation__territory")
        .filter(public_id=public_id)
        .first()
    )


def mission_slots(mission: Mission, *, upcoming_only: bool = False) -> QuerySet[MissionSlot]:
    """Return a mission's slots in time order, with their number of waiting applications."""
    slots = mission.slots.annotate(
        pending_count=Count("applications", filter=Q(applications__status="pending")),
        waitlisted_count=Count("applications", filter=Q(applications__status="waitlisted")),
    )
    if upcoming_only:
        slots = slots.filter(starts_at__gt=timezone.now())
    return slots.order_by("starts_at", "pk")


def applications_of_volunteer_for(mission: Mission, volunteer: Viewer) -> dict[int, Application]:
    """Return the volunteer's applications to this mission, keyed by slot id."""
    if volunteer is None or not volunteer.is_authenticated:
        return {}
    return {
        application.slot_id: application
        for application in Application.objects.filter(slot__mission=mission, volunteer=volunteer)
    }


def is_accepted_on(mission: Mission, volunteer: Viewer) -> bool:
    """Return True when the volunteer holds an accepted place (and so sees the practicalities)."""
    if volunteer is None or not volunteer.is_authenticated:
        return False
    return Application.objects.filter(
        slot__mission=mission, volunteer=volunteer, status=Application.Status.ACCEPTED
    ).exists()


def my_applications(volunteer: User) -> QuerySet[Application]:
    """Return a volunteer's applications, the upcoming slots first, then the history."""
    return (
        Application.objects.filter(volunteer=volunteer)
        .select_related("slot", "slot__mission", "slot__mission__organisation", "participation")
        .order_by("-slot__starts_at", "-pk")
    )


def applications_to_answer(organisation: Organisation) -> QuerySet[Application]:
    """Return the applications waiting for the organisation's answer, oldest first."""
    return (
        Application.objects.filter(
            slot__mission__organisation=organisation,
            status__in=(Application.Status.PENDING, Application.Status.WAITLISTED),
            slot__starts_at__gt=timezone.now(),
        )
        .select_related("volunteer", "slot", "slot__mission")
        .order_by("created_at", "pk")
    )


def applications_of_mission(mission: Mission) -> QuerySet[Application]:
    """Return every application to a mission, by slot, for its management page."""
    return (
        Application.objects.filter(slot__mission=mission)
        .select_related("volunteer", "slot", "participation")
        .order_by("slot__starts_at", "created_at", "pk")
    )


def missions_of_organisation(organisation: Organisation) -> QuerySet[Mission]:
    """Return all of an organisation's missions, newest first, with their pending count."""
    return organisation.missions.annotate(
        pending_count=Count("slots__applications", filter=Q(slots__applications__status="pending")),
        slot_count=Count("slots", distinct=True),
    ).order_by("-created_at", "-pk")


def response_rate(organisation: Organisation, *, within_days: int) -> Decimal | None:
    """Return the share of applications answered within `within_days` (None without any)."""
    applications = Application.objects.filter(slot__mission__organisation=organisation).exclude(
        status=Application.Status.WITHDRAWN
    )
    answered_in_time = Q(
        decided_at__isnull=False, decided_at__lte=F("created_at") + timedelta(days=within_days)
    )
    counts = applications.aggregate(
        total=Count("pk"), answered=Count("pk", filter=answered_in_time)
    )
    if counts["total"] == 0:
        return None
    return (Decimal(counts["answered"]) / Decimal(counts["total"])).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CertificateLine:
    """The hours a volunteer gave to one mission."""

    mission_title: str
    organisation_name: str
    first_day: date
    last_day: date
    hours: Decimal


def confirmed_hours(
    volunteer: User, *, organisation: Organisation | None = None
) -> list[CertificateLine]:
    """Return the confirmed hours of a volunteer, one line per mission, oldest first."""
    participations = Participation.objects.filter(application__volunteer=volunteer)
    if organisation is not None:
        participations = participations.filter(
            application__slot__mission__organisation=organisation
        )
    rows = (
        participations.values(
            "application__slot__mission__title",
            "application__slot__mission__organisation__name",
            "application__slot__mission_id",
        )
        .annotate(
            hours=Sum("hours"),
            first=Min("application__slot__starts_at"),
            last=Max("application__slot__starts_at"),
        )
        .order_by("first")
    )
    return [
        CertificateLine(
            mission_title=row["application__slot__mission__title"],
            organisation_name=row["application__slot__mission__organisation__name"],
            first_day=timezone.localdate(row["first"]),
            last_day=timezone.localdate(row["last"]),
            hours=row["hours"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class HoursWith:
    """The hours a volunteer gave one organisation (what one certificate covers)."""

    organisation: Organisation
    hours: Decimal


def hours_by_organisation(volunteer: User) -> list[HoursWith]:
    """Return the organisations that confirmed hours of the volunteer, by name, with the totals."""
    rows = (
        Participation.objects.filter(application__volunteer=volunteer)
        .values("application__slot__mission__organisation_id")
        .annotate(total=Sum("hours"))
    )
    totals = {row["application__slot__mission__organisation_id"]: row["total"] for row in rows}
    organisations = Organisation.objects.filter(pk__in=totals).order_by("name", "pk")
    return [HoursWith(o, totals[o.pk]) for o in organisations if totals[o.pk] > 0]


def certificate_by_code(code: str) -> Certificate | None:
    """Return the certificate with this (normalised) code, with its volunteer and organisation."""
    if not code:
        return None
    return Certificate.objects.select_related("volunteer", "organisation").filter(code=code).first()


def catalogue_map_points(missions: list[Mission], *, precision_m: int) -> list[dict[str, Any]]:
    """Return the rounded positions of the on-site missions, for the catalogue's map."""
    points = []
    for mission in missions:
        if mission.is_remote or mission.lat is None or mission.lon is None:
            continue
        lat, lon = round_position(mission.lat, mission.lon, precision_m)
        points.append(
            {
                "lat": lat,
                "lon": lon,
                "label": f"{mission.title} · {mission.town}",
                "public_id": str(mission.public_id),
            }
        )
    return points


def templates_of_organisation(organisation: Organisation) -> QuerySet[MissionTemplate]:
    """Return an organisation's mission templates by name."""
    return organisation.mission_templates.order_by("name", "pk")


def saved_searches_of(user: User) -> QuerySet[SavedSearch]:
    """Return a volunteer's saved searches by name."""
    return SavedSearch.objects.filter(user=user).order_by("name", "pk")


@dataclass(frozen=True)
class VolunteerFit:
    """A volunteer who fits a mission: the skills they share and how far they live."""

    user: User
    shared_skills: tuple[str, ...]
    distance_km: float | None
    proposed: bool


# How many volunteers a remote mission's ranking reads at most (there is no distance to narrow).
REMOTE_CANDIDATES_READ = 5_000


def _proposable_profiles(mission: Mission) -> QuerySet[VolunteerProfile]:
    """Return the profiles of volunteers who may be proposed the mission (not its skills yet)."""
    today = timezone.localdate()
    profiles = (
        VolunteerProfile.objects.select_related("user")
        .filter(user__is_active=True, user__email_verified_at__isnull=False, is_paused=False)
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lt=today))
        .exclude(user__applications__slot__mission=mission)
    )
    if mission.is_internal:
        members = Membership.objects.filter(organisation=mission.organisation).values("user_id")
        employees = Employee.objects.filter(company=mission.organisation).values("user_id")
        profiles = profiles.filter(Q(user_id__in=members) | Q(user_id__in=employees))
    return profiles


def _shared_skills(mission: Mission, profile: VolunteerProfile) -> tuple[str, ...]:
    """Return the mission's wanted skills the volunteer has (compared without case)."""
    has = {skill.casefold() for skill in profile.skills}
    return tuple(skill for skill in mission.skills if skill.casefold() in has)


def _speaks(mission: Mission, profile: VolunteerProfile) -> bool:
    """Return True when the mission asks no language or the volunteer speaks one it asks."""
    return not mission.languages or bool(set(mission.languages) & set(profile.languages))


def fitting_volunteers(
    mission: Mission, *, limit: int | None = 100, only: Any = None
) -> list[VolunteerFit]:
    """Return the volunteers who fit a mission, most shared skills first, then nearest.

    On site: volunteers whose home is within their own travel radius of the mission, found
    with the matching core (the profiles read are those of the grid cells around the mission).
    Remote: volunteers who speak one of its languages and, when it asks skills, have one.
    Active, unpaused volunteers with a verified email only; those who applied are left out.
    """
    profiles = _proposable_profiles(mission)
    if only is not None:
        profiles = profiles.filter(user=only)
    fits: list[tuple[VolunteerProfile, float | None]] = []
    if mission.is_remote:
        for profile in profiles.order_by("pk")[:REMOTE_CANDIDATES_READ]:
            if not _speaks(mission, profile):
                continue
            if mission.skills and not _shared_skills(mission, profile):
                continue
            fits.append((profile, None))
    elif mission.lat is not None and mission.lon is not None:
        for near in rows_near(profiles, lat=mission.lat, lon=mission.lon, radius_km=MAX_RADIUS_KM):
            profile, km = near.row, near.distance_km
            if km is not None and km <= profile.radius_km and _speaks(mission, profile):
                fits.append((profile, km))
    proposed = set(
        MissionEvent.objects.filter(mission=mission, kind="proposed").values_list(
            "data__volunteer", flat=True
        )
    )
    ranked = sorted(
        (
            VolunteerFit(
                user=profile.user,
                shared_skills=_shared_skills(mission, profile),
                distance_km=None if km is None else round(km, 1),
                proposed=profile.user_id in proposed,
            )
            for profile, km in fits
        ),
        key=lambda fit: (
            -len(fit.shared_skills),
            fit.distance_km if fit.distance_km is not None else 0.0,
            fit.user.pk,
        ),
    )
    return ranked if limit is None else ranked[:limit]


def can_be_proposed_to(mission: Mission, volunteer: Viewer) -> bool:
    """Return True when the volunteer fits the mission (see fitting_volunteers)."""
    return bool(fitting_volunteers(mission, limit=1, only=volunteer))


def proposals_sent_today(mission: Mission) -> int:
    """Return how many volunteers the mission was proposed to since local midnight."""
    midnight = datetime.combine(
        timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone()
    )
    return MissionEvent.objects.filter(
        mission=mission, kind="proposed", created_at__gte=midnight
    ).count()
