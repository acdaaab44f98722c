"""Writes for the phone line: calls, call-backs, and requests entered or closed by phone.

Requests themselves are only ever changed through entraide.help_requests.services; these
functions add the phone-line facts (which call, which operator) in the same transaction.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.core.phones import normalise_phone
from entraide.core.vocabulary import Channel, Language
from entraide.help_requests import services as help_request_services
from entraide.help_requests.kinds import Urgency
from entraide.help_requests.models import HelpRequest
from entraide.operators.models import Call, Callback


def _check_operator(user: User) -> None:
    """Refuse anybody who does not answer the phone line."""
    if not (user.is_operator or user.is_staff):
        raise PermissionDeniedError(_("Only operators of the phone line can do this."))


def _required_phone(raw: str, field: str = "phone") -> str:
    """Return the number in E.164 form, or raise a field error when missing or invalid."""
    try:
        phone = normalise_phone(raw)
    except ValidationError as exc:
        raise ValidationError({field: list(exc.messages)}) from exc
    if not phone:
        raise ValidationError({field: [_("Enter the caller's phone number.")]})
    return phone


def _clean(instance: Call | Callback, errors: dict[str, list[str]]) -> None:
    """Validate the row and raise every problem at once, with those already found."""
    try:
        instance.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def call_log(
    *,
    operator: User,
    direction: str,
    phone: str,
    outcome: str,
    note: str = "",
    help_request: HelpRequest | None = None,
    language: str = "",
) -> Call:
    """Record one phone call, in or out, and what came of it."""
    _check_operator(operator)
    errors: dict[str, list[str]] = {}
    try:
        phone = _required_phone(phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if language and language not in Language.values:
        errors["language"] = [_("Unknown language: %(code)s") % {"code": language}]
    call = Call(
        operator=operator,
        direction=direction,
        phone=phone,
        outcome=outcome,
        note=note.strip(),
        help_request=help_request,
        language=language,
    )
    _clean(call, errors)
    call.save()
    return call


@transaction.atomic
def callback_schedule(
    *,
    operator: User,
    phone: str,
    due_at: datetime,
    note: str = "",
    help_request: HelpRequest | None = None,
    source_call: Call | None = None,
) -> Callback:
    """Promise a call at a given time so that any operator on duty makes it."""
    _check_operator(operator)
    errors: dict[str, list[str]] = {}
    try:
        phone = _required_phone(phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if timezone.is_naive(due_at):
        errors["due_at"] = [_("Give the time of the call-back with its time zone.")]
    elif due_at <= timezone.now():
        errors["due_at"] = [_("Choose a time in the future.")]
    callback = Callback(
        phone=phone,
        due_at=due_at,
        note=note.strip(),
        help_request=help_request,
        created_by=operator,
        source_call=source_call,
    )
    _clean(callback, errors)
    callback.save()
    return callback


@transaction.atomic
def callback_done(*, callback: Callback, operator: User) -> Callback:
    """Mark a call-back as made, unless another operator already did."""
    _check_operator(operator)
    # The WHERE on done_at is what stops two operators from both closing it.
    updated = Callback.objects.filter(pk=callback.pk, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=operator
    )
    if updated != 1:
        raise ConflictError(_("Another operator has already made this call-back."))
    callback.refresh_from_db()
    return callback


@transaction.atomic
def help_request_create_by_phone(
    *,
    operator: User,
    phone: str,
    kind: str,
    requester_name: str,
    town: str,
    consent: bool,
    languages: list[str],
    urgency: str = Urgency.TODAY,
    details: str = "",
    when_note: str = "",
    address: str = "",
    postcode: str = "",
    requester_email: str = "",
    call_note: str = "",
) -> tuple[HelpRequest, Call]:
    """Enter a caller's request and log the incoming call; both are saved or neither is."""
    _check_operator(operator)
    errors: dict[str, list[str]] = {}
    try:
        _required_phone(phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        help_request = help_request_services.help_request_create(
            kind=kind,
            requester_name=requester_name,
            town=town,
            consent=consent,
            channel=Channel.PHONE,
            details=details,
            urgency=urgency,
            when_note=when_note,
            languages=languages,
            requester_phone=phone,
            requester_email=requester_email,
            address=address,
            postcode=postcode,
            actor=operator,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            # The request calls it requester_phone; on the phone line it is the caller's phone.
            field = "phone" if field == "requester_phone" else field
            known = errors.setdefault(field, [])
            known.extend(m for m in messages if m not in known)
        raise ValidationError(errors) from exc
    if errors:
        raise ValidationError(errors)
    call = call_log(
        operator=operator,
        direction=Call.Direction.INBOUND,
        phone=phone,
        outcome=Call.Outcome.NEW_REQUEST,
        note=call_note,
        help_request=help_request,
        language=help_request.languages[0] if help_request.languages else "",
    )
    return help_request, call


def _log_optional_call(
    *,
    operator: User,
    help_request: HelpRequest,
    direction: str,
    outcome: str,
    note: str,
) -> Call | None:
    """Log the call that led to a change, when the change was made during one."""
    if not direction:
        return None
    if not help_request.requester_phone:
        raise ValidationError(
            {"direction": [_('This request has no phone number; choose "no call".')]}
        )
    return call_log(
        operator=operator,
        direction=direction,
        phone=help_request.requester_phone,
        outcome=outcome,
        note=note,
        help_request=help_request,
        language=help_request.requester_language,
    )


@transaction.atomic
def help_request_confirm_by_phone(
    *, help_request: HelpRequest, operator: User, direction: str = "", note: str = ""
) -> HelpRequest:
    """Record that the caller confirmed the help was given, and the call where they said so."""
    _check_operator(operator)
    help_request = help_request_services.help_request_confirm(
        help_request=help_request, channel=Channel.PHONE, actor=operator, note=note
    )
    _log_optional_call(
        operator=operator,
        help_request=help_request,
        direction=direction,
        outcome=Call.Outcome.CONFIRMED,
        note=note,
    )
    return help_request


@transaction.atomic
def help_request_cancel_by_phone(
    *, help_request: HelpRequest, operator: User, direction: str = "", reason: str = ""
) -> HelpRequest:
    """Cancel a request for the caller, and log the call where they asked for it."""
    _check_operator(operator)
    help_request = help_request_services.help_request_cancel(
        help_request=help_request, channel=Channel.PHONE, reason=reason, actor=operator
    )
    _log_optional_call(
        operator=operator,
        help_request=help_request,
        direction=direction,
        outcome=Call.Outcome.CANCELLED,
        note=reason,
    )
    return help_request


@transaction.atomic
def help_request_assign_by_phone(
    *, help_request: HelpRequest, volunteer: User, operator: User, over_limit: bool = False
) -> HelpRequest:
    """Give an open request to a volunteer the operator reached by phone.

    Refused when the volunteer already holds their maximum, unless `over_limit` (see
    `help_requests.services.help_request_assign`).
    """
    _check_operator(operator)
    return help_request_services.help_request_assign(
        help_request=help_request,
        volunteer=volunteer,
        actor=operator,
        channel=Channel.PHONE,
        over_limit=over_limit,
    )
