"""Forms of the goods pages: they parse input; the goods services decide."""

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm, LocalisedDecimalField
from entraide.goods.models import Category, DeclineReason, Offer, PickupMode, Unit, WeightBand
from entraide.goods.services.photos import MAX_PHOTOS

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _categories() -> Any:
    """Return the categories offered in forms, in the catalogue's order."""
    return Category.objects.filter(is_active=True).order_by("position", "code")


class CategoryChoiceField(forms.ModelChoiceField):
    """A category shown by its name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        """Return the category's translated name."""
        return str(obj.name)


class PhotosInput(forms.FileInput):
    """A file input that takes several pictures at once."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to four photos; the photo service checks each one is a picture it can read."""

    widget = PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Photos (up to 4)"))
        kwargs.setdefault(
            "help_text",
            _(
                "JPEG, PNG or WebP, 8 MB each at most. Associations see them; the place where "
                "a photo was taken is removed from it."
            ),
        )
        super().__init__(required=False, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        """Return the files chosen (none is fine), refusing more than four."""
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Choose at most %(count)s photos.") % {"count": MAX_PHOTOS}, code="too_many"
            )
        return [super(PhotosField, self).clean(f, initial) for f in files]


class PhotoUploadForm(AccessibleForm):
    """Photos added to a lot from its page."""

    SERVICE_FIELDS = {"photo": "photos"}

    photos = PhotosField()


class PlaceForm(AccessibleForm):
    """Where the goods are (blank: the organisation's own address)."""

    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=12)
    town = forms.CharField(
        label=_("Town"),
        required=False,
        max_length=120,
        help_text=_("Leave the place blank to use the organisation's address."),
    )

    # Where the map's pin was moved to (blank: it was not moved, the address is geocoded).
    lat = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        """Read the pin's position; a broken one is explained on the town, the visible field."""
        data = super().clean() or {}
        raw = (data.get("lat") or "").strip(), (data.get("lon") or "").strip()
        data["lat"] = data["lon"] = None
        if any(raw):
            try:
                lat, lon = float(raw[0]), float(raw[1])
            except ValueError:
                lat = lon = float("nan")
            # NaN fails every comparison, so it is refused here too.
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                data["lat"], data["lon"] = lat, lon
            else:
                self.add_error(
                    "town",
                    _("The pin is not on the map: move it again, or give the town only."),
                )
        return data

    def place_arguments(self) -> dict[str, Any]:
        """Return the place as the services take it (the pin, when moved, wins)."""
        names = ("address", "postcode", "town")
        return {
            **{name: self.cleaned_data.get(name, "") for name in names},
            "lat": self.cleaned_data.get("lat"),
            "lon": self.cleaned_data.get("lon"),
        }


class LotForm(PlaceForm):
    """A lot a donor offers: what, how much, until when, and when it can be collected."""

    SERVICE_FIELDS = {"windows": "window_start", "volume_m3": "volume_m3", "photo": "photos"}

    category = CategoryChoiceField(label=_("Category"), queryset=_categories())
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=200,
        help_text=_("For example: bread and pastries of the day."),
    )
    quantity = LocalisedDecimalField(
        label=_("Quantity"), required=False, min_value=Decimal("0.01"), decimal_places=2
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.KG)
    weight_kg = LocalisedDecimalField(
        label=_("Weight (kg)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("100000"),
        decimal_places=2,
        help_text=_("Weighed, if you can. Otherwise choose a band below: it is marked estimated."),
    )
    weight_band = forms.ChoiceField(
        label=_("Or an estimated weight"),
        required=False,
        choices=[("", _("I give the weight above")), *WeightBand.choices],
    )
    volume_m3 = LocalisedDecimalField(
        label=_("Volume (m³)"), required=False, min_value=Decimal("0"), decimal_places=3
    )
    use_by = forms.DateField(label=_("Use by"), required=False, widget=DATE_INPUT)
    best_before = forms.DateField(label=_("Best before"), required=False, widget=DATE_INPUT)
    cold_chain = forms.BooleanField(label=_("Kept cold (chilled or frozen)"), required=False)
    divisible = forms.BooleanField(
        label=_("May be split between associations"), required=False, initial=True
    )
    window_start = forms.DateTimeField(label=_("Pickup from"), widget=DATETIME_INPUT)
    window_end = forms.DateTimeField(label=_("Pickup until"), widget=DATETIME_INPUT)
    second_start = forms.DateTimeField(
        label=_("Another pickup time: from"), required=False, widget=DATETIME_INPUT
    )
    second_end = forms.DateTimeField(
        label=_("Another pickup time: until"), required=False, widget=DATETIME_INPUT
    )
    every_week = forms.BooleanField(
        label=_("Every week, on the same day and at the same time"),
        required=False,
        help_text=_("The next occurrences are offered ahead, each one on its own."),
    )
    # Shown on the web form only (lot_form.html): a caller on the phone cannot send photos.
    photos = PhotosField()

    def clean(self) -> dict[str, Any]:
        """Check a second window has both ends, and that a weekly lot has a weight."""
        data = super().clean() or {}
        if bool(data.get("second_start")) != bool(data.get("second_end")):
            self.add_error("second_end", _("Give both ends of the other pickup time."))
        if data.get("every_week") and not data.get("weight_kg"):
            self.add_error("weight_kg", _("Give the usual weight of a weekly lot."))
        if data.get("every_week") and data.get("photos"):
            self.add_error(
                "photos", _("Add photos to each weekly lot on its own page, once it is offered.")
            )
        return data

    def windows(self) -> list[tuple[Any, Any]]:
        """Return the pickup windows typed."""
        data = self.cleaned_data
        windows = [(data["window_start"], data["window_end"])]
        if data.get("second_start") and data.get("second_end"):
            windows.append((data["second_start"], data["second_end"]))
        return windows

    def service_arguments(self) -> dict[str, Any]:
        """Return the lot as lot_declare takes it."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "description": data.get("description", ""),
            "quantity": data.get("quantity"),
            "unit": data.get("unit") or Unit.KG,
            "weight_kg": data.get("weight_kg"),
            "weight_band": data.get("weight_band", ""),
            "volume_m3": data.get("volume_m3"),
            "use_by": data.get("use_by"),
            "best_before": data.get("best_before"),
            "cold_chain": bool(data.get("cold_chain")),
            "divisible": bool(data.get("divisible")),
            "windows": self.windows(),
            **self.place_arguments(),
        }

    def series_arguments(self) -> dict[str, Any]:
        """Return the weekly series as lot_series_create takes it (from the first window)."""
        data = self.cleaned_data
        start, end = data["window_start"], data["window_end"]
        use_by_days = None
        if data.get("use_by"):
            use_by_days = max(0, (data["use_by"] - start.date()).days)
        return {
            "category": data["category"],
            "description": data.get("description", ""),
            "weekdays": [start.weekday()],
            "window_start": start.time(),
            "window_end": end.time(),
            "typical_kg": data["weight_kg"],
            "starts_on": start.date(),
            "use_by_days": use_by_days,
            "cold_chain": bool(data.get("cold_chain")),
            "divisible": bool(data.get("divisible")),
        }


class NeedForm(PlaceForm):
    """What an association asks for, by when, and how far it can collect."""

    category = CategoryChoiceField(label=_("Category"), queryset=_categories())
    description = forms.CharField(label=_("Description"), required=False, max_length=200)
    kg = forms.IntegerField(label=_("Kilograms wanted"), min_value=1, max_value=100000)
    by_date = forms.DateField(label=_("Needed by"), widget=DATE_INPUT)
    radius_km = forms.IntegerField(
        label=_("We can collect within (km)"), min_value=1, max_value=200, initial=10
    )
    cold_storage = forms.BooleanField(label=_("We have cold storage"), required=False)

    def service_arguments(self) -> dict[str, Any]:
        """Return the need as need_declare takes it."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "description": data.get("description", ""),
            "kg": data["kg"],
            "by_date": data["by_date"],
            "radius_km": data["radius_km"],
            "cold_storage": bool(data.get("cold_storage")),
            **self.place_arguments(),
        }


class AcceptForm(AccessibleForm):
    """How many of an offer's kilograms the association takes (blank: all of them)."""

    def __init__(self, *args: Any, offer: Offer, **kwargs: Any) -> None:
        kwargs["prefix"] = f"accept-{offer.pk}"
        super().__init__(*args, **kwargs)
        # Bounded by what is proposed: the number input and the server refuse more alike.
        self.fields["kg"] = forms.IntegerField(
            # No help text: several offers share the page and help ids come from field names.
            label=_("Kilograms to take (at most %(kg)s; blank takes all)")
            % {"kg": offer.kg_proposed},
            required=False,
            min_value=1,
            max_value=offer.kg_proposed,
        )


class DeclineForm(AccessibleForm):
    """Why an association turns an offer down."""

    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = forms.CharField(label=_("Details"), required=False, max_length=500)

    def __init__(self, *args: Any, offer: Offer, **kwargs: Any) -> None:
        kwargs["prefix"] = f"decline-{offer.pk}"
        super().__init__(*args, **kwargs)


class PickupForm(AccessibleForm):
    """When and how accepted goods of one donor are collected."""

    SERVICE_FIELDS = {"offers": "starts_at"}

    starts_at = forms.DateTimeField(label=_("Collect from"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Collect until"), widget=DATETIME_INPUT)
    mode = forms.ChoiceField(
        label=_("Who collects"),
        choices=[
            (PickupMode.SELF, PickupMode.SELF.label),
            (PickupMode.DRIVER, PickupMode.DRIVER.label),
        ],
        widget=forms.RadioSelect,
        initial=PickupMode.SELF,
    )

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        kwargs["prefix"] = f"plan-{key}"
        super().__init__(*args, **kwargs)


class RecordForm(AccessibleForm):
    """The weighed kilograms actually taken, per category, and why when less."""

    SERVICE_FIELDS = {"collected": "reason"}

    reason = forms.CharField(
        label=_("Why less, or why it did not happen"),
        required=False,
        max_length=500,
        help_text=_("Needed when less than accepted was taken."),
    )

    def __init__(self, *args: Any, categories: dict[str, tuple[str, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, (name, accepted) in categories.items():
            self.fields[f"kg_{code}"] = LocalisedDecimalField(
                label=_("%(category)s taken (kg)") % {"category": name},
                min_value=Decimal("0"),
                decimal_places=2,
                initial=accepted,
                help_text=_("%(kg)s kg were accepted.") % {"kg": accepted},
            )
        self.order_fields([f"kg_{code}" for code in categories] + ["reason"])

    def collected(self) -> dict[str, Decimal]:
        """Return the kilograms per category code."""
        return {
            name.removeprefix("kg_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("kg_")
        }


class PeriodForm(AccessibleForm):
    """The period a dashboard counts (both days included; blank: since the start)."""

    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        """Check the dates are in order."""
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date must be on or after the start date."))
        return data

    def period(self) -> tuple[date | None, date | None]:
        """Return the valid period, or no bounds when the dates are wrong."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("start"), self.cleaned_data.get("end")


class RoundOffersForm(AccessibleForm):
    """Which accepted offers a round collects."""

    offers = forms.MultipleChoiceField(
        label=_("Accepted goods to collect"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, offers: list[Offer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_rows = {str(o.pk): o for o in offers}
        cast(forms.MultipleChoiceField, self.fields["offers"]).choices = [
            (
                str(o.pk),
                _("%(donor)s, %(town)s: %(kg)s kg %(category)s")
                % {
                    "donor": o.lot.donor,
                    "town": o.lot.town,
                    "kg": o.kg_accepted,
                    "category": o.lot.category.name,
                },
            )
            for o in offers
        ]

    def chosen_offers(self) -> list[Offer]:
        """Return the offers ticked (the choices are the only offers that can be)."""
        return [self.offer_rows[pk] for pk in self.cleaned_data["offers"]]


class RoundForm(RoundOffersForm):
    """A collection round: which accepted offers, the day and hours, the vehicle."""

    SERVICE_FIELDS = {"depot": "offers", "name": "vehicle", "capacity_m3": "capacity_kg"}

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    leaves = forms.TimeField(label=_("Leaves at"), widget=forms.TimeInput(attrs={"type": "time"}))
    back_by = forms.TimeField(label=_("Back by"), widget=forms.TimeInput(attrs={"type": "time"}))
    vehicle = forms.CharField(label=_("Vehicle"), required=False, max_length=120)
    capacity_kg = LocalisedDecimalField(
        label=_("Vehicle capacity (kg)"),
        required=False,
        min_value=Decimal("1"),
        decimal_places=2,
        help_text=_("Leave empty when the weight does not limit the round."),
    )


class RoundDriverForm(AccessibleForm):
    """The email of the account that drives the round."""

    email = forms.EmailField(label=_("Driver's email"), max_length=254)


class RoundCancelForm(AccessibleForm):
    """Why a round is cancelled."""

    reason = forms.CharField(label=_("Why it is cancelled"), max_length=500)
