"""Writes of programmes: authoring, publishing versions, enrolment into cohorts, the cohort's life.

The one path for the pages, the phone desk, the API, the back office and the demo.
"""

import secrets
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, DomainError, PermissionDeniedError
from entraide.core.events import record_event
from entraide.organisations.models import Organisation, Territory
from entraide.organisations.permissions import can_manage_missions
from entraide.programmes import permissions
from entraide.programmes.models import (
    CLOSING_DAY,
    DAY_NUMBERS,
    Challenge,
    Cohort,
    Coordinator,
    Day,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Programme,
    ProgrammeVersion,
    Resource,
    week_start,
)
from entraide.programmes.rendering import PLACEHOLDERS, RenderError, render_in

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# How far ahead a volunteer may pick a start week.
MAX_WEEKS_AHEAD = 26
MAX_QUANTITY = 10_000
# Paths under /programmes/ that a programme's address may not take.
RESERVED_SLUGS = {"mine", "authoring", "cohorts", "phone", "totals"}

# What authors may set on a programme (the pages and the API pass these through).
PROGRAMME_FIELDS = (
    "title",
    "summary",
    "default_language",
    "cohort_size",
    "call_time",
    "call_minutes",
)


def _require_author(actor: User | None, programme: Programme) -> None:
    if not permissions.can_author(actor, programme):
        raise PermissionDeniedError(_("Only the organisation's staff can edit this programme."))


def _clean(row: Any) -> None:
    row.full_clean()
    row.save()


# Authoring ---------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    title: str,
    call_time: time,
    actor: User,
    summary: str = "",
    default_language: str = "fr",
    cohort_size: int = 15,
    call_minutes: int = 30,
    slug: str = "",
) -> Programme:
    """Start a draft programme for an organisation, with its seven empty days."""
    if not can_manage_missions(actor, organisation):
        raise PermissionDeniedError(_("Only the organisation's staff can author its programmes."))
    base = slugify(slug or title)[:60] or "programme"
    candidate, suffix = base, 2
    while candidate in RESERVED_SLUGS or Programme.objects.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    programme = Programme(
        organisation=organisation,
        slug=candidate,
        title=title.strip(),
        summary=summary.strip(),
        default_language=default_language,
        cohort_size=cohort_size,
        call_time=call_time,
        call_minutes=call_minutes,
        created_by=actor,
    )
    _clean(programme)
    Day.objects.bulk_create([Day(programme=programme, number=n) for n in DAY_NUMBERS])
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, actor: User, **fields: Any) -> Programme:
    """Change a draft's settings (running cohorts keep the version they started with)."""
    _require_author(actor, programme)
    for name, value in fields.items():
        if name not in PROGRAMME_FIELDS:
            raise ValueError(name)
        setattr(programme, name, value.strip() if isinstance(value, str) else value)
    _clean(programme)
    return programme


def _check_placeholders(texts: dict[str, str]) -> None:
    errors: dict[str, list[str]] = {}
    for field, text in texts.items():
        try:
            from entraide.programmes.rendering import render_text

            render_text(text, {})
        except RenderError:
            errors[field] = [
                _("Use only these placeholders: %(names)s.")
                % {"names": ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def day_update(*, day: Day, texts: dict[str, str], actor: User) -> Day:
    """Save a draft day's subjects, bodies and actions (keys like subject_fr, body_nl)."""
    _require_author(actor, day.programme)
    allowed = {
        f"{part}_{code}" for part in ("subject", "body", "action") for code in LANGUAGE_CODES
    }
    cleaned = {name: (value or "").strip() for name, value in texts.items() if name in allowed}
    _check_placeholders(cleaned)
    for name, value in cleaned.items():
        setattr(day, name, value)
    _clean(day)
    return day


@transaction.atomic
def challenge_add(
    *, programme: Programme, title: str, description: str = "", actor: User
) -> Challenge:
    """Add a challenge (a theme) to a programme."""
    _require_author(actor, programme)
    position = (programme.challenges.aggregate(m=Max("position"))["m"] or 0) + 1
    challenge = Challenge(
        programme=programme, title=title.strip(), description=description.strip(), position=position
    )
    _clean(challenge)
    return challenge


@transaction.atomic
def resource_add(*, programme: Programme, title: str, url: str, actor: User) -> Resource:
    """Add a resource link to a programme."""
    _require_author(actor, programme)
    resource = Resource(programme=programme, title=title.strip(), url=url.strip())
    _clean(resource)
    return resource


def programme_content(programme: Programme) -> dict[str, Any]:
    """Return what a version freezes: days in every language, challenges, resources, call."""
    return {
        "title": programme.title,
        "default_language": programme.default_language,
        "call_time": programme.call_time.strftime("%H:%M"),
        "call_minutes": programme.call_minutes,
        "days": {
            str(day.number): {code: day.text(code) for code in LANGUAGE_CODES}
            for day in programme.days.all()
        },
        "challenges": [
            {"id": c.pk, "title": c.title, "description": c.description}
            for c in programme.challenges.all()
        ],
        "resources": [{"title": r.title, "url": r.url} for r in programme.resources.all()],
    }


@transaction.atomic
def programme_publish(*, programme: Programme, actor: User) -> ProgrammeVersion:
    """Freeze the draft as the next version; new cohorts run it, running ones keep theirs."""
    _require_author(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    content = programme_content(programme)
    if not content["challenges"]:
        raise DomainError(_("Add at least one challenge before publishing."))
    number = (programme.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ProgrammeVersion(
        programme=programme, number=number, content=content, published_by=actor
    )
    # Every day must render in the default language: it is what a failing language falls back to.
    missing = []
    for day_number in DAY_NUMBERS:
        try:
            render_in(version, day_number, programme.default_language, {})
        except RenderError:
            missing.append(day_number)
    if missing:
        raise DomainError(
            _(
                "Write the subject and the email of every day in the default language first "
                "(missing: %(days)s)."
            )
            % {"days": ", ".join(str(n) for n in missing)}
        )
    version.save()
    return version


# Coordinators and enrolment -----------------------------------------------------------------


@transaction.atomic
def coordinator_add(*, programme: Programme, user: User, actor: User) -> Coordinator:
    """Make a trained volunteer available to lead cohorts; waiting enrollees may get one."""
    _require_author(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    coordinator, _created = Coordinator.objects.get_or_create(programme=programme, user=user)
    waiting = (
        Enrolment.objects.filter(programme=programme, status=EnrolmentStatus.WAITING)
        .order_by("created_at", "pk")
        .select_related("programme", "user")
    )
    for enrolment in waiting:
        _place(enrolment, actor=actor, channel="system")
    return coordinator


def _latest_version(programme: Programme) -> ProgrammeVersion:
    version = programme.versions.order_by("-number").first()
    if version is None:
        raise DomainError(_("This programme is not open for enrolment yet."))
    return version


def _cohort_with_room(programme: Programme, start: date, language: str, zone: str) -> Cohort | None:
    return (
        Cohort.objects.filter(
            programme=programme, start_week=start, language=language, time_zone=zone
        )
        .annotate(members=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.PLACED)))
        .filter(members__lt=F("capacity"))
        .order_by("number")
        .first()
    )


def _free_coordinator(programme: Programme, start: date) -> User | None:
    busy = Cohort.objects.filter(programme=programme, start_week=start).values("coordinator")
    row = (
        Coordinator.objects.filter(programme=programme)
        .exclude(user__in=busy)
        .select_related("user")
        .order_by("added_at", "pk")
        .first()
    )
    return row.user if row is not None else None


def _open_cohort(programme: Programme, start: date, language: str, zone: str) -> Cohort | None:
    coordinator = _free_coordinator(programme, start)
    if coordinator is None:
        return None
    number = (programme.cohorts.aggregate(m=Max("number"))["m"] or 0) + 1
    return Cohort.objects.create(
        programme=programme,
        version=_latest_version(programme),
        number=number,
        start_week=start,
        language=language,
        time_zone=zone,
        capacity=programme.cohort_size,
        coordinator=coordinator,
        room=f"entraide-{programme.slug[:40]}-{secrets.token_hex(6)}",
    )


def _place(enrolment: Enrolment, *, actor: User | None, channel: str) -> Enrolment:
    """Put an enrolment in a cohort with room, a new one, or on the waiting list.

    The caller holds the programme's row lock: counting the seats and taking one are then
    one step for every enrolment of the programme.
    """
    programme = enrolment.programme
    cohort = _cohort_with_room(
        programme, enrolment.start_week, enrolment.language, enrolment.time_zone
    ) or _open_cohort(programme, enrolment.start_week, enrolment.language, enrolment.time_zone)
    before = enrolment.status
    if cohort is None:
        enrolment.status, enrolment.cohort = EnrolmentStatus.WAITING, None
    else:
        enrolment.status, enrolment.cohort = EnrolmentStatus.PLACED, cohort
    enrolment.save()
    if enrolment.status != before or cohort is not None:
        record_event(
            EnrolmentEvent,
            enrolment,
            "placed" if cohort is not None else "waiting",
            actor=actor,
            channel=channel,
            from_status=before,
            to_status=enrolment.status,
            data={"cohort": cohort.number} if cohort is not None else {},
        )
    return enrolment


def _today_in(zone: str) -> date:
    return timezone.now().astimezone(ZoneInfo(zone)).date()


def _check_start_week(start_week: date | None, zone: str, *, after: date | None = None) -> date:
    if start_week is None:
        raise ValidationError({"start_week": [_("Choose the week you start.")]})
    start = week_start(start_week)
    today = _today_in(zone)
    if start + timedelta(days=CLOSING_DAY) < today:
        raise ValidationError({"start_week": [_("This week is over: choose a week to come.")]})
    if start > week_start(today) + timedelta(weeks=MAX_WEEKS_AHEAD):
        raise ValidationError({"start_week": [_("Choose a week within the next six months.")]})
    if after is not None and start <= after:
        raise ValidationError({"start_week": [_("Choose a later week than your current one.")]})
    return start


@transaction.atomic
def enrol(
    *,
    programme: Programme,
    user: User,
    start_week: date | None,
    language: str,
    territory: Territory | None,
    actor: User,
    channel: str,
) -> Enrolment:
    """Enrol a volunteer for a start week: placed in a cohort of their language and time zone,
    in a new one when all are full, or on the waiting list when no coordinator is free."""
    if actor.pk != user.pk and not permissions.is_operator(actor):
        raise PermissionDeniedError(_("Only operators can enrol somebody else."))
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGE_CODES:
        errors["language"] = [_("Choose French, Dutch or English.")]
    if territory is None:
        errors["territory"] = [_("Choose where you live: the emails follow its time zone.")]
    if errors:
        raise ValidationError(errors)
    assert territory is not None
    start = _check_start_week(start_week, territory.time_zone)
    # The programme's row lock serialises its enrolments: two people cannot both take the
    # last seat of a cohort, nor open two cohorts where one was needed.
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _latest_version(programme)
    if Enrolment.objects.filter(
        programme=programme, user=user, status__in=[EnrolmentStatus.PLACED, EnrolmentStatus.WAITING]
    ).exists():
        raise ConflictError(_("You are already enrolled in this programme."))
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                programme=programme,
                user=user,
                start_week=start,
                language=language,
                territory=territory,
                time_zone=territory.time_zone,
            )
    except IntegrityError:
        raise ConflictError(_("You are already enrolled in this programme.")) from None
    record_event(EnrolmentEvent, enrolment, "enrolled", actor=actor, channel=channel)
    return _place(enrolment, actor=actor, channel=channel)


def _locked_enrolment(enrolment: Enrolment, actor: User) -> Enrolment:
    if not permissions.can_act_for(actor, enrolment):
        raise PermissionDeniedError(_("You cannot change this enrolment."))
    Programme.objects.select_for_update().get(pk=enrolment.programme_id)
    locked = Enrolment.objects.select_related("programme", "cohort").get(pk=enrolment.pk)
    if locked.status == EnrolmentStatus.LEFT:
        raise ConflictError(_("This enrolment was already ended."))
    return locked


def _fill_seat(programme: Programme, start: date, language: str, zone: str, actor: User) -> None:
    """Give a seat freed in a cohort to the first person waiting for that week."""
    first = (
        Enrolment.objects.filter(
            programme=programme,
            status=EnrolmentStatus.WAITING,
            start_week=start,
            language=language,
            time_zone=zone,
        )
        .order_by("created_at", "pk")
        .select_related("programme")
        .first()
    )
    if first is not None:
        _place(first, actor=actor, channel="system")


@transaction.atomic
def enrolment_leave(*, enrolment: Enrolment, actor: User, channel: str) -> Enrolment:
    """Leave a programme; the freed seat goes to the first person waiting for that week."""
    enrolment = _locked_enrolment(enrolment, actor)
    before, cohort = enrolment.status, enrolment.cohort
    enrolment.status = EnrolmentStatus.LEFT
    enrolment.save(update_fields=["status"])
    record_event(
        EnrolmentEvent,
        enrolment,
        "left",
        actor=actor,
        channel=channel,
        from_status=before,
        to_status=EnrolmentStatus.LEFT,
    )
    if cohort is not None:
        _fill_seat(enrolment.programme, cohort.start_week, cohort.language, cohort.time_zone, actor)
    return enrolment


@transaction.atomic
def enrolment_move(
    *,
    enrolment: Enrolment,
    actor: User,
    channel: str,
    start_week: date | None = None,
    cohort: Cohort | None = None,
) -> Enrolment:
    """Move to a later week (placed again there), or into a given later cohort with room."""
    enrolment = _locked_enrolment(enrolment, actor)
    old_cohort = enrolment.cohort
    current = enrolment.start_week
    if cohort is not None:
        cohort = Cohort.objects.get(pk=cohort.pk)
        if cohort.programme_id != enrolment.programme_id or cohort.start_week <= current:
            raise ValidationError({"cohort": [_("Choose a later cohort of this programme.")]})
        members = cohort.enrolments.filter(status=EnrolmentStatus.PLACED).count()
        if members >= cohort.capacity:
            raise ConflictError(_("This cohort is full: choose another week."))
        enrolment.start_week = cohort.start_week
        enrolment.cohort, enrolment.status = cohort, EnrolmentStatus.PLACED
        enrolment.save()
        record_event(
            EnrolmentEvent,
            enrolment,
            "moved",
            actor=actor,
            channel=channel,
            data={"from_week": current.isoformat(), "cohort": cohort.number},
        )
    else:
        enrolment.start_week = _check_start_week(start_week, enrolment.time_zone, after=current)
        enrolment.last_day_sent = -1
        enrolment.save()
        record_event(
            EnrolmentEvent,
            enrolment,
            "moved",
            actor=actor,
            channel=channel,
            data={"from_week": current.isoformat()},
        )
        _place(enrolment, actor=actor, channel=channel)
    enrolment.last_day_sent = -1
    enrolment.save(update_fields=["last_day_sent"])
    if old_cohort is not None:
        _fill_seat(
            enrolment.programme,
            old_cohort.start_week,
            old_cohort.language,
            old_cohort.time_zone,
            actor,
        )
    return enrolment


# What the placeholders show in an author's preview.
PREVIEW_VALUES = {
    "first_name": "Camille",
    "call_link": "https://meet.jit.si/entraide-preview",
    "chat_link": "https://chat.example.org/cohort",
    "report_link": "https://entraide.example.org/programmes/",
}


def preview_version(programme: Programme) -> ProgrammeVersion:
    """Return the draft as an unsaved version, to preview its days as they would be sent."""
    return ProgrammeVersion(programme=programme, number=0, content=programme_content(programme))


@transaction.atomic
def coordinator_add_by_email(*, programme: Programme, email: str, actor: User) -> Coordinator:
    """Make the person with this email a coordinator (they need an account)."""
    _require_author(actor, programme)
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError({"email": [_("Nobody has an account with this email yet.")]})
    return coordinator_add(programme=programme, user=user, actor=actor)


@transaction.atomic
def enrol_caller(
    *,
    programme: Programme,
    email: str,
    first_name: str,
    start_week: date | None,
    language: str,
    territory: Territory | None,
    actor: User,
) -> Enrolment:
    """An operator enrols a caller by phone; a caller new to the site gets an account."""
    if not permissions.is_operator(actor):
        raise PermissionDeniedError(_("Only operators can enrol somebody else."))
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name.strip(), language=language
        )
    return enrol(
        programme=programme,
        user=user,
        start_week=start_week,
        language=language,
        territory=territory,
        actor=actor,
        channel="phone",
    )
