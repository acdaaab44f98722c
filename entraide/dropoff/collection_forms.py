"""Forms of the home collection: the volume estimate, the booking, the staff's slots."""

from decimal import Decimal
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from entraide.core.formats import format_number
from entraide.core.forms import AccessibleForm, LocalisedDecimalField
from entraide.dropoff.collection_selectors import Estimate, catalogue_items, estimate
from entraide.dropoff.collection_services import MAX_WEEKS
from entraide.dropoff.forms import NearestForm
from entraide.dropoff.models import (
    MAX_COLLECTION_M3,
    MAX_ITEM_QUANTITY,
    MIN_COLLECTION_M3,
    CollectionSlot,
)
from entraide.organisations.models import Territory

ITEM_PREFIX = "item_"


class EstimateFields(forms.Form):
    """How many of each catalogue item, or a volume typed directly: the donation's size."""

    volume_m3 = LocalisedDecimalField(
        label=_("Or the volume in m³, if you know it"),
        required=False,
        max_digits=7,
        decimal_places=2,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = list(catalogue_items())
        for item in self.catalogue:
            self.fields[f"{ITEM_PREFIX}{item.code}"] = forms.IntegerField(
                label=item.name,
                required=False,
                min_value=0,
                max_value=MAX_ITEM_QUANTITY,
                widget=forms.NumberInput(
                    attrs={"min": 0, "max": MAX_ITEM_QUANTITY, "data-volume": item.volume_m3}
                ),
            )

    def item_fields(self) -> list[tuple[BoundField, Decimal]]:
        """Return each item's input with the item's volume, in the catalogue's order."""
        return [(self[f"{ITEM_PREFIX}{item.code}"], item.volume_m3) for item in self.catalogue]

    def clean_volume_m3(self) -> Decimal | None:
        """Refuse a volume no donation has (0, or a warehouse)."""
        volume = self.cleaned_data.get("volume_m3")
        if volume is not None and not MIN_COLLECTION_M3 <= volume <= MAX_COLLECTION_M3:
            raise forms.ValidationError(
                _("Give a volume between %(min)s and %(max)s m³."),
                params={
                    "min": format_number(MIN_COLLECTION_M3),
                    "max": format_number(MAX_COLLECTION_M3),
                },
            )
        return volume

    def estimate(self) -> Estimate:
        """Return the estimate of the valid form (empty when nothing was given)."""
        data = self.cleaned_data
        quantities = {
            item.code: data.get(f"{ITEM_PREFIX}{item.code}") or 0 for item in self.catalogue
        }
        return estimate(quantities, data.get("volume_m3"))


class EstimateNearestForm(EstimateFields, NearestForm):
    """The public page's and the phone desk's form: where, what, and how big."""


class BookingForm(EstimateFields, AccessibleForm):
    """A home collection: the slot, the address, how to get in and how to reach the donor."""

    slot = forms.TypedChoiceField(
        label=_("When should the team come?"),
        coerce=int,
        widget=forms.RadioSelect,
        # The slots offered are those with room now: one missing was filled or has passed.
        error_messages={"invalid_choice": _("This slot is no longer free: choose another one.")},
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=12)
    town = forms.CharField(label=_("Town"), max_length=120)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("FR", _("France")), ("BE", _("Belgium"))], initial="FR"
    )
    floor = forms.IntegerField(
        label=_("Floor"), initial=0, min_value=-5, max_value=60, help_text=_("0: ground floor.")
    )
    has_lift = forms.BooleanField(label=_("There is a lift big enough"), required=False)
    parking = forms.CharField(label=_("Where can the van park?"), max_length=300, required=False)
    access_notes = forms.CharField(
        label=_("Door code, stairs, anything the team should know"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Email"), help_text=_("The confirmation and your private link are sent there.")
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, help_text=_("The team calls you on the day if needed.")
    )

    def __init__(
        self, *args: Any, slots: list[CollectionSlot], email_required: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = [(slot.pk, slot_label(slot)) for slot in slots]
        self.fields["email"].required = email_required


def slot_label(slot: CollectionSlot) -> str:
    """Return a slot as a donor reads it: its local day and hours, and the places left."""
    zone = slot.territory.zone
    start, end = timezone.localtime(slot.starts_at, zone), timezone.localtime(slot.ends_at, zone)
    left = slot.capacity - getattr(slot, "booked", 0)
    places = ngettext("%(left)s place left", "%(left)s places left", left) % {"left": left}
    day = formats.date_format(start, "l j F")
    return f"{day}, {start:%H:%M}–{end:%H:%M} ({places})"


def weeks_field() -> forms.IntegerField:
    """Return the 'repeat weekly' input of the staff page's and the back office's slot forms."""
    return forms.IntegerField(
        label=_("Repeat weekly for (weeks)"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text=_("1: this slot only; 4: the same day and hours for four weeks."),
    )


class SlotForm(AccessibleForm):
    """Staff: open a slot, or the same slot each week."""

    territory = forms.ModelChoiceField(label=_("Territory"), queryset=Territory.objects.none())
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(
        label=_("Collections"),
        min_value=1,
        max_value=100,
        initial=4,
        help_text=_("How many homes the team can visit in this window."),
    )
    weeks = weeks_field()

    SERVICE_FIELDS = {"starts_at": "starts", "ends_at": "ends"}

    def __init__(self, *args: Any, territories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["territory"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = territories


class CancelForm(AccessibleForm):
    """Cancel a home collection."""

    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)
