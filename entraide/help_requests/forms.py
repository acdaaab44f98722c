"""Forms of the requester's pages: they parse input; the services decide."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm
from entraide.core.phones import normalise_phone
from entraide.core.places import place_from_input
from entraide.core.vocabulary import Language
from entraide.help_requests import services
from entraide.help_requests.kinds import KIND_NOT_REQUESTED, REQUESTED_KINDS, Urgency


class HelpRequestForm(AccessibleForm):
    """What a person needs, where, and how a volunteer can reach them."""

    kind = forms.ChoiceField(
        label=_("What do you need?"),
        choices=REQUESTED_KINDS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": KIND_NOT_REQUESTED},
    )
    details = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: the shopping list, the pharmacy, or what time suits you. No need to "
            "write your address or phone number here: only the volunteer who takes your "
            "request receives them."
        ),
    )
    urgency = forms.ChoiceField(
        label=_("How soon?"),
        choices=Urgency.choices,
        initial=Urgency.TODAY,
        widget=forms.RadioSelect,
    )
    needed_on = forms.DateField(
        label=_("On which day? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    when_note = forms.CharField(
        label=_("At what time? (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example: in the morning, after 3 pm."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Which languages do you speak?"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    requester_name = forms.CharField(
        label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    address = forms.CharField(
        label=_("Street and number"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_("Only the volunteer who takes your request will see it."),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    town = forms.CharField(
        label=_("Town"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    requester_phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Give a phone number, an email address, or both."),
    )
    requester_email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We will send you the link to follow your request."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my request is shared with volunteers near me, and my address and "
            "phone with the volunteer who takes it."
        ),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        """Report missing consent and contact with the other errors, not on a second try.

        help_request_create checks the same rules and stays the authority; this only lets a
        tired person see every problem at once.
        """
        data = super().clean() or {}
        if not data.get("consent"):
            self.add_error("consent", str(services.CONSENT_REQUIRED))
        contact_fields = ("requester_phone", "requester_email")
        has_contact = any(data.get(f) for f in contact_fields)
        if not has_contact and not any(f in self.errors for f in contact_fields):
            self.add_error("requester_phone", str(services.CONTACT_REQUIRED))
        has_pin = data.get("lat") is not None and data.get("lon") is not None
        # The service will not run, so check the place here too (only then: no double look-up).
        place_fields = ("town", "postcode")
        if (
            self.errors
            and data.get("town")
            and not has_pin
            and not self.errors.keys() & set(place_fields)
        ):
            try:
                place_from_input(
                    address=data.get("address", ""),
                    postcode=data.get("postcode", ""),
                    town=data["town"],
                )
            except ValidationError as exc:
                for field in place_fields:
                    for message in exc.message_dict.get(field, []):
                        self.add_error(field, message)
        return data

    def clean_requester_phone(self) -> str:
        """Refuse a number that is not a phone number, with the other errors."""
        phone = self.cleaned_data.get("requester_phone", "")
        normalise_phone(phone)  # raises the translated ValidationError; the service normalises
        return phone

    def clean_needed_on(self) -> Any:
        """Refuse a day in the past."""
        needed_on = self.cleaned_data.get("needed_on")
        if needed_on is not None and needed_on < timezone.localdate():
            raise ValidationError(_("Choose today or a day to come."), code="past")
        return needed_on

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned values as help_request_create's keyword arguments."""
        data = self.cleaned_data
        has_pin = data.get("lat") is not None and data.get("lon") is not None
        return {
            "kind": data["kind"],
            "details": data["details"],
            "urgency": data["urgency"],
            "needed_on": data["needed_on"],
            "when_note": data["when_note"],
            "languages": list(data["languages"]),
            "requester_name": data["requester_name"],
            "address": data["address"],
            "postcode": data["postcode"],
            "town": data["town"],
            "lat": data["lat"] if has_pin else None,
            "lon": data["lon"] if has_pin else None,
            "requester_phone": data["requester_phone"],
            "requester_email": data["requester_email"],
            "consent": data["consent"],
        }


class CancelForm(AccessibleForm):
    """Why the requester cancels (optional)."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
