"""Pages of drop-off points: the public list and map, the nearest suitable point, one point."""

from datetime import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from entraide.accounts.models import User
from entraide.core.csv_files import csv_download, spreadsheet_safe
from entraide.core.forms import AccessibleForm
from entraide.core.pages import error_summary, run_service
from entraide.core.vocabulary import Channel
from entraide.dropoff import collection_selectors, exports, permissions, selectors, services
from entraide.dropoff.collection_forms import EstimateNearestForm
from entraide.dropoff.forms import (
    CloseForm,
    DonationForm,
    FillLevelForm,
    PickupRequestForm,
)
from entraide.dropoff.models import DropoffPoint
from entraide.dropoff.nearest import Answer
from entraide.goods.models import Category

WEB = Channel.WEB


def points(request: HttpRequest) -> HttpResponse:
    """The drop-off points on a list and a map; the nearest open ones with room, or a home
    collection when the donation is too big for a point."""
    now = timezone.now()
    form = EstimateNearestForm(request.GET or None)
    answer, choice = _find(form, now)
    points = selectors.points_public()
    if form.is_bound and form.is_valid() and form.cleaned_data["category"] is not None:
        points = points.filter(categories=form.cleaned_data["category"])
    found = list(points)
    rows = [(point, point.is_open_at(now)) for point in found]
    return render(
        request,
        "dropoff/points.html",
        {
            "form": form,
            "error_summary": error_summary(form),
            "answer": answer,
            "choice": choice,
            "is_staff": permissions.is_dropoff_staff(request.user),
            "rows": rows,
            "markers": selectors.map_markers(found),
        },
    )


def _find(
    form: EstimateNearestForm, now: datetime
) -> tuple[Answer[DropoffPoint] | None, collection_selectors.Choice | None]:
    """Return the nearest suitable points, or instead a home collection for a big donation."""
    if not form.is_bound or not form.is_valid():
        return None, None
    data = form.cleaned_data
    found = form.estimate()
    choice = None
    if found.volume_m3 > 0:
        choice = collection_selectors.collection_choice(
            found, postcode=data["postcode"], country=data["country"] or "FR"
        )
        if choice.home:
            return None, choice
    category = data["category"]
    if category is None and len(found.categories) == 1:
        category = found.categories[0]
    return _nearest(form, now, category), choice


def _nearest(
    form: EstimateNearestForm, now: datetime, category: Category | None
) -> Answer[DropoffPoint] | None:
    """Return the nearest suitable points for the form's place, or None with its errors."""
    data = form.cleaned_data
    try:
        lat, lon = selectors.donor_position(
            lat=data["lat"],
            lon=data["lon"],
            address=data["address"],
            postcode=data["postcode"],
            town=data["town"],
            country=data["country"],
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
    return selectors.nearest_points(lat=lat, lon=lon, category=category, moment=now)


@login_required
@require_GET
def phone(request: HttpRequest) -> HttpResponse:
    """Operators: the nearest open point with room for a caller, and the closer ones skipped,
    or a home collection to book for them when the donation is too big for a point."""
    if not permissions.is_dropoff_operator(request.user):
        raise PermissionDenied
    form = EstimateNearestForm(request.GET or None)
    answer, choice = _find(form, timezone.now())
    return render(
        request,
        "dropoff/phone.html",
        {
            "form": form,
            "error_summary": error_summary(form),
            "answer": answer,
            "choice": choice,
        },
    )


def point(request: HttpRequest, pk: int) -> HttpResponse:
    """A point's address, hours this week, categories, accessibility and room now."""
    found = selectors.point_public(pk)
    now = timezone.now()
    return render(
        request,
        "dropoff/point.html",
        {
            "point": found,
            "open_now": found.is_open_at(now),
            "can_host": permissions.can_manage_point(request.user, found),
            "week": selectors.point_week(found, now),
            "markers": selectors.map_markers([found]),
        },
    )


def points_geojson(request: HttpRequest) -> JsonResponse:
    """Every point as open data (GeoJSON, HSDS field names in the properties)."""
    response = JsonResponse(exports.geojson(list(selectors.points_public())))
    response["Content-Type"] = "application/geo+json"
    return response


def points_csv(request: HttpRequest) -> HttpResponse:
    """Every point as open data (CSV, HSDS column names)."""
    rows = (
        [
            spreadsheet_safe(value) if isinstance(value, str) else value
            for value in exports.record(point).values()
        ]
        for point in selectors.points_public()
    )
    return csv_download("dropoff-points.csv", exports.COLUMNS, rows)


HOST_FORMS = {
    "fill": FillLevelForm,
    "close": CloseForm,
    "donation": DonationForm,
    "pickup": PickupRequestForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def host(request: HttpRequest, pk: int) -> HttpResponse:
    """The hosts' page: log a donation, set the fill level, close or reopen, ask for a pickup."""
    point = selectors.point_public(pk)
    if not permissions.can_manage_point(request.user, point):
        raise Http404
    actor = cast(User, request.user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {}
    for name, form_class in HOST_FORMS.items():
        data = request.POST if action == name else None
        extra = {"point": point} if form_class is DonationForm else {}
        initial = {"level": point.fill_level} if name == "fill" else None
        forms[name] = form_class(data, initial=initial, **extra)
    done = None
    if action == "reopen":
        done = run_service(
            request, None, lambda: services.point_reopen(point=point, actor=actor, channel=WEB)
        )
    elif action in forms and forms[action].is_valid():
        done = run_service(
            request, forms[action], lambda: _host_action(action, point, forms[action], actor)
        )
    if done is not None:
        messages.success(request, _("Saved."))
        return redirect("dropoff:host", pk=point.pk)
    return render(
        request,
        "dropoff/host.html",
        {
            "point": point,
            "forms": forms,
            "error_summary": error_summary(*forms.values()),
            "open_request": point.pickup_requests.filter(status="requested").first(),
            "donations": point.donations.prefetch_related("categories")[:10],
        },
    )


def _host_action(action: str, point: DropoffPoint, form: AccessibleForm, actor: User) -> object:
    """Call the service behind one of the hosts' forms."""
    data = form.cleaned_data
    if action == "fill":
        return services.point_set_fill_level(
            point=point, level=data["level"], actor=actor, channel=WEB
        )
    if action == "close":
        return services.point_close(
            point=point,
            reason=data["reason"],
            until=data["until"],
            today=timezone.localtime(timezone.now(), point.territory.zone).date(),
            actor=actor,
            channel=WEB,
        )
    if action == "donation":
        return services.point_log_donation(
            point=point,
            categories=list(data["categories"]),
            bags=data["bags"],
            volume_m3=data["volume_m3"],
            actor=actor,
            channel=WEB,
        )
    return services.point_request_pickup(point=point, note=data["note"], actor=actor, channel=WEB)


@login_required
def pickup_requests(request: HttpRequest) -> HttpResponse:
    """Staff: the points waiting to be emptied, oldest request first."""
    if not permissions.is_dropoff_staff(request.user):
        raise Http404
    return render(
        request,
        "dropoff/pickup_requests.html",
        {"requests": selectors.open_pickup_requests()},
    )
