"""The requester's pages: ask for help, get the private link, follow the request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from entraide.core.errors import DomainError, refusal_message
from entraide.core.places import place_from_input
from entraide.core.vocabulary import Channel, Language
from entraide.help_requests import selectors, services
from entraide.help_requests.forms import CancelForm, HelpRequestForm
from entraide.help_requests.models import ACTIVE_STATUSES, HelpRequest, Status


def _not_found(request: HttpRequest) -> HttpResponse:
    """Render the friendly page for an unknown or replaced tracking link."""
    return render(request, "help_requests/not_found.html", status=404)


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Show the request form and save the request through the service."""
    if request.method == "POST":
        form = HelpRequestForm(request.POST)
        if form.is_valid():
            try:
                help_request = services.help_request_create(
                    channel=Channel.WEB,
                    requester_language=(get_language() or "")[:2],
                    **form.service_arguments(),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("help_requests:submitted", token=help_request.tracking_token)
    else:
        language = (get_language() or "")[:2]
        form = HelpRequestForm(
            initial={"languages": [language] if language in Language.values else []}
        )
    form.describe_inputs()
    return render(
        request,
        "help_requests/create.html",
        {"form": form, "error_summary": form.error_summary() if form.is_bound else []},
    )


@require_GET
def place(request: HttpRequest) -> JsonResponse:
    """Return the position of a town (and address) so the map can show where the pin goes."""
    try:
        found = place_from_input(
            address=request.GET.get("address", "")[:200],
            postcode=request.GET.get("postcode", "")[:12],
            town=request.GET.get("town", "")[:120],
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=404)
    return JsonResponse({"lat": found.lat, "lon": found.lon, "label": found.label})


@never_cache
@require_GET
def submitted(request: HttpRequest, token: str) -> HttpResponse:
    """Thank the requester and show their reference and private tracking link."""
    help_request = selectors.help_request_by_token(token)
    if help_request is None:
        return _not_found(request)
    track_url = request.build_absolute_uri(
        reverse("help_requests:track", kwargs={"token": help_request.tracking_token})
    )
    return render(
        request,
        "help_requests/submitted.html",
        {"help_request": help_request, "track_url": track_url},
    )


def status_sentence(help_request: HelpRequest) -> str:
    """Return the request's state in plain words for the requester."""
    if help_request.status == Status.TAKEN and help_request.taken_by is not None:
        return _("%(name)s, a volunteer, has taken your request and will contact you.") % {
            "name": help_request.taken_by.first_name or _("A volunteer")
        }
    if help_request.status in (Status.NEW, Status.OFFERED) and help_request.escalated_at:
        return _(
            "No volunteer has answered yet. Our phone team is looking for someone and may call you."
        )
    if help_request.status == Status.DONE and help_request.confirmed_at:
        return _("You confirmed that you received the help. Thank you!")
    sentences = {
        Status.NEW: _("We have received your request and are looking for a volunteer near you."),
        Status.OFFERED: _(
            "Volunteers near you have been told about your request. One of them will contact "
            "you soon."
        ),
        Status.TAKEN: _("A volunteer has taken your request and will contact you."),
        Status.DONE: _("The volunteer says you received the help. Please confirm below."),
        Status.CANCELLED: _("This request is cancelled."),
        Status.EXPIRED: _("This request has expired. If you still need help, ask again."),
    }
    return sentences[Status(help_request.status)]


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, token: str) -> HttpResponse:
    """Show a request to the person who made it, and let them cancel, confirm or renew the link."""
    help_request = selectors.help_request_by_token(token)
    if help_request is None:
        return _not_found(request)
    cancel_form = CancelForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "cancel":
                cancel_form = CancelForm(request.POST)
                if cancel_form.is_valid():
                    services.help_request_cancel(
                        help_request=help_request,
                        channel=Channel.WEB,
                        reason=cancel_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Your request is cancelled."))
                    return redirect("help_requests:track", token=help_request.tracking_token)
            elif action == "confirm":
                services.help_request_confirm(help_request=help_request, channel=Channel.WEB)
                messages.success(request, _("Thank you for telling us. We are glad you got help."))
                return redirect("help_requests:track", token=help_request.tracking_token)
            elif action == "new_link":
                help_request = services.help_request_revoke_tracking_link(
                    help_request=help_request, channel=Channel.WEB
                )
                messages.success(
                    request,
                    _("This is your new private link. The old one no longer works: keep this one."),
                )
                return redirect("help_requests:track", token=help_request.tracking_token)
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, refusal_message(exc))
            return redirect("help_requests:track", token=help_request.tracking_token)
    cancel_form.describe_inputs()
    return render(
        request,
        "help_requests/track.html",
        {
            "help_request": help_request,
            "status_sentence": status_sentence(help_request),
            "history": selectors.help_request_public_history(help_request),
            "volunteer_name": (
                help_request.taken_by.first_name
                if help_request.taken_by and help_request.status in (Status.TAKEN, Status.DONE)
                else ""
            ),
            "can_cancel": help_request.status in ACTIVE_STATUSES,
            "can_confirm": help_request.status in (Status.TAKEN, Status.DONE)
            and help_request.confirmed_at is None,
            "cancel_form": cancel_form,
            "error_summary": cancel_form.error_summary() if cancel_form.is_bound else [],
        },
    )
