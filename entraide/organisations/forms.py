"""Forms of the organisations' pages: they parse input; the services decide."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm
from entraide.organisations.models import Membership, Organisation, Territory


class OrganisationForm(AccessibleForm):
    """What the organisation is, where it works and how to reach it."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What the organisation does"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on your public page once a moderator has verified the organisation."),
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        required=False,
        max_length=40,
        help_text=_("Company or association number (BCE/KBO, SIREN, RNA). It helps moderators."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )
    email = forms.EmailField(label=_("Contact email"), required=False)
    phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=12)
    town = forms.CharField(label=_("Town"), max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"


class OrganisationRegisterForm(OrganisationForm):
    """Registration also asks for the territory, whose moderators verify the organisation."""

    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.all(),
        empty_label=_("Choose…"),
        help_text=_("The moderators of this territory will verify your organisation."),
    )
    field_order = ["name", "kind", "territory"]


class OrganisationEditForm(OrganisationForm):
    """The administrators' form to change the organisation's details."""


class InviteForm(AccessibleForm):
    """Who to invite and with which role."""

    email = forms.EmailField(label=_("Their email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MISSION_MANAGER,
        help_text=_(
            "Administrators manage the organisation and its members; mission managers "
            "publish missions and answer volunteers."
        ),
    )


class RoleForm(forms.Form):
    """A member's new role."""

    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ReasonForm(AccessibleForm):
    """A moderator's reason, shown to the organisation."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NewAccountForm(AccessibleForm):
    """The few details an invited person gives to create their account."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    language = forms.ChoiceField(label=_("Language of your emails"), choices=settings.LANGUAGES)
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
