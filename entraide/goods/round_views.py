"""Collection round pages: plan a round, its printable sheet, the driver's rounds."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from entraide.core.forms import AccessibleForm
from entraide.core.pages import error_summary, run_service
from entraide.core.vocabulary import Channel
from entraide.goods import permissions, selectors, services
from entraide.goods.forms import RoundCancelForm, RoundDriverForm, RoundForm, RoundOffersForm
from entraide.goods.models import CollectionRound, Offer, Pickup, RoundStatus
from entraide.goods.views import _organisation, _pickup_categories, _user


def _moment(form: RoundForm, name: str) -> datetime:
    """Return the form's day at one of its times, in the current time zone."""
    return timezone.make_aware(datetime.combine(form.cleaned_data["day"], form.cleaned_data[name]))


@login_required
@require_http_methods(["GET", "POST"])
def round_plan(request: HttpRequest, slug: str) -> HttpResponse:
    """Plan a round: tick the accepted offers, give the day, the hours and the vehicle."""
    organisation = _organisation(request, slug)
    offers = list(selectors.offers_to_plan(organisation))
    form = RoundForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        collection_round = run_service(
            request,
            form,
            lambda: services.round_plan(
                organisation=organisation,
                offers=form.chosen_offers(),
                starts_at=_moment(form, "leaves"),
                ends_at=_moment(form, "back_by"),
                vehicle=form.cleaned_data["vehicle"],
                capacity_kg=form.cleaned_data["capacity_kg"],
                actor=_user(request),
                channel=Channel.WEB,
            ),
        )
        if collection_round is not None:
            messages.success(request, _("Round planned: print its sheet for the driver."))
            return redirect("goods:round", pk=collection_round.pk)
    return render(
        request,
        "goods/round_plan.html",
        {"organisation": organisation, "form": form, "error_summary": error_summary(form)},
    )


def _stop_rows(stops: list[Pickup]) -> list[dict[str, Any]]:
    """Return each stop with its donor, where, and the kilograms per category to collect."""
    rows = []
    for stop in stops:
        lot = stop.offers.all()[0].lot
        rows.append(
            {
                "stop": stop,
                "donor": lot.donor,
                "address": " ".join(p for p in (lot.address, lot.postcode, lot.town) if p),
                "categories": list(_pickup_categories(stop).values()),
                "lat": lot.lat,
                "lon": lot.lon,
            }
        )
    return rows


def _answer(
    request: HttpRequest, collection_round: CollectionRound, replan: RoundOffersForm
) -> AccessibleForm | None:
    """Handle the sheet's POST; return the form refused, or None when done."""
    action = request.POST.get("action", "")
    actor = _user(request)
    form: AccessibleForm
    if action == "driver":
        form = RoundDriverForm(request.POST)
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.round_assign_driver(
                collection_round=collection_round,
                email=form.cleaned_data["email"],
                actor=actor,
                channel=Channel.WEB,
            ),
        ):
            messages.success(request, _("Driver named: they see this round in their rounds."))
            return None
        return form
    if action == "cancel":
        form = RoundCancelForm(request.POST)
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.round_cancel(
                collection_round=collection_round,
                actor=actor,
                channel=Channel.WEB,
                reason=form.cleaned_data["reason"],
            ),
        ):
            messages.success(request, _("Round cancelled: its goods are to plan again."))
            return None
        return form
    if action == "replan":
        if replan.is_valid() and run_service(
            request,
            replan,
            lambda: services.round_replan(
                collection_round=collection_round,
                offers=replan.chosen_offers(),
                actor=actor,
                channel=Channel.WEB,
            ),
        ):
            messages.success(request, _("Round planned again."))
            return None
        return replan
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def round_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's printable sheet: its stops in order, the map, and the planner's buttons."""
    collection_round = get_object_or_404(
        CollectionRound.objects.select_related("organisation", "driver"), pk=pk
    )
    if not permissions.can_see_round(request.user, collection_round):
        raise Http404
    organisation = collection_round.organisation
    can_plan = permissions.can_act_for(request.user, organisation)
    stops = list(selectors.round_stops(collection_round))
    own: list[Offer] = [o for stop in stops for o in stop.offers.all()]
    replan = RoundOffersForm(
        request.POST if request.POST.get("action") == "replan" else None,
        offers=own + list(selectors.offers_to_plan(organisation)),
        initial={"offers": [str(o.pk) for o in own]},
        prefix="replan",
    )
    refused: AccessibleForm | None = None
    if request.method == "POST":
        if not can_plan:
            raise Http404
        refused = _answer(request, collection_round, replan)
        if refused is None:
            return redirect("goods:round", pk=pk)
    rows = _stop_rows(stops)
    markers = [
        {
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "label": f"{row['stop'].round_position}. {row['donor']}",
            "number": row["stop"].round_position,
            "url": reverse("goods:pickup", args=[row["stop"].pk]),
        }
        for row in rows
        if row["lat"] is not None and row["lon"] is not None
    ]
    forms = {"replan": replan, "driver": RoundDriverForm(), "cancel": RoundCancelForm()}
    if refused is not None:
        forms[request.POST.get("action", "")] = refused
    return render(
        request,
        "goods/round.html",
        {
            "round": collection_round,
            "rows": rows,
            "markers": markers,
            "can_plan": can_plan,
            "not_started": collection_round.status == RoundStatus.PLANNED,
            "forms": forms,
            "error_summary": error_summary(refused) if refused is not None else [],
        },
    )


@login_required
def my_rounds(request: HttpRequest) -> HttpResponse:
    """The rounds the signed-in person drives."""
    return render(
        request, "goods/my_rounds.html", {"rounds": selectors.rounds_driven_by(_user(request))}
    )
