"""Forms of the fund staff's pages."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.formats import parse_cents
from entraide.core.forms import AccessibleForm
from entraide.money.models import Contribution


class ContributionForm(AccessibleForm):
    """Money a fund received by bank transfer, as its staff read it on the statement."""

    contributor_kind = forms.ChoiceField(
        label=_("Who gave"), choices=Contribution.ContributorKind.choices
    )
    contributor_name = forms.CharField(label=_("Contributor's name"), max_length=200)
    name_is_public = forms.BooleanField(
        label=_("An individual agreed to have their name shown publicly"), required=False
    )
    amount = forms.CharField(
        label=_("Amount (€)"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("For example 250,00"),
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=140, required=False)
    SERVICE_FIELDS = {"amount_cents": "amount"}

    # A fresh key per form shown: submitting the same form twice records once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

    def clean_amount(self) -> int | None:
        """Return the amount typed in euros as whole cents."""
        return parse_cents(self.cleaned_data["amount"])
