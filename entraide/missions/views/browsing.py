"""Missions pages for everyone: the catalogue with its map, and one mission."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from entraide.core.pages import error_summary as _summary
from entraide.core.pages import run_service as _run
from entraide.core.places import place_from_input
from entraide.missions import selectors, services
from entraide.missions.forms import ApplyForm, CatalogueForm, SaveSearchForm
from entraide.missions.models import Application, Mission, MissionSlot
from entraide.missions.views._common import _pk, _user
from entraide.organisations.permissions import can_manage_missions


@require_http_methods(["GET", "POST"])
def catalogue(request: HttpRequest) -> HttpResponse:
    """List published missions with filters and a map; a volunteer saves the filters by name."""
    form = CatalogueForm(request.GET or None)
    missions: list[Mission] = []
    lat = lon = None
    from_home = False
    home = selectors.volunteer_home(request.user)
    if not form.is_bound or form.is_valid():
        if form.is_bound and form.cleaned_data.get("town"):
            try:
                place = place_from_input(town=form.cleaned_data["town"])
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                lat, lon = place.lat, place.lon
        if not form.is_bound:
            form.cleaned_data = {}
        if lat is None and home is not None and not form.errors:
            # Without a town, distances are from the volunteer's own geocoded place.
            lat, lon, from_home = home.lat, home.lon, True
        if not form.errors:
            filters = form.to_filters(
                lat=lat, lon=lon, default_radius_km=home.radius_km if from_home and home else 10
            )
            missions = selectors.missions_catalogue(viewer=request.user, filters=filters)
    save_form = SaveSearchForm(request.POST or None, prefix="save")
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if save_form.is_valid() and not form.errors:
            saved = _run(
                request,
                save_form,
                lambda: services.saved_search_create(
                    user=_user(request),
                    name=save_form.cleaned_data["name"],
                    params=request.GET.dict(),
                    lat=None if from_home else lat,
                    lon=None if from_home else lon,
                ),
            )
            if saved is not None:
                messages.success(
                    request, _("Search saved: we will email you when new missions match it.")
                )
                return redirect(request.get_full_path())
    page = Paginator(missions, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    points = selectors.catalogue_map_points(
        missions, precision_m=settings.PUBLIC_POSITION_PRECISION_M
    )
    for point in points:
        point["url"] = reverse("missions:detail", args=[point.pop("public_id")])
    return render(
        request,
        "missions/catalogue.html",
        {
            "form": form,
            "save_form": save_form,
            "page": page,
            "query": query.urlencode(),
            "map_points": points,
            "from_home": from_home,
            "home_radius_km": None if home is None else home.radius_km,
            "error_summary": _summary(form, save_form),
        },
        status=400 if save_form.errors else 200,
    )


def _mission_or_404(request: HttpRequest, public_id: Any) -> Mission:
    """Return the mission if the viewer may see it, else raise a 404."""
    mission = selectors.mission_by_public_id(public_id)
    if mission is None or not selectors.can_see(mission, request.user):
        raise Http404
    return mission


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show a mission and its slots; a signed-in volunteer applies to a slot with a message."""
    mission = _mission_or_404(request, public_id)
    form = ApplyForm(request.POST or None)
    applied_slot = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        applied_slot = get_object_or_404(
            MissionSlot, pk=_pk(request.POST.get("slot")), mission=mission
        )
        if form.is_valid():
            application = _run(
                request,
                form,
                lambda: services.application_submit(
                    slot=applied_slot,
                    volunteer=_user(request),
                    message=form.cleaned_data["message"],
                ),
            )
            if application is not None:
                if application.status == Application.Status.WAITLISTED:
                    messages.warning(request, _("This slot is full: you are on the waiting list."))
                else:
                    messages.success(request, _("Thank you! The organisation will answer soon."))
                return redirect("missions:detail", public_id=mission.public_id)
    mine = selectors.applications_of_volunteer_for(mission, request.user)
    # An accepted place shows the practicalities; the applications just read tell it.
    accepted = any(a.status == Application.Status.ACCEPTED for a in mine.values())
    return render(
        request,
        "missions/detail.html",
        {
            "mission": mission,
            "slots": selectors.mission_slots(mission, upcoming_only=True),
            "mine": mine,
            "accepted": accepted,
            "can_manage": can_manage_missions(request.user, mission.organisation),
            "form": form,
            "applied_slot": applied_slot,
            "error_summary": _summary(form),
        },
    )
