"""Forms of the drop-off pages."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm
from entraide.dropoff.models import MAX_BAGS, MAX_DONATION_M3, DropoffPoint, FillLevel
from entraide.goods.models import Category


class NearestForm(AccessibleForm):
    """Where the donor is (a town, a postcode, an address, or the browser's position) and what."""

    category = forms.ModelChoiceField(
        label=_("What you want to give"),
        queryset=Category.objects.filter(is_active=True, is_food=False),
        required=False,
        empty_label=_("Anything"),
        to_field_name="code",
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    town = forms.CharField(label=_("Town"), max_length=120, required=False)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("FR", _("France")), ("BE", _("Belgium"))],
        initial="FR",
        required=False,
    )
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        """Require a town or a whole position."""
        data = super().clean() or {}
        has_position = data.get("lat") is not None and data.get("lon") is not None
        if not has_position and not (data.get("town") or "").strip():
            self.add_error("town", _("Give your town (and postcode), or use your location."))
        return data


class FillLevelForm(AccessibleForm):
    """How full the point is now."""

    level = forms.ChoiceField(
        label=_("How full is it?"), choices=FillLevel.choices, widget=forms.RadioSelect
    )


class CloseForm(AccessibleForm):
    """Close the point for a while."""

    reason = forms.CharField(label=_("Why it is closed"), max_length=300)
    until = forms.DateField(
        label=_("Closed until (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until you reopen it."),
    )


class DonationForm(AccessibleForm):
    """A donation received: what it was and how much."""

    SERVICE_FIELDS = {"volume_m3": "volume_m3"}

    categories = forms.ModelMultipleChoiceField(
        label=_("What was it?"),
        queryset=Category.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    bags = forms.IntegerField(label=_("Bags"), required=False, min_value=1, max_value=MAX_BAGS)
    volume_m3 = forms.DecimalField(
        label=_("Or a volume (m³)"),
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_DONATION_M3,
    )

    def __init__(self, *args: Any, point: DropoffPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["categories"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = point.categories.all()


class PickupRequestForm(AccessibleForm):
    """Ask staff to empty the point."""

    note = forms.CharField(label=_("Note for the team (optional)"), max_length=300, required=False)
