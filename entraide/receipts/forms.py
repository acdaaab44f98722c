"""Forms of the receipts pages: the issuer's profile, a cancellation's reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm
from entraide.receipts.models import IssuerProfile, Regime


class IssuerProfileForm(AccessibleForm):
    """What the association's receipts say about it."""

    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=12)
    town = forms.CharField(label=_("Town"), max_length=120)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("FR", _("France")), ("BE", _("Belgium"))]
    )
    registration_number = forms.CharField(
        label=_("SIREN or enterprise number"),
        max_length=20,
        help_text=_("France: SIREN, 9 digits. Belgium: enterprise number, 10 digits."),
    )
    purpose = forms.CharField(
        label=_("Object of the organisation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As its statutes state it; printed on every receipt."),
    )
    regime = forms.ChoiceField(label=_("Tax regime"), choices=Regime.choices)
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=120)
    signatory_role = forms.CharField(label=_("Signatory's role"), max_length=120)

    @classmethod
    def initial_from(cls, profile: IssuerProfile | None) -> dict[str, str]:
        """Return the form's initial values from a saved profile."""
        if profile is None:
            return {}
        return {name: getattr(profile, name) for name in cls.base_fields}


class CancelForm(AccessibleForm):
    """Why a receipt is cancelled."""

    reason = forms.CharField(label=_("Why cancel it?"), max_length=500)
