"""Writes for help requests: the one path used by the web, the API, the back office and commands.

Every state change is a conditional UPDATE (so two people racing get exactly one winner)
followed by an append-only HelpRequestEvent in the same transaction.
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.accounts.models import User
from entraide.core.distance_bands import public_position
from entraide.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from entraide.core.events import record_event
from entraide.core.phones import normalise_phone
from entraide.core.places import place_from_input, validate_postcode
from entraide.core.vocabulary import Channel, HelpKind, Language
from entraide.help_requests.kinds import Urgency
from entraide.help_requests.models import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    HelpRequest,
    HelpRequestEvent,
    RequestView,
    Status,
    new_tracking_token,
)
from entraide.help_requests.selectors import RequestRoom, requests_held_count
from entraide.notifications.models import Notification
from entraide.notifications.services import notify

if TYPE_CHECKING:
    from entraide.volunteers.models import VolunteerProfile

EventKind = HelpRequestEvent.Kind
CONSENT_REQUIRED = gettext_lazy(
    "We need your consent to share your request with nearby volunteers."
)
CONTACT_REQUIRED = gettext_lazy(
    "Give a phone number or an email address so a volunteer can reach you."
)


def _transition(
    help_request: HelpRequest,
    *,
    allowed_from: tuple[str, ...],
    conflict_message: str,
    extra_filter: dict[str, Any] | None = None,
    **changes: Any,
) -> str:
    """Apply `changes` only if the request is still in `allowed_from`; return the old status.

    The UPDATE's WHERE clause is what makes the change atomic across processes: of two
    concurrent callers, the second matches no row and gets a ConflictError.
    """
    current = HelpRequest.objects.filter(pk=help_request.pk).values_list("status", flat=True)
    old_status = current.first()
    if old_status is None:
        raise NotFoundError(_("This request no longer exists."))
    changes["updated_at"] = timezone.now()
    updated = HelpRequest.objects.filter(
        pk=help_request.pk, status__in=allowed_from, **(extra_filter or {})
    ).update(**changes)
    if updated != 1:
        raise ConflictError(conflict_message)
    help_request.refresh_from_db()
    return old_status


def _schedule_dispatch(help_request: HelpRequest) -> None:
    """Start (or restart) the notification waves once the transaction has committed."""
    from entraide.help_requests import tasks

    request_id = help_request.pk
    transaction.on_commit(lambda: tasks.help_request_dispatch.enqueue(request_id))


def _notify_requester(help_request: HelpRequest, template: str, event: str) -> None:
    """Email the requester (when they gave an address) about a change of their request."""
    if not help_request.requester_email:
        return
    notify(
        template=template,
        context={"help_request_id": help_request.pk},
        dedupe_key=f"help_request:{help_request.pk}:{event}",
        to_email=help_request.requester_email,
        language=help_request.requester_language,
        about=help_request,
    )


def _notify_volunteer(
    help_request: HelpRequest, volunteer: User, template: str, event: str
) -> None:
    """Email a volunteer about a request they hold (never skipped by digest preferences)."""
    notify(
        template=template,
        context={"help_request_id": help_request.pk},
        dedupe_key=f"help_request:{help_request.pk}:{event}:{volunteer.pk}",
        recipient=volunteer,
        about=help_request,
    )


@transaction.atomic
def help_request_create(
    *,
    kind: str,
    requester_name: str,
    town: str,
    consent: bool,
    channel: str,
    details: str = "",
    urgency: str = Urgency.TODAY,
    needed_on: date | None = None,
    when_note: str = "",
    languages: list[str] | None = None,
    requester_phone: str = "",
    requester_email: str = "",
    requester_language: str = "",
    address: str = "",
    postcode: str = "",
    country: str = "",
    lat: float | None = None,
    lon: float | None = None,
    actor: User | None = None,
) -> HelpRequest:
    """Save a new request, record it, and start notifying nearby volunteers."""
    errors: dict[str, list[str]] = {}
    if not consent:
        errors["consent"] = [str(CONSENT_REQUIRED)]
    try:
        phone = normalise_phone(requester_phone)
    except ValidationError as exc:
        errors["requester_phone"] = list(exc.messages)
        phone = ""
    if not requester_phone.strip() and not requester_email.strip():
        errors["requester_phone"] = [str(CONTACT_REQUIRED)]
    languages = [code for code in (languages or []) if code]
    unknown = [code for code in languages if code not in Language.values]
    if unknown:
        errors["languages"] = [_("Unknown language: %(code)s") % {"code": unknown[0]}]
    if not languages:
        errors["languages"] = [_("Choose at least one language you speak.")]
    if kind not in HelpKind.values:
        errors["kind"] = [_("Choose what you need.")]
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["town"] = [_("This position is not on the map.")]
        try:
            validate_postcode(postcode, country or "BE")
        except ValidationError as exc:
            errors.update({k: list(v) for k, v in exc.message_dict.items()})
        precision = "pin"
    else:
        try:
            place = place_from_input(address=address, postcode=postcode, town=town, country=country)
        except ValidationError as exc:
            errors.update({k: list(v) for k, v in exc.message_dict.items()})
        else:
            lat, lon, precision = place.lat, place.lon, place.precision
            country = country or place.country
    if errors:
        raise ValidationError(errors)
    assert lat is not None and lon is not None
    now = timezone.now()
    if not requester_language:
        supported = {code for code, _name in settings.LANGUAGES}
        requester_language = next((c for c in languages if c in supported), "fr")
    help_request = HelpRequest(
        kind=kind,
        details=details.strip(),
        urgency=urgency,
        needed_on=needed_on,
        when_note=when_note.strip(),
        languages=languages,
        requester_name=requester_name.strip(),
        requester_phone=phone,
        requester_email=requester_email.strip().lower(),
        requester_language=requester_language,
        address=address.strip(),
        postcode=postcode.strip(),
        town=town.strip(),
        country=(country or "BE").upper(),
        **HelpRequest.position_values(lat, lon),
        location_precision=precision,
        consent_at=now,
        channel=channel,
        created_by=actor,
        expires_at=now + timedelta(days=settings.HELP_REQUEST_EXPIRY_DAYS),
    )
    help_request.full_clean()
    help_request.save()
    record_event(
        HelpRequestEvent,
        help_request,
        EventKind.CREATED,
        channel=channel,
        actor=actor,
        to_status=Status.NEW,
    )
    _notify_requester(help_request, "help_request_received", "received")
    _schedule_dispatch(help_request)
    return help_request


def unverified_message() -> str:
    """Return why an account whose email address is not confirmed may not see requests."""
    return _(
        "Confirm your email address first: follow the link we emailed you, or ask for a new one."
    )


class TooManyViews(DomainError):
    """A volunteer opened more distinct requests this hour than the limit allows (429)."""

    default_code = "too_many_views"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@transaction.atomic
def help_request_view(*, help_request: HelpRequest, viewer: User) -> None:
    """Record that a volunteer opened a request, or refuse beyond the hourly limit.

    One row per viewer and request per hour is enough for the operators' "who viewed" list;
    the limit counts distinct requests, so reopening one already seen this hour is free.
    The viewer's row is locked so that two tabs cannot both pass the last free view.
    """
    User.objects.select_for_update(of=("self",)).filter(pk=viewer.pk).first()
    now = timezone.now()
    recent = list(
        RequestView.objects.filter(viewer=viewer, viewed_at__gt=now - timedelta(hours=1))
        .order_by("viewed_at")
        .values_list("help_request_id", "viewed_at")
    )
    if any(request_id == help_request.pk for request_id, _at in recent):
        return
    distinct: dict[int, Any] = {}
    for request_id, at in recent:
        distinct.setdefault(request_id, at)
    limit = settings.VOLUNTEER_REQUEST_VIEWS_PER_HOUR
    if len(distinct) >= limit:
        # Free again when the oldest of the last `limit` distinct requests leaves the hour.
        oldest = sorted(distinct.values())[len(distinct) - limit]
        retry_after = max(1, int((oldest + timedelta(hours=1) - now).total_seconds()) + 1)
        raise TooManyViews(
            _(
                "You opened %(count)s requests in the last hour, the most we allow to protect "
                "the privacy of the people asking. Try again after %(time)s."
            )
            % {
                "count": limit,
                "time": f"{timezone.localtime(now + timedelta(seconds=retry_after)):%H:%M}",
            },
            retry_after=retry_after,
        )
    RequestView.objects.create(help_request=help_request, viewer=viewer)


def _lock_volunteer(volunteer: User) -> tuple["VolunteerProfile | None", int]:
    """Lock the volunteer's row; return their profile as it is now and the requests they hold.

    Every path that gives a volunteer a request calls this first, inside its transaction:
    the lock makes a second take (or assignment) for the same volunteer wait until the first
    has committed, so its count includes the request the first one gave. The user row is
    locked rather than the profile so that this app needs only the layer below it (accounts).
    """
    locked = (
        User.objects.select_for_update(of=("self",))
        .select_related("volunteer_profile")
        .get(pk=volunteer.pk)
    )
    return getattr(locked, "volunteer_profile", None), requests_held_count(volunteer)


@transaction.atomic
def help_request_take(
    *, help_request: HelpRequest, volunteer: User, channel: str = Channel.WEB
) -> HelpRequest:
    """Give the request to this volunteer, unless somebody else was faster.

    Refused (code "capacity") when the volunteer already holds as many requests as they said
    they can, even when they take several at once: the count is made under a lock on the
    volunteer's row, in the same transaction as the take.
    """
    profile, held = _lock_volunteer(volunteer)
    if profile is None:
        raise DomainError(_("Complete your volunteer profile first."), code="no_profile")
    if volunteer.email_verified_at is None:
        raise DomainError(unverified_message(), code="unverified")
    if RequestRoom(held=held, max_open_requests=profile.max_open_requests).is_full:
        raise DomainError(
            _("You already hold %(count)s requests, your maximum. Finish one first.")
            % {"count": held},
            code="capacity",
        )
    now = timezone.now()
    old = _transition(
        help_request,
        allowed_from=OPEN_STATUSES,
        conflict_message=_("Another volunteer has just taken this request. Thank you anyway!"),
        status=Status.TAKEN,
        taken_by=volunteer,
        taken_at=now,
        next_wave_at=None,
    )
    record_event(
        HelpRequestEvent,
        help_request,
        EventKind.TAKEN,
        channel=channel,
        actor=volunteer,
        from_status=old,
        to_status=Status.TAKEN,
    )
    _notify_requester(help_request, "help_request_taken", f"taken:{now.timestamp()}")
    return help_request


@transaction.atomic
def help_request_assign(
    *,
    help_request: HelpRequest,
    volunteer: User,
    actor: User,
    channel: str = Channel.PHONE,
    reason: str = "",
    over_limit: bool = False,
) -> HelpRequest:
    """Let an operator give an open request to a volunteer they reached by hand.

    The volunteer's limit holds here too, counted under the same lock as a take: an operator
    is refused (code "capacity") when the volunteer already holds their maximum, unless they
    pass `over_limit` because the volunteer agreed on the phone to take one more; the event
    then records it.
    """
    profile, held = _lock_volunteer(volunteer)
    if profile is None:
        raise DomainError(_("This person is not a volunteer."), code="not_volunteer")
    over = RequestRoom(held=held, max_open_requests=profile.max_open_requests).is_full
    if over and not over_limit:
        raise DomainError(
            _("%(volunteer)s already holds %(count)s requests, their maximum.")
            % {"volunteer": volunteer, "count": held},
            code="capacity",
        )
    now = timezone.now()
    old = _transition(
        help_request,
        allowed_from=OPEN_STATUSES,
        conflict_message=_("This request has already been taken."),
        status=Status.TAKEN,
        taken_by=volunteer,
        taken_at=now,
        next_wave_at=None,
    )
    record_event(
        HelpRequestEvent,
        help_request,
        EventKind.ASSIGNED,
        channel=channel,
        actor=actor,
        from_status=old,
        to_status=Status.TAKEN,
        reason=reason,
        data={"volunteer_id": volunteer.pk, **({"over_limit": True} if over else {})},
    )
    _notify_volunteer(
        help_request, volunteer, "help_request_assigned", f"assigned:{now.timestamp()}"
    )
    _notify_requester(help_request, "help_request_taken", f"taken:{now.timestamp()}")
    return help_request


@transaction.atomic
def help_request_release(
    *,
    help_request: HelpRequest,
    volunteer: User,
    reason: str = "",
    channel: str = Channel.WEB,
    actor: User | None = None,
) -> HelpRequest:
    """Give a taken request back; it goes back into matching (without asking this volunteer)."""
    old = _transition(
        help_request,
        allowed_from=(Status.TAKEN,),
        extra_filter={"taken_by": volunteer},
        conflict_message=_("You no longer hold this request."),
        status=Status.NEW,
        taken_by=None,
        taken_at=None,
        escalated_at=None,
    )
    record_event(
        HelpRequestEvent,
        help_request,
        EventKind.RELEASED,
        channel=channel,
        actor=actor or volunteer,
        from_status=old,
        to_status=Status.NEW,
        reason=reason,
        data={"volunteer_id": volunteer.pk},
    )
    _schedule_dispatch(help_request)
    return help_request


@transaction.atomic
def help_request_mark_done(
    *,
    help_request: HelpRequest,
    actor: User,
    report: str = "",
    channel: str = Channel.WEB,
) -> HelpRequest:
    """Record that the help was given; the requester is asked to confirm."""
    is_holder = help_request.taken_by_id == actor.pk
    if not (is_holder or actor.is_operator or actor.is_staff):
        raise PermissionDeniedError(_("Only the volunteer who took this request can mark it done."))
    now = timezone.now()
    old = _transition(
        help_request,
        allowed_from=(Status.TAKEN,),
        conflict_message=_("This request is not in progress any more."),
        status=Status.DONE,
        done_at=now,
        done_report=report.strip()[:2000],
        closed_at=now,
    )
    record_event(
        HelpRequestEvent,
        help_request,
        EventKind.DONE,
        channel=channel,
        actor=actor,
        from_status=old,
        to_status=Status.DONE,
        reason=report.strip()[:500],
    )
    _notify_requester(help_request, "help_request_done", "done")
    return help_request


@transaction.atomic
def help_request_confirm(
    *, help_request: HelpRequest, channel: str, actor: User | None = None, note: str = ""
) -> HelpRequest:
    """Record the requester's (or an operator's) confirmation that the help was received."""
    now = timezone.now()
    old = _transition(
        help_request,
        allowed_from=(Status.TAKEN, Status.DONE),
        extra_filter={"confirmed_at__isnull": True},
        conflict_message=_("This request cannot be confirmed now."),
        status=Status.DONE,
        confirmed_at=now,
        done_at=help_request.done_at or now,
        closed_at=help_request.closed_at or now,
    )
    record_event(
        HelpRequestEvent,
        help_request,
        EventKind.CONFIRMED,
        channel=channel,
        actor=actor,
        from_status=old,
        to_status=Status.DONE,
        reason=note,
    )
    if help_request.taken_by is not None:
        _notify_volunteer(
            help_request, help_request.taken_by, "help_request_confirmed", "confirmed"
        )
    return help_request


@transaction.atomic
def help_request_cancel(
    *, help_request: HelpRequest, channel: str, reason: str = "", actor: User | None = None
) -> HelpRequest:
    """Cancel a request that is not closed yet; a volunteer who held it is told."""
    holder = help_request.taken_by
    old = _transition(
        help_request,
        allowed_from=ACTIVE_STATUSES,
        conflict_message=_("This request is already closed."),
        status=Status.CANCELLED,
        closed_at=timezone.now(),
        next_wave_at=None,
    )
    record_event(
        HelpRequestEvent,
        help_request,
        EventKind.CANCELLED,
        channel=channel,
        actor=actor,
        from_status=old,
        to_status=Status.CANCELLED,
        reason=reason,
    )
    if holder is not None and old == Status.TAKEN:
        _notify_volunteer(help_request, holder, "help_request_cancelled", "cancelled")
    return help_request


@transaction.atomic
def help_request_expire(*, help_request: HelpRequest) -> HelpRequest:
    """Close a request whose time has passed without help being confirmed."""
    old = _transition(
        help_request,
        allowed_from=ACTIVE_STATUSES,
        extra_filter={"expires_at__lte": timezone.now()},
        conflict_message=_("This request cannot expire now."),
        status=Status.EXPIRED,
        closed_at=timezone.now(),
        next_wave_at=None,
    )
    record_event(
        HelpRequestEvent,
        help_request,
        EventKind.EXPIRED,
        channel=Channel.SYSTEM,
        from_status=old,
        to_status=Status.EXPIRED,
    )
    _notify_requester(help_request, "help_request_expired", "expired")
    return help_request


@transaction.atomic
def help_request_revoke_tracking_link(
    *, help_request: HelpRequest, channel: str, actor: User | None = None
) -> HelpRequest:
    """Replace the tracking token: the old link stops working at once."""
    HelpRequest.objects.filter(pk=help_request.pk).update(
        tracking_token=new_tracking_token(), updated_at=timezone.now()
    )
    help_request.refresh_from_db()
    record_event(
        HelpRequestEvent, help_request, EventKind.TOKEN_REVOKED, channel=channel, actor=actor
    )
    _notify_requester(
        help_request, "help_request_new_link", f"new_link:{help_request.tracking_token[:8]}"
    )
    return help_request


@transaction.atomic
def help_request_purge_personal_data(*, help_request: HelpRequest) -> HelpRequest:
    """Blank a closed request's personal data; keep what the statistics need."""
    lat, lon = public_position(help_request.lat, help_request.lon)
    now = timezone.now()
    updated = HelpRequest.objects.filter(
        pk=help_request.pk, status__in=CLOSED_STATUSES, personal_data_purged_at__isnull=True
    ).update(
        requester_name="",
        requester_phone="",
        requester_email="",
        address="",
        details="",
        when_note="",
        done_report="",
        **HelpRequest.position_values(lat, lon),
        location_precision="rounded",
        personal_data_purged_at=now,
        updated_at=now,
    )
    if updated != 1:
        raise ConflictError(_("This request is not closed, or was already purged."))
    # Messages to the requester hold their email address; the request's history stays.
    Notification.objects.about(help_request).filter(recipient__isnull=True).delete()
    help_request.refresh_from_db()
    record_event(HelpRequestEvent, help_request, EventKind.PURGED, channel=Channel.SYSTEM)
    return help_request
