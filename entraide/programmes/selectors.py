"""Reads of programmes: the public list, an author's programmes, a volunteer's enrolments."""

from django.db.models import Count, Q, QuerySet

from entraide.accounts.models import Viewer
from entraide.organisations.models import Membership
from entraide.programmes.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Programme,
    ProgrammeVersion,
    RenderProblem,
)

OPEN_STATUSES = (EnrolmentStatus.PLACED, EnrolmentStatus.WAITING)


def published_programmes() -> QuerySet[Programme]:
    """Return the programmes open for enrolment (with at least one published version)."""
    return (
        Programme.objects.filter(versions__isnull=False)
        .distinct()
        .select_related("organisation")
        .order_by("title")
    )


def programme_by_slug(slug: str) -> Programme | None:
    """Return a programme by its address, or None."""
    return Programme.objects.select_related("organisation").filter(slug=slug).first()


def latest_version(programme: Programme) -> ProgrammeVersion | None:
    """Return the version new cohorts run, or None before the first publication."""
    return programme.versions.order_by("-number").first()


def authored_programmes(user: Viewer) -> QuerySet[Programme]:
    """Return the programmes of the organisations the user manages (every one for staff)."""
    queryset = Programme.objects.select_related("organisation").order_by("title")
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset
    return queryset.filter(
        organisation__memberships__user=user,
        organisation__memberships__role__in=[
            Membership.Role.ADMINISTRATOR,
            Membership.Role.MISSION_MANAGER,
        ],
    )


def enrolments_of(user: Viewer) -> QuerySet[Enrolment]:
    """Return a volunteer's enrolments, the open ones first."""
    if user is None or not user.is_authenticated:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(user=user)
        .select_related("programme", "cohort", "cohort__coordinator", "territory")
        .order_by("status", "-start_week")
    )


def open_enrolment(programme: Programme, user: Viewer) -> Enrolment | None:
    """Return the user's enrolment in the programme still placed or waiting, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(programme=programme, user=user, status__in=OPEN_STATUSES)
        .select_related("cohort")
        .first()
    )


def cohorts_of(programme: Programme) -> QuerySet[Cohort]:
    """Return a programme's cohorts with their number of members, by start week."""
    return (
        programme.cohorts.select_related("coordinator", "version")
        .annotate(members=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.PLACED)))
        .order_by("start_week", "number")
    )


def waiting_count(programme: Programme) -> int:
    """Return how many enrollees wait for a coordinator."""
    return programme.enrolments.filter(status=EnrolmentStatus.WAITING).count()


def render_problems(programme: Programme) -> QuerySet[RenderProblem]:
    """Return the day emails that fell back to the default language, newest first."""
    return (
        RenderProblem.objects.filter(version__programme=programme)
        .select_related("version")
        .order_by("-reported_at")
    )


def coordinated_cohorts(user: Viewer) -> QuerySet[Cohort]:
    """Return the cohorts a coordinator leads, the latest first."""
    if user is None or not user.is_authenticated:
        return Cohort.objects.none()
    return cohorts_of_queryset(Cohort.objects.filter(coordinator=user))


def cohorts_of_queryset(queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Return cohorts with their programme and number of members, the latest first."""
    return (
        queryset.select_related("programme", "coordinator")
        .annotate(members=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.PLACED)))
        .order_by("-start_week", "number")
    )
