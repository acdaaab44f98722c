"""Pages of a volunteer: profile, dashboard, one request, history. Thin: the services decide."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entraide.accounts.models import User
from entraide.core.errors import DomainError, refusal_message
from entraide.core.forms import add_service_errors
from entraide.core.vocabulary import Channel
from entraide.help_requests.models import HelpRequest, Status
from entraide.help_requests.selectors import volunteer_request_room
from entraide.help_requests.services import (
    TooManyViews,
    help_request_mark_done,
    help_request_release,
    help_request_take,
    help_request_view,
    unverified_message,
)
from entraide.volunteers import selectors
from entraide.volunteers.forms import (
    DashboardFilterForm,
    DoneForm,
    ProfileForm,
    ReleaseForm,
    SignUpForm,
)
from entraide.volunteers.models import PERIODS, WEEKDAYS
from entraide.volunteers.services import volunteer_profile_update

HISTORY_ON_DASHBOARD = 5
# The dashboard lists the first few open requests; "see all" shows the rest.
NEARBY_ON_DASHBOARD = 5


def _user(request: HttpRequest) -> User:
    """Return the logged-in user (every view here requires one)."""
    assert isinstance(request.user, User)
    return request.user


def _held_forms(
    help_request: HelpRequest,
    release_form: ReleaseForm | None = None,
    done_form: DoneForm | None = None,
) -> dict[str, Any]:
    """Return a held request with its give-back and done forms, ids unique on the page."""
    prefix = help_request.public_id.hex[:8]
    return {
        "help_request": help_request,
        "release_form": release_form or ReleaseForm(auto_id=f"release-{prefix}-%s"),
        "done_form": done_form or DoneForm(auto_id=f"done-{prefix}-%s"),
    }


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Show and save where, when and how the volunteer can help."""
    user = _user(request)
    current = selectors.profile_of(user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                volunteer_profile_update(user=user, actor=user, **form.service_arguments())
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Your volunteer profile is saved."))
                return redirect("volunteers:dashboard")
    else:
        form = ProfileForm(initial=ProfileForm.initial_from(current, phone=user.phone))
    ticked = set(form["availability"].value() or [])
    availability_rows = [
        {
            "day": day_name,
            "slots": [
                {
                    "value": str(day * len(PERIODS) + period),
                    "period": period_name,
                    "id": f"id_availability_{day}_{period}",
                    "checked": str(day * len(PERIODS) + period) in ticked,
                }
                for period, (period_name, _first, _last) in enumerate(PERIODS)
            ],
        }
        for day, day_name in enumerate(WEEKDAYS)
    ]
    return render(
        request,
        "volunteers/profile.html",
        {
            "form": form,
            "profile": current,
            "periods": PERIODS,
            "availability_rows": availability_rows,
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show my figures, the requests I hold, the nearby open requests (filtered) and my past."""
    user = _user(request)
    current = selectors.profile_of(user)
    if current is None or not current.has_location:
        return render(request, "volunteers/dashboard.html", {"needs_profile": True})
    if user.email_verified_at is None:
        return render(
            request,
            "volunteers/dashboard.html",
            {"profile": current, "needs_verification": unverified_message()},
        )
    nearby = selectors.open_requests_near_volunteer(current)
    held_requests = list(selectors.requests_held_by(user))
    held = [_held_forms(help_request) for help_request in held_requests]
    filter_form = DashboardFilterForm(request.GET)
    shown = selectors.nearby_filtered(nearby, **filter_form.filters())
    show_all = bool(filter_form.cleaned_data.get("all"))
    see_all = request.GET.copy()
    see_all["all"] = "1"
    map_points = [
        {
            "lat": item.public_lat,
            "lon": item.public_lon,
            "label": f"{item.help_request.get_kind_display()} · {item.help_request.town}",
            "url": reverse("volunteers:request_detail", args=[item.help_request.public_id]),
        }
        for item in shown
    ]
    return render(
        request,
        "volunteers/dashboard.html",
        {
            "profile": current,
            "nearby": shown if show_all else shown[:NEARBY_ON_DASHBOARD],
            "nearby_shown_count": len(shown),
            "filter_form": filter_form,
            "see_all_query": see_all.urlencode(),
            "held": held,
            "history": selectors.history_of(user)[:HISTORY_ON_DASHBOARD],
            "counts": selectors.dashboard_counts(user, current, nearby, held_requests),
            "map_points": map_points,
        },
    )


def _render_detail(
    request: HttpRequest,
    help_request: HelpRequest,
    release_form: ReleaseForm | None = None,
    done_form: DoneForm | None = None,
) -> HttpResponse:
    """Render one request as this volunteer may see it."""
    user = _user(request)
    held_by_me = help_request.status == Status.TAKEN and help_request.taken_by_id == user.pk
    visible = selectors.request_for_volunteer(user, help_request)
    context: dict[str, Any] = {
        "help_request": help_request,
        "held_by_me": held_by_me,
        "taken_by_other": help_request.status == Status.TAKEN and not held_by_me,
        "done_by_me": help_request.status == Status.DONE and help_request.taken_by_id == user.pk,
        "visible": visible,
    }
    if held_by_me:
        context["held"] = _held_forms(help_request, release_form, done_form)
    if visible is not None:
        # Said before the click: the same rule as help_request_take's refusal.
        context["room"] = volunteer_request_room(user)
        context["map_points"] = [
            {
                "lat": visible.public_lat,
                "lon": visible.public_lon,
                "label": f"{help_request.get_kind_display()} · {help_request.town}",
            }
        ]
    return render(request, "volunteers/request_detail.html", context)


@login_required
def request_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Show one request: rounded position before taking, contact details once I hold it.

    Before the take, the page needs a confirmed email address and counts towards the
    volunteer's hourly limit of requests opened (docs/security.md); operators see who came.
    """
    help_request = get_object_or_404(HelpRequest, public_id=public_id)
    user = _user(request)
    if help_request.taken_by_id != user.pk:
        if user.email_verified_at is None:
            return render(
                request,
                "volunteers/unverified.html",
                {"message": unverified_message()},
                status=403,
            )
        if help_request.is_open:
            try:
                help_request_view(help_request=help_request, viewer=user)
            except TooManyViews as exc:
                response = render(
                    request, "volunteers/too_many_views.html", {"message": exc.message}, status=429
                )
                response["Retry-After"] = str(exc.retry_after)
                return response
    return _render_detail(request, help_request)


@login_required
@require_POST
def take(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Take a request; when somebody was faster, say so kindly."""
    help_request = get_object_or_404(HelpRequest, public_id=public_id)
    try:
        help_request_take(help_request=help_request, volunteer=_user(request), channel=Channel.WEB)
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(
            request, _("Thank you! The request is yours: please contact the person now.")
        )
    return redirect("volunteers:request_detail", public_id=help_request.public_id)


@login_required
@require_POST
def release(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Give a request back so that another volunteer can take it."""
    help_request = get_object_or_404(HelpRequest, public_id=public_id)
    prefix = help_request.public_id.hex[:8]
    form = ReleaseForm(request.POST, auto_id=f"release-{prefix}-%s")
    if not form.is_valid():
        return _render_detail(request, help_request, release_form=form)
    try:
        help_request_release(
            help_request=help_request,
            volunteer=_user(request),
            reason=form.cleaned_data["reason"],
            channel=Channel.WEB,
        )
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("volunteers:request_detail", public_id=help_request.public_id)
    messages.success(request, _("You gave the request back. We will ask other volunteers."))
    return redirect("volunteers:dashboard")


@login_required
@require_POST
def mark_done(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Record that the help was given, with a short report."""
    help_request = get_object_or_404(HelpRequest, public_id=public_id)
    prefix = help_request.public_id.hex[:8]
    form = DoneForm(request.POST, auto_id=f"done-{prefix}-%s")
    if not form.is_valid():
        return _render_detail(request, help_request, done_form=form)
    try:
        help_request_mark_done(
            help_request=help_request,
            actor=_user(request),
            report=form.cleaned_data["report"],
            channel=Channel.WEB,
        )
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("volunteers:request_detail", public_id=help_request.public_id)
    messages.success(request, _("Thank you for your help! The request is marked done."))
    return redirect("volunteers:dashboard")


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """List every request this volunteer finished."""
    return render(
        request,
        "volunteers/history.html",
        {"history": selectors.history_of(_user(request))},
    )


def signup(request: HttpRequest) -> HttpResponse:
    """Create a volunteer account, log the person in and ask them to check their email."""
    if request.user.is_authenticated:
        return redirect("volunteers:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Welcome! Check your email: we sent you a link to confirm your address. "
                    "We send you requests once it is confirmed."
                ),
            )
            return redirect("volunteers:dashboard")
    status = 400 if form.errors else 200
    return render(request, "volunteers/signup.html", {"form": form}, status=status)
