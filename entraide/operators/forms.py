"""Forms of the operators' console: parse what the operator typed, nothing more."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import User
from entraide.core.phones import normalise_phone
from entraide.core.vocabulary import Language
from entraide.help_requests.kinds import KIND_NOT_REQUESTED, REQUESTED_KINDS, Urgency
from entraide.operators.models import Call

PHONE_ATTRS = {"type": "tel", "autocomplete": "off", "inputmode": "tel"}

# An empty direction means the change was not made during a call (e.g. a duplicate).
DIRECTION_OR_NONE = [("", _("No call")), *Call.Direction.choices]


class PhoneField(forms.CharField):
    """A phone number as typed; cleaned to E.164 so every spelling finds the same caller."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Phone number"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs=PHONE_ATTRS))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        """Return the number in E.164 form."""
        return normalise_phone(super().clean(value))


class LookupForm(forms.Form):
    """The box where the operator types the caller's number."""

    phone = PhoneField(
        label=_("Caller's phone number"),
        help_text=_("Any format: 0470 12 34 56, +32 470 12 34 56, 0032 470…"),
        widget=forms.TextInput(attrs={**PHONE_ATTRS, "autofocus": True, "type": "search"}),
    )


class QuickEntryForm(forms.Form):
    """A caller's request, in the order the conversation usually goes."""

    phone = PhoneField(label=_("Caller's phone number"))
    kind = forms.ChoiceField(
        label=_("What is needed"),
        choices=REQUESTED_KINDS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": KIND_NOT_REQUESTED},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the caller speaks"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one language the caller speaks.")},
    )
    requester_name = forms.CharField(label=_("Caller's name"), max_length=120)
    town = forms.CharField(label=_("Town"), max_length=120)
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("Street and number; only the volunteer who takes the request sees it."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.TODAY,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What exactly, how much, any access code or instructions."),
    )
    when_note = forms.CharField(
        label=_("When"), max_length=200, required=False, help_text=_("For example: Tuesday morning")
    )
    requester_email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only if the caller wants news of the request by email."),
    )
    consent = forms.BooleanField(
        label=_("The caller agrees"),
        error_messages={
            "required": _("Read the consent sentence to the caller and tick the box if they agree.")
        },
    )
    call_note = forms.CharField(
        label=_("Note about the call (operators only)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CallForm(forms.Form):
    """One call to log: who, which way, what came of it."""

    phone = PhoneField()
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Call.Direction.choices,
        initial=Call.Direction.INBOUND,
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Call.Outcome.choices)
    language = forms.ChoiceField(
        label=_("Language of the call"),
        choices=[("", "—"), *Language.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CallbackForm(forms.Form):
    """A call-back to schedule."""

    phone = PhoneField()
    due_at = forms.DateTimeField(
        label=_("Call back at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("What to say or ask"), max_length=500, required=False)


class CancelForm(forms.Form):
    """Why the request is cancelled, and whether it was during a call."""

    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    direction = forms.ChoiceField(
        label=_("During a call?"), choices=DIRECTION_OR_NONE, required=False
    )


class ConfirmForm(forms.Form):
    """The caller's confirmation that the help was given."""

    note = forms.CharField(label=_("What the caller said"), max_length=500, required=False)
    direction = forms.ChoiceField(
        label=_("During a call?"),
        choices=DIRECTION_OR_NONE,
        required=False,
        initial=Call.Direction.OUTBOUND,
    )


class AssignForm(forms.Form):
    """The volunteer chosen from the list of candidates."""

    volunteer = forms.ModelChoiceField(
        queryset=User.objects.filter(volunteer_profile__isnull=False, is_active=True),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This volunteer cannot be found any more.")},
    )
