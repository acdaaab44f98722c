"""Pages of lodging: hosts' places and calendar, associations' search and bookings, the desk."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from entraide.accounts.current import current_user
from entraide.core.pages import error_summary, run_service
from entraide.core.places import place_from_input
from entraide.core.vocabulary import Channel
from entraide.lodging import exports, permissions, selectors, services
from entraide.lodging.forms import (
    BlockForm,
    BookForm,
    ChangeForm,
    CodeForm,
    CountsForm,
    PlaceForm,
    QuotaForm,
    SearchForm,
)
from entraide.lodging.models import Booking, Place
from entraide.organisations.models import Organisation, Territory
from entraide.organisations.selectors import organisations_of

WEB = Channel.WEB


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where each person's lodging pages are: their hosts, their associations, the desk."""
    user = current_user(request)
    mine = list(organisations_of(user))
    return render(
        request,
        "lodging/home.html",
        {
            "associations": [o for o in mine if o.kind == Organisation.Kind.ASSOCIATION],
            "hosts": [o for o in mine if o.kind != Organisation.Kind.ASSOCIATION],
            "is_desk": permissions.is_desk_anywhere(user),
        },
    )


def _organisation(pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("territory"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def host(request: HttpRequest, pk: int) -> HttpResponse:
    """A host's places, its occupancy calendar and its guests (by reference) to check in."""
    organisation = _organisation(pk)
    user = current_user(request)
    if not permissions.can_host(user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        booking = get_object_or_404(
            Booking.objects.select_related("place", "place__territory"),
            pk=request.POST.get("booking") or 0,
            place__host=organisation,
        )
        action = {
            "check_in": (services.booking_check_in, _("The guest's arrival is recorded.")),
            "check_out": (services.booking_check_out, _("The guest's departure is recorded.")),
            "no_show": (services.booking_no_show, _("The no-show is recorded.")),
        }.get(request.POST.get("action", ""))
        if action is None:
            raise Http404
        call, done = action
        if run_service(request, None, lambda: call(booking=booking, actor=user, channel=WEB)):
            messages.success(request, done)
        return redirect("lodging:host", pk=organisation.pk)
    today = timezone.now().astimezone(organisation.territory.zone).date()
    return render(
        request,
        "lodging/host.html",
        {
            "host": organisation,
            "places": selectors.places_of_host(organisation),
            "calendar": selectors.occupancy_calendar(organisation, today),
            "nights": selectors.nights_between(today, today + timedelta(days=14)),
            "bookings": selectors.bookings_at_host(organisation, since=today),
            "today": today,
        },
    )


def _place_initial(place: Place) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(place, name)
        for name in (
            "name",
            "kind",
            "unit",
            "capacity",
            "step_free",
            "checklist",
            "house_rules",
            "contact_name",
            "contact_phone",
            "address",
            "postcode",
            "town",
            "no_show_hour",
            "published",
        )
    }
    for window in place.windows.all():
        initial[f"starts_{window.weekday}"] = window.starts
        initial[f"ends_{window.weekday}"] = window.ends
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, host_pk: int, pk: int | None = None) -> HttpResponse:
    """Publish a place or change it: what it is, what is there, its nights, blocked nights."""
    organisation = _organisation(host_pk)
    user = current_user(request)
    if not permissions.can_host(user, organisation):
        raise PermissionDenied
    place = get_object_or_404(Place, pk=pk, host=organisation) if pk else None
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    form = PlaceForm(
        request.POST if action == "save" else None,
        initial=_place_initial(place) if place else {"unit": "room", "published": True},
    )
    block = BlockForm(request.POST if action in ("block", "unblock") else None)
    if action == "save" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in data if not name.startswith(("starts_", "ends_"))}
        saved = run_service(
            request,
            form,
            lambda: _save_place(place, organisation, fields, form.windows(), user),
        )
        if saved is not None:
            messages.success(request, _("The place is saved."))
            return redirect("lodging:place_edit", host_pk=organisation.pk, pk=saved.pk)
    if place is not None and action in ("block", "unblock") and block.is_valid():
        night, reason = block.cleaned_data["night"], block.cleaned_data["reason"]
        if action == "block":
            done = run_service(
                request,
                block,
                lambda: services.night_block(
                    place=place, night=night, reason=reason, actor=user, channel=WEB
                ),
            )
        else:
            done = services.night_unblock(place=place, night=night, actor=user, channel=WEB)
        if done:
            messages.success(request, _("The night is saved."))
            return redirect("lodging:place_edit", host_pk=organisation.pk, pk=place.pk)
    return render(
        request,
        "lodging/place_edit.html",
        {
            "host": organisation,
            "place": place,
            "form": form,
            "block": block,
            "error_summary": error_summary(form, block),
            "blocked": place.blocked_nights.all() if place else [],
        },
    )


def _save_place(
    place: Place | None,
    organisation: Organisation,
    fields: dict[str, Any],
    windows: list[Any],
    user: Any,
) -> Place:
    """Save the place and its windows in one transaction."""
    with transaction.atomic():
        saved = services.place_save(
            place=place, host=organisation, actor=user, channel=WEB, **fields
        )
        services.place_set_windows(place=saved, windows=windows, actor=user, channel=WEB)
    return saved


def _search(form: SearchForm, association: Organisation) -> list[selectors.Free] | None:
    """Return the places free for the form's nights, or None with its errors."""
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    first = data["first_night"]
    lat = lon = None
    if data["postcode"] or data["town"]:
        try:
            found = place_from_input(
                postcode=data["postcode"], town=data["town"], country=association.country
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
            return None
        lat, lon = found.lat, found.lon
    return selectors.search(
        first_night=first,
        until=first + timedelta(days=data["nights"]),
        territory=association.territory,
        lat=lat,
        lon=lon,
        radius_km=15,
        kind=data["kind"],
        step_free=data["step_free"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def association(request: HttpRequest, pk: int) -> HttpResponse:
    """An association searches free places, books for a guest reference, and follows its stays.

    The desk opens the same page to book for an association that calls (channel phone).
    """
    organisation = _organisation(pk)
    user = current_user(request)
    if not permissions.can_book_for(user, organisation):
        raise PermissionDenied
    is_member = any(o.pk == organisation.pk for o in organisations_of(user))
    channel = WEB if is_member else Channel.PHONE
    book_form = BookForm(request.POST if request.POST.get("action") == "book" else None)
    change_form = ChangeForm(request.POST if request.POST.get("action") == "change" else None)
    if request.method == "POST":
        answer = _booking_action(request, organisation, user, channel, book_form, change_form)
        if answer is not None:
            return answer
    search_form = SearchForm(request.GET or None)
    return render(
        request,
        "lodging/association.html",
        {
            "association": organisation,
            "search": search_form,
            "found": _search(search_form, organisation),
            "book_form": book_form,
            "change_form": change_form,
            "error_summary": error_summary(search_form, book_form, change_form),
            "bookings": selectors.bookings_of_association(organisation)[:100],
            "codes": [(c, selectors.code_nights_used(c)) for c in selectors.codes_of(organisation)],
            "quotas": [
                (q, selectors.quota_nights_used(q)) for q in selectors.quotas_of(organisation)
            ],
            "by_phone": channel == Channel.PHONE,
        },
    )


def _booking_action(
    request: HttpRequest,
    organisation: Organisation,
    user: Any,
    channel: str,
    book_form: BookForm,
    change_form: ChangeForm,
) -> HttpResponse | None:
    """Run the posted action; return the redirect when it was done, None to show the errors."""
    action = request.POST.get("action", "")
    here = redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
    if action == "book":
        if not book_form.is_valid():
            return None
        data = book_form.cleaned_data
        place = Place.objects.filter(pk=data["place"], published=True).first()
        if place is None:
            raise Http404
        booking = run_service(
            request,
            book_form,
            lambda: services.booking_hold(
                place=place,
                association=organisation,
                guest_reference=data["guest_reference"],
                first_night=data["first_night"],
                nights=data["nights"],
                code=data["code"],
                actor=user,
                channel=channel,
            ),
        )
        if booking is None:
            return None
        messages.success(
            request,
            _("The nights are held for %(minutes)s minutes: confirm them below.")
            % {"minutes": services.HOLD_MINUTES},
        )
        return redirect("lodging:association", pk=organisation.pk)
    booking = get_object_or_404(
        Booking.objects.select_related("place", "place__territory", "code"),
        pk=request.POST.get("booking") or 0,
        association=organisation,
    )
    if action == "change":
        if not change_form.is_valid():
            return None
        until = change_form.cleaned_data["until"]
        done = run_service(
            request,
            change_form,
            lambda: services.booking_change(
                booking=booking, until=until, actor=user, channel=channel
            ),
        )
        if done is None:
            return None
        messages.success(request, _("The stay is changed."))
        return here
    calls: dict[str, tuple[Callable[..., Booking], str]] = {
        "confirm": (services.booking_confirm, _("The booking is confirmed.")),
        "cancel": (services.booking_cancel, _("The booking is cancelled: its nights are free.")),
    }
    if action not in calls:
        raise Http404
    call, done_message = calls[action]
    if run_service(request, None, lambda: call(booking=booking, actor=user, channel=channel)):
        messages.success(request, done_message)
    return here


def _desk_territories(user: Any) -> list[Territory]:
    if user.is_staff:
        return list(Territory.objects.order_by("name"))
    return list(user.moderated_territories.order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """The desk: codes and quotas for associations, booking for a caller, counts of nights."""
    user = current_user(request)
    if not permissions.is_desk_anywhere(user):
        raise PermissionDenied
    territories = _desk_territories(user)
    associations = Organisation.objects.filter(
        territory__in=territories, kind=Organisation.Kind.ASSOCIATION
    ).order_by("name")
    hosts = (
        Organisation.objects.filter(territory__in=territories, lodging_places__isnull=False)
        .distinct()
        .order_by("name")
    )
    action = request.POST.get("action", "")
    code_form = CodeForm(
        request.POST if action == "code" else None, associations=associations, hosts=hosts
    )
    quota_form = QuotaForm(
        request.POST if action == "quota" else None, associations=associations, hosts=hosts
    )
    if action == "code" and code_form.is_valid():
        data = code_form.cleaned_data
        code = run_service(
            request,
            code_form,
            lambda: services.code_create(
                association=data["association"],
                host=data["host"],
                nights=data["nights"],
                single_use=data["single_use"],
                expires_on=data["expires_on"],
                actor=user,
                channel=WEB,
            ),
        )
        if code is not None:
            messages.success(
                request,
                _("Code %(code)s given to %(name)s.")
                % {"code": code.display, "name": code.association.name},
            )
            return redirect("lodging:desk")
    if action == "quota" and quota_form.is_valid():
        data = quota_form.cleaned_data
        quota = run_service(
            request,
            quota_form,
            lambda: services.quota_set(
                association=data["association"],
                host=data["host"],
                month=data["month"],
                nights=data["nights"],
                actor=user,
                channel=WEB,
            ),
        )
        if quota is not None:
            messages.success(request, _("The quota is saved."))
            return redirect("lodging:desk")
    counts_form = CountsForm(request.GET or None)
    rows = None
    if counts_form.is_bound and counts_form.is_valid():
        rows = _counts(counts_form, territories)
    return render(
        request,
        "lodging/desk.html",
        {
            "code_form": code_form,
            "quota_form": quota_form,
            "counts_form": counts_form,
            "error_summary": error_summary(code_form, quota_form, counts_form),
            "associations": associations,
            "rows": rows,
            "query": request.GET.urlencode(),
        },
    )


def _counts(form: CountsForm, territories: list[Territory]) -> list[selectors.CountRow]:
    data = form.cleaned_data
    rows: list[selectors.CountRow] = []
    for territory in territories:
        rows.extend(
            selectors.counts(
                by=data["by"], first=data["first"], until=data["until"], territory=territory
            )
        )
    return rows


@login_required
@require_GET
def counts_csv(request: HttpRequest) -> HttpResponse:
    """The desk's counts of nights as a CSV download."""
    user = current_user(request)
    if not permissions.is_desk_anywhere(user):
        raise PermissionDenied
    form = CountsForm(request.GET)
    if not form.is_valid():
        raise Http404
    return exports.counts_csv(_counts(form, _desk_territories(user)), by=form.cleaned_data["by"])
