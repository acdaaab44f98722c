"""Pages of the free home collection: booking (by the donor or an operator), the donor's
booking, and the staff's slots and day of collections."""

from datetime import date, datetime
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from entraide.accounts.models import User
from entraide.core.pages import error_summary, run_service
from entraide.core.vocabulary import Channel
from entraide.dropoff import collection_selectors as selectors
from entraide.dropoff import collection_services as services
from entraide.dropoff import permissions
from entraide.dropoff.collection_forms import BookingForm, CancelForm, SlotForm
from entraide.dropoff.models import BookingStatus, CollectionBooking
from entraide.organisations.models import Territory


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """A donor books a free home collection (with an account, or an email and a phone)."""
    return _book(request, phone=False)


@login_required
@require_http_methods(["GET", "POST"])
def phone_book(request: HttpRequest) -> HttpResponse:
    """An operator books a home collection for a caller (the email is optional)."""
    if not permissions.is_dropoff_operator(request.user):
        raise PermissionDenied
    return _book(request, phone=True)


def _book(request: HttpRequest, *, phone: bool) -> HttpResponse:
    """The booking page: the rule of the postcode, its slots with room, the form."""
    source = request.POST if request.method == "POST" else request.GET
    postcode, country = source.get("postcode", "").strip(), source.get("country", "FR")
    rule = selectors.rule_for(postcode, country) if postcode else None
    now = timezone.now()
    user = request.user if request.user.is_authenticated and not phone else None
    donor = cast(User, user) if user is not None else None
    initial = request.GET.dict()
    if donor is not None:
        initial.setdefault("name", donor.get_full_name())
        initial.setdefault("email", donor.email)
    slots = selectors.available_slots(rule, now) if rule else []
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        slots=slots,
        email_required=not phone and donor is None,
    )
    if request.method == "POST" and rule is not None and form.is_valid():
        data = form.cleaned_data
        actor = cast(User, request.user) if request.user.is_authenticated else None
        booking = run_service(
            request,
            form,
            lambda: services.booking_create(
                slot_id=data["slot"],
                estimate=form.estimate(),
                **{field: data[field] for field in services.CONTACT_FIELDS},
                language=get_language() or "fr",
                donor=donor,
                actor=actor,
                channel=Channel.PHONE if phone else Channel.WEB,
            ),
        )
        if booking is not None:
            messages.success(request, _("The home collection is booked."))
            return redirect("dropoff:booking", token=booking.token)
    return render(
        request,
        "dropoff/book.html",
        {
            "form": form,
            "rule": rule,
            "phone": phone,
            "postcode": postcode,
            "error_summary": error_summary(form),
        },
    )


@require_http_methods(["GET", "POST"])
def booking(request: HttpRequest, token: str) -> HttpResponse:
    """The donor's booking from their private link: when, where, what; cancel it."""
    found = selectors.booking_by_token(token)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = cast(User, request.user) if request.user.is_authenticated else None
        done = run_service(
            request,
            form,
            lambda: services.booking_cancel(
                booking=found,
                by_token=True,
                reason=form.cleaned_data["reason"],
                actor=actor,
                channel=Channel.WEB,
            ),
        )
        if done is not None:
            messages.success(request, _("The home collection is cancelled."))
            return redirect("dropoff:booking", token=found.token)
    return render(
        request,
        "dropoff/booking.html",
        {
            "booking": found,
            "form": form,
            "can_cancel": found.status == BookingStatus.BOOKED,
            "error_summary": error_summary(form),
        },
    )


@login_required
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    """The home collections the logged-in donor booked."""
    rows = CollectionBooking.objects.filter(donor=cast(User, request.user)).select_related(
        "slot__territory"
    )
    return render(
        request, "dropoff/my_bookings.html", {"bookings": rows.order_by("-slot__starts_at")}
    )


def _staff_territory(request: HttpRequest) -> "tuple[QuerySet[Territory], Territory | None]":
    """Return the territories with rules and the one chosen in the query (the first one)."""
    if not permissions.is_dropoff_staff(request.user):
        raise Http404
    territories = selectors.territories_with_rules()
    chosen = territories.filter(pk=_number(request.GET.get("territory", ""))).first()
    return territories, chosen or territories.first()


def _number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else 0


@login_required
@require_http_methods(["GET", "POST"])
def slots(request: HttpRequest) -> HttpResponse:
    """Staff: open collection slots (one, or weekly) and see the coming ones with their room."""
    territories, territory = _staff_territory(request)
    form = SlotForm(
        request.POST or None,
        territories=territories,
        initial={"territory": territory},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        zone = data["territory"].zone
        made = run_service(
            request,
            form,
            lambda: services.slot_create(
                territory=data["territory"],
                starts_at=datetime.combine(data["day"], data["starts"], tzinfo=zone),
                ends_at=datetime.combine(data["day"], data["ends"], tzinfo=zone),
                capacity=data["capacity"],
                weeks=data["weeks"],
                actor=cast(User, request.user),
                channel=Channel.WEB,
            ),
        )
        if made is not None:
            messages.success(request, _("Slots opened: %(count)s.") % {"count": len(made)})
            return redirect(f"{request.path}?territory={data['territory'].pk}")
    return render(
        request,
        "dropoff/slots.html",
        {
            "form": form,
            "territories": territories,
            "territory": territory,
            "slots": selectors.upcoming_slots(territory, timezone.now()) if territory else [],
            "error_summary": error_summary(form),
        },
    )


@login_required
@require_GET
def collection_day(request: HttpRequest) -> HttpResponse:
    """Staff: the home collections of one day in a territory, slot by slot."""
    territories, territory = _staff_territory(request)
    day = _day(request.GET.get("day", ""))
    if territory is not None and day is None:
        day = timezone.localtime(timezone.now(), territory.zone).date()
    return render(
        request,
        "dropoff/collection_day.html",
        {
            "territories": territories,
            "territory": territory,
            "day": day,
            "bookings": selectors.bookings_of_day(territory, day) if territory and day else [],
        },
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
