"""Goods pages: donors offer lots, associations ask, accept, collect; dashboards count meals."""

from collections import defaultdict
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from entraide.accounts.models import User
from entraide.core.forms import AccessibleForm
from entraide.core.numbers import whole_number
from entraide.core.pages import error_summary, run_service
from entraide.core.vocabulary import Channel
from entraide.goods import permissions, selectors, services
from entraide.goods.forms import (
    AcceptForm,
    DeclineForm,
    LotForm,
    NeedForm,
    PeriodForm,
    PickupForm,
    RecordForm,
)
from entraide.goods.models import Lot, Need, Offer, Pickup, PickupStatus
from entraide.goods.permissions import NEAR_RADII
from entraide.organisations.models import Organisation
from entraide.organisations.selectors import organisations_of


def _user(request: HttpRequest) -> User:
    """Return the signed-in person (the views that call this require a log-in)."""
    return cast(User, request.user)


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    """Return the organisation if the signed-in person may act for it, else 404."""
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), slug=slug)
    if not permissions.can_act_for(request.user, organisation):
        raise Http404
    return organisation


def declare_lot(
    request: HttpRequest, form: LotForm, *, organisation: Organisation | None, channel: str
) -> Lot | None:
    """Offer the form's lot (or start its weekly series); None when refused."""
    actor = _user(request)
    if form.cleaned_data.get("every_week"):
        series = run_service(
            request,
            form,
            lambda: services.lot_series_create(
                actor=actor,
                channel=channel,
                donor_organisation=organisation,
                **form.series_arguments(),
            ),
        )
        if series is None:
            return None
        lot = Lot.objects.filter(series=series).order_by("occurrence_on").first()
        messages.success(request, _("Weekly lot saved: the next occurrences are offered."))
        return lot or Lot(series=series)
    photos = form.cleaned_data.get("photos") or []

    @transaction.atomic
    def declare_with_photos() -> Lot:
        """Offer the lot and add its photos: a photo refused offers nothing."""
        lot = services.lot_declare(
            actor=actor,
            channel=channel,
            donor_organisation=organisation,
            **form.service_arguments(),
        )
        for upload in photos:
            services.lot_photo_add(lot=lot, upload=upload, actor=actor, channel=channel)
        return lot

    lot = run_service(request, form, declare_with_photos)
    if lot is not None:
        messages.success(request, _("Lot offered: associations nearby are told."))
    return cast(Lot | None, lot)


def declare_need(
    request: HttpRequest, form: NeedForm, *, organisation: Organisation, channel: str
) -> Need | None:
    """Ask for the form's need; None when refused."""
    need = run_service(
        request,
        form,
        lambda: services.need_declare(
            organisation=organisation,
            actor=_user(request),
            channel=channel,
            **form.service_arguments(),
        ),
    )
    if need is not None:
        messages.success(request, _("Need saved: matching lots will be offered to you."))
    return cast(Need | None, need)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """List the organisations the person gives or asks for goods in the name of."""
    organisations = [
        o for o in organisations_of(request.user) if permissions.can_act_for(request.user, o)
    ]
    return render(
        request,
        "goods/home.html",
        {"organisations": organisations, "is_staff": permissions.is_goods_staff(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def lot_create(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Offer a lot, in an organisation's name or as a person."""
    organisation = _organisation(request, slug) if slug else None
    form = LotForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        lot = declare_lot(request, form, organisation=organisation, channel=Channel.WEB)
        if lot is not None:
            return redirect("goods:lots", slug=slug) if slug else redirect("goods:my_lots")
    return render(
        request,
        "goods/lot_form.html",
        {"form": form, "organisation": organisation, "error_summary": error_summary(form)},
    )


def _lots_page(request: HttpRequest, lots: Any, organisation: Organisation | None) -> HttpResponse:
    """Show a donor's lots with their offers; cancel one on POST."""
    if request.method == "POST":
        lot = get_object_or_404(lots, pk=whole_number(request.POST.get("lot")))
        done = run_service(
            request,
            None,
            lambda: services.lot_cancel(lot=lot, actor=_user(request), channel=Channel.WEB),
        )
        if done is not None:
            messages.success(request, _("Lot cancelled."))
        return redirect(request.path)
    return render(
        request,
        "goods/lots.html",
        {"lots": selectors.lots_with_offers(lots)[:100], "organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def lots(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's lots, their offers and what was collected."""
    organisation = _organisation(request, slug)
    return _lots_page(request, selectors.lots_of(organisation), organisation)


@login_required
@require_http_methods(["GET", "POST"])
def my_lots(request: HttpRequest) -> HttpResponse:
    """The lots the person gives themself."""
    return _lots_page(request, Lot.objects.filter(donor_user=_user(request)), None)


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for goods in an association's name."""
    organisation = _organisation(request, slug)
    form = NeedForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and declare_need(request, form, organisation=organisation, channel=Channel.WEB)
    ):
        return redirect("goods:association", slug=slug)
    return render(
        request,
        "goods/need_form.html",
        {"form": form, "organisation": organisation, "error_summary": error_summary(form)},
    )


def _donor_key(offer: Offer) -> str:
    """Return the key of the offer's donor (a pickup gathers one donor's offers)."""
    lot = offer.lot
    return f"o{lot.donor_organisation_id}" if lot.donor_organisation_id else f"u{lot.donor_user_id}"


def _answer(request: HttpRequest, organisation: Organisation) -> list[AccessibleForm]:
    """Handle the association page's POST; return the forms that were refused."""
    action = request.POST.get("action", "")
    actor = _user(request)
    if action in {"accept", "decline"}:
        offer = get_object_or_404(
            selectors.offers_waiting_for(organisation), pk=whole_number(request.POST.get("offer"))
        )
        if action == "accept":
            form: AccessibleForm = AcceptForm(request.POST, offer=offer)
            if form.is_valid() and run_service(
                request,
                form,
                lambda: services.offer_accept(
                    offer=offer, actor=actor, channel=Channel.WEB, kg=form.cleaned_data["kg"]
                ),
            ):
                messages.success(request, _("Offer accepted: plan when you collect it."))
                return []
            return [form]
        form = DeclineForm(request.POST, offer=offer)
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.offer_decline(
                offer=offer,
                actor=actor,
                channel=Channel.WEB,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            ),
        ):
            messages.success(request, _("Offer declined: it goes to another association."))
            return []
        return [form]
    if action == "plan":
        key = request.POST.get("donor", "")
        offers = [o for o in selectors.offers_to_plan(organisation) if _donor_key(o) == key]
        form = PickupForm(request.POST, key=key)
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.pickup_plan(
                offers=offers, actor=actor, channel=Channel.WEB, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Pickup planned."))
            return []
        return [form]
    if action == "close":
        need = get_object_or_404(
            Need, organisation=organisation, pk=whole_number(request.POST.get("need"))
        )
        if run_service(
            request,
            None,
            lambda: services.need_close(need=need, actor=actor, channel=Channel.WEB),
        ):
            messages.success(request, _("Need closed."))
        return []
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def association(request: HttpRequest, slug: str) -> HttpResponse:
    """An association's needs, the offers waiting for it, and its pickups."""
    organisation = _organisation(request, slug)
    refused: list[AccessibleForm] = []
    if request.method == "POST":
        refused = _answer(request, organisation)
        if not refused:
            return redirect("goods:association", slug=slug)
    refused_by_prefix = {form.prefix: form for form in refused}
    waiting = []
    for offer in selectors.offers_waiting_for(organisation):
        accept = AcceptForm(offer=offer)
        decline = DeclineForm(offer=offer)
        waiting.append(
            (
                offer,
                refused_by_prefix.get(accept.prefix, accept),
                refused_by_prefix.get(decline.prefix, decline),
            )
        )
    to_plan: dict[str, list[Offer]] = defaultdict(list)
    for offer in selectors.offers_to_plan(organisation):
        to_plan[_donor_key(offer)].append(offer)
    planning = []
    for key, offers in to_plan.items():
        form = PickupForm(key=key)
        planning.append((key, offers, refused_by_prefix.get(form.prefix, form)))
    return render(
        request,
        "goods/association.html",
        {
            "organisation": organisation,
            "needs": selectors.needs_of(organisation)[:50],
            "waiting": waiting,
            "planning": planning,
            "pickups": selectors.pickups_of(organisation),
            "error_summary": error_summary(*refused),
        },
    )


def _pickup_categories(pickup: Pickup) -> dict[str, tuple[str, int]]:
    """Return each category of the pickup's goods with its name and the kilograms accepted."""
    categories: dict[str, tuple[str, int]] = {}
    for offer in pickup.offers.select_related("lot__category").order_by("pk"):
        category = offer.lot.category
        _name, kg = categories.get(category.code, (category.name, 0))
        categories[category.code] = (str(category.name), kg + offer.kg_accepted)
    return categories


@login_required
@require_http_methods(["GET", "POST"])
def pickup(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what a pickup actually took, then confirm the goods were received."""
    found = get_object_or_404(
        Pickup.objects.select_related("organisation", "collection_round__organisation"), pk=pk
    )
    offers = list(
        found.offers.select_related("lot__category", "lot__donor_organisation").prefetch_related(
            "lot__photos"
        )
    )
    allowed = (
        permissions.can_act_for(request.user, found.organisation)
        or any(permissions.can_manage_lot(request.user, o.lot) for o in offers[:1])
        or (
            found.collection_round is not None
            and permissions.can_see_round(request.user, found.collection_round)
        )
    )
    if not allowed:
        raise Http404
    form = RecordForm(
        request.POST if request.POST.get("action") == "record" else None,
        categories=_pickup_categories(found),
    )
    if request.method == "POST":
        actor = _user(request)
        if request.POST.get("action") == "confirm":
            if run_service(
                request,
                None,
                lambda: services.pickup_confirm_receipt(
                    pickup=found, actor=actor, channel=Channel.WEB
                ),
            ):
                messages.success(request, _("Receipt confirmed: the meals are counted."))
                return redirect("goods:pickup", pk=pk)
        elif form.is_valid() and run_service(
            request,
            form,
            lambda: services.pickup_record(
                pickup=found,
                collected=form.collected(),
                actor=actor,
                channel=Channel.WEB,
                reason=form.cleaned_data["reason"],
            ),
        ):
            messages.success(request, _("Pickup recorded."))
            return redirect("goods:pickup", pk=pk)
    found.refresh_from_db()
    return render(
        request,
        "goods/pickup.html",
        {
            "pickup": found,
            "offers": offers,
            "form": form,
            "can_record": found.status == PickupStatus.PLANNED,
            "can_confirm": found.status in (PickupStatus.COLLECTED, PickupStatus.PARTIAL)
            and permissions.can_act_for(request.user, found.organisation),
            "error_summary": error_summary(form),
        },
    )


@login_required
def near(request: HttpRequest, slug: str) -> HttpResponse:
    """The lots still on offer near the association, nearest first."""
    organisation = _organisation(request, slug)
    radius = whole_number(request.GET.get("radius"))
    radius = radius if radius in NEAR_RADII else 10
    found = []
    if organisation.has_position:
        found = selectors.lots_near(
            lat=float(cast(Any, organisation.lat)),
            lon=float(cast(Any, organisation.lon)),
            radius_km=radius,
        )
    return render(
        request,
        "goods/near.html",
        {
            "organisation": organisation,
            "found": found,
            "radius": radius,
            "radii": NEAR_RADII,
            "has_position": organisation.has_position,
        },
    )


def _dashboard(
    request: HttpRequest, *, title: str, organisation: Organisation | None, filename: str
) -> HttpResponse:
    """Show (or export) the received goods per category, their meals and CO₂, over a period."""
    period_form = PeriodForm(request.GET or None)
    start, end = period_form.period()
    rows = selectors.goods_totals(by="category", start=start, end=end, organisation=organisation)
    if request.GET.get("format") == "csv":
        return selectors.goods_totals_csv(rows, filename=filename)
    territories = []
    if organisation is None:
        territories = selectors.goods_totals(by="territory", start=start, end=end)
    totals = {
        "kg": sum((row.kg for row in rows), Decimal("0")),
        "meals": sum((row.meals for row in rows), Decimal("0")),
        "co2_kg": sum((row.co2_kg for row in rows), Decimal("0")),
    }
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "goods/dashboard.html",
        {
            "title": title,
            "organisation": organisation,
            "rows": rows,
            "territories": territories,
            "totals": totals,
            "period_form": period_form,
            "csv_query": query.urlencode(),
            "error_summary": error_summary(period_form),
        },
    )


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """What an association received, or a donor gave, that reached people."""
    organisation = _organisation(request, slug)
    return _dashboard(
        request,
        title=_("Goods of %(name)s") % {"name": organisation.name},
        organisation=organisation,
        filename=f"goods-{organisation.slug}.csv",
    )


@login_required
def territory_dashboard(request: HttpRequest) -> HttpResponse:
    """Staff: the goods received in every territory."""
    if not permissions.is_goods_staff(request.user):
        raise PermissionDenied
    return _dashboard(
        request, title=_("Goods in every territory"), organisation=None, filename="goods.csv"
    )
