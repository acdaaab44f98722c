"""Pages of the operators' console: parse the form, call a service, show the result."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entraide.accounts.current import current_user
from entraide.core.errors import DomainError, refusal_message
from entraide.core.forms import add_service_errors
from entraide.core.phones import display_phone
from entraide.core.vocabulary import Language
from entraide.help_requests.models import HelpRequest, Status
from entraide.operators import selectors, services
from entraide.operators.forms import (
    AssignForm,
    CallbackForm,
    CallForm,
    CancelForm,
    ConfirmForm,
    LookupForm,
    QuickEntryForm,
)
from entraide.operators.models import Call, Callback

# A longer queue is a staffing problem, not a page to scroll: the most urgent come first.
QUEUE_SHOWN = 100


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send visitors to the login page and refuse (403) users who are not operators."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (getattr(user, "is_operator", False) or user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _lookup_url(phone: str) -> str:
    """Return the caller page of a number."""
    return f"{reverse('operators:lookup')}?{urlencode({'phone': phone})}"


@operator_required
def console(request: HttpRequest) -> HttpResponse:
    """Show the look-up box, the queue, the call-backs due today and today's counters."""
    return render(
        request,
        "operators/console.html",
        {
            "lookup_form": LookupForm(),
            "queue": selectors.queue_requests()[:QUEUE_SHOWN],
            "callbacks": selectors.callbacks_due(),
            "stats": selectors.call_stats(),
            "now": timezone.now(),
        },
    )


@operator_required
def lookup(request: HttpRequest) -> HttpResponse:
    """Show what the line knows about the number typed in the look-up box."""
    if "phone" not in request.GET:
        return redirect("operators:console")
    form = LookupForm(request.GET)
    # Focus stays where the page starts: the operator reads the caller's history first.
    form.fields["phone"].widget.attrs.pop("autofocus", None)
    if not form.is_valid():
        return render(request, "operators/lookup.html", {"lookup_form": form}, status=400)
    history = selectors.caller_lookup(phone=form.cleaned_data["phone"])
    return render(
        request,
        "operators/lookup.html",
        {
            "lookup_form": form,
            "history": history,
            "query": urlencode({"phone": history.phone}),
            "now": timezone.now(),
        },
    )


@operator_required
def quick_entry(request: HttpRequest) -> HttpResponse:
    """Enter a caller's request and log their call in one go."""
    if request.method == "POST":
        form = QuickEntryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                help_request, _call = services.help_request_create_by_phone(
                    operator=current_user(request),
                    phone=data["phone"],
                    kind=data["kind"],
                    requester_name=data["requester_name"],
                    town=data["town"],
                    consent=data["consent"],
                    languages=data["languages"],
                    urgency=data["urgency"],
                    details=data["details"],
                    when_note=data["when_note"],
                    address=data["address"],
                    postcode=data["postcode"],
                    requester_email=data["requester_email"],
                    call_note=data["call_note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Request %(reference)s saved. Read the reference to the caller.")
                    % {"reference": help_request.reference},
                )
                return redirect("operators:request_detail", public_id=help_request.public_id)
        status = 400
    else:
        initial: dict[str, Any] = {"phone": request.GET.get("phone", "")}
        # The operator takes the call in the caller's language, usually the one on screen.
        if get_language() in Language.values:
            initial["languages"] = [get_language()]
        form = QuickEntryForm(initial=initial)
        status = 200
    history = None
    phone = form.data.get("phone") if form.is_bound else form.initial.get("phone")
    if phone:
        try:
            history = selectors.caller_lookup(phone=phone)
        except ValidationError:
            history = None
    return render(
        request, "operators/quick_entry.html", {"form": form, "history": history}, status=status
    )


def _request_page(
    request: HttpRequest, help_request: HelpRequest, status: int = 200, **forms: Any
) -> HttpResponse:
    """Render the operator's page of a request, with any bound form that needs correcting."""
    phone = help_request.requester_phone
    context: dict[str, Any] = {
        "view": selectors.request_for_operator(help_request=help_request),
        "hr": help_request,
        "phone_display": display_phone(phone),
        "lookup_url": _lookup_url(phone) if phone else "",
        "call_form": CallForm(
            initial={"phone": phone, "outcome": Call.Outcome.FOLLOW_UP}, prefix="call"
        ),
        "callback_form": CallbackForm(initial={"phone": phone}, prefix="callback"),
        "cancel_form": CancelForm(prefix="cancel"),
        "confirm_form": ConfirmForm(prefix="confirm"),
        "can_cancel": help_request.status in (Status.NEW, Status.OFFERED, Status.TAKEN),
        "can_confirm": help_request.status in (Status.TAKEN, Status.DONE)
        and help_request.confirmed_at is None,
        "now": timezone.now(),
    }
    context.update(forms)
    return render(request, "operators/request_detail.html", context, status=status)


def _get_request(public_id: Any) -> HelpRequest:
    """Return the request or raise 404."""
    return get_object_or_404(
        HelpRequest.objects.select_related("taken_by", "created_by"), public_id=public_id
    )


@operator_required
def request_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show a request in full, with its history and the operator's actions."""
    return _request_page(request, _get_request(public_id))


@operator_required
@require_POST
def request_assign(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Give the request to the volunteer the operator chose."""
    help_request = _get_request(public_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("volunteer", []):
            messages.error(request, str(error))
        return redirect("operators:request_detail", public_id=help_request.public_id)
    volunteer = form.cleaned_data["volunteer"]
    try:
        services.help_request_assign_by_phone(
            help_request=help_request,
            volunteer=volunteer,
            operator=current_user(request),
        )
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(
            request,
            _("Request given to %(volunteer)s. They have been sent an email.")
            % {"volunteer": volunteer},
        )
    return redirect("operators:request_detail", public_id=help_request.public_id)


def _decide(
    request: HttpRequest,
    help_request: HelpRequest,
    form: CancelForm | ConfirmForm,
    form_name: str,
    decide: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Run a decision on the request from a valid form; show the form again if it needs fixing.

    A refusal (somebody else changed the request) is a message on the page, not a form error.
    """
    if form.is_valid():
        try:
            decide(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            messages.error(request, refusal_message(exc))
            return redirect("operators:request_detail", public_id=help_request.public_id)
        else:
            messages.success(request, success)
            return redirect("operators:request_detail", public_id=help_request.public_id)
    return _request_page(request, help_request, status=400, **{form_name: form})


@operator_required
@require_POST
def request_cancel(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Cancel the request for the caller."""
    help_request = _get_request(public_id)
    return _decide(
        request,
        help_request,
        CancelForm(request.POST, prefix="cancel"),
        "cancel_form",
        lambda data: services.help_request_cancel_by_phone(
            help_request=help_request,
            operator=current_user(request),
            direction=data["direction"],
            reason=data["reason"],
        ),
        _("The request is cancelled."),
    )


@operator_required
@require_POST
def request_confirm(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record the caller's confirmation that the help was given."""
    help_request = _get_request(public_id)
    return _decide(
        request,
        help_request,
        ConfirmForm(request.POST, prefix="confirm"),
        "confirm_form",
        lambda data: services.help_request_confirm_by_phone(
            help_request=help_request,
            operator=current_user(request),
            direction=data["direction"],
            note=data["note"],
        ),
        _("The help is confirmed as done. Thank you!"),
    )


def _log_call(request: HttpRequest, form: CallForm, help_request: HelpRequest | None) -> bool:
    """Log the call described by a valid form; put service errors on the form."""
    data = form.cleaned_data
    try:
        services.call_log(
            operator=current_user(request),
            direction=data["direction"],
            phone=data["phone"],
            outcome=data["outcome"],
            note=data["note"],
            help_request=help_request,
            language=data["language"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("Call logged."))
    return True


def _schedule_callback(
    request: HttpRequest, form: CallbackForm, help_request: HelpRequest | None
) -> bool:
    """Schedule the call-back described by a valid form; put service errors on the form."""
    data = form.cleaned_data
    try:
        callback = services.callback_schedule(
            operator=current_user(request),
            phone=data["phone"],
            due_at=data["due_at"],
            note=data["note"],
            help_request=help_request,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(
        request,
        _("Call-back scheduled for %(when)s.")
        % {"when": timezone.localtime(callback.due_at).strftime("%d/%m/%Y %H:%M")},
    )
    return True


@operator_required
@require_POST
def request_call(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Log a call about this request."""
    help_request = _get_request(public_id)
    form = CallForm(request.POST, prefix="call")
    if form.is_valid() and _log_call(request, form, help_request):
        return redirect("operators:request_detail", public_id=help_request.public_id)
    return _request_page(request, help_request, status=400, call_form=form)


@operator_required
@require_POST
def request_callback(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Schedule a call-back about this request."""
    help_request = _get_request(public_id)
    form = CallbackForm(request.POST, prefix="callback")
    if form.is_valid() and _schedule_callback(request, form, help_request):
        return redirect("operators:request_detail", public_id=help_request.public_id)
    return _request_page(request, help_request, status=400, callback_form=form)


@operator_required
def call_new(request: HttpRequest) -> HttpResponse:
    """Log a call that is not about one request (listening, information, wrong number)."""
    if request.method == "POST":
        form = CallForm(request.POST, prefix="call")
        if form.is_valid() and _log_call(request, form, None):
            return redirect(_lookup_url(form.cleaned_data["phone"]))
        status = 400
    else:
        form = CallForm(
            initial={"phone": request.GET.get("phone", ""), "outcome": Call.Outcome.LISTENING},
            prefix="call",
        )
        status = 200
    return render(request, "operators/call_form.html", {"form": form}, status=status)


@operator_required
def callback_new(request: HttpRequest) -> HttpResponse:
    """Schedule a call-back to a caller, outside any request."""
    if request.method == "POST":
        form = CallbackForm(request.POST, prefix="callback")
        if form.is_valid() and _schedule_callback(request, form, None):
            return redirect(_lookup_url(form.cleaned_data["phone"]))
        status = 400
    else:
        form = CallbackForm(initial={"phone": request.GET.get("phone", "")}, prefix="callback")
        status = 200
    return render(request, "operators/callback_form.html", {"form": form}, status=status)


@operator_required
@require_POST
def callback_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a call-back as made."""
    callback = get_object_or_404(Callback, pk=pk)
    try:
        services.callback_done(callback=callback, operator=current_user(request))
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("Call-back marked as made."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("operators:console")
