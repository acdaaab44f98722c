"""Forms of the drop-off pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm
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
