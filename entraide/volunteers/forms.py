"""Forms of the volunteers app: they parse input; the services decide and write."""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from entraide.core.vocabulary import HelpKind, Language
from entraide.volunteers.models import (
    MAX_OPEN_REQUESTS_LIMIT,
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    PERIODS,
    WEEKDAYS,
    NotificationMode,
    VolunteerProfile,
    availability_bit,
)

COUNTRY_NAMES = {
    "BE": _("Belgium"),
    "FR": _("France"),
    "LU": _("Luxembourg"),
    "NL": _("Netherlands"),
    "DE": _("Germany"),
    "CH": _("Switzerland"),
}


class PauseChoice:
    """The three answers to "are you available?"."""

    ACTIVE = "active"
    UNTIL = "until"
    INDEFINITELY = "indefinitely"
    choices = [
        (ACTIVE, _("I am available")),
        (UNTIL, _("Pause until a date")),
        (INDEFINITELY, _("Pause until I come back")),
    ]


def availability_slot(weekday: int, period: int) -> str:
    """Return the checkbox value of one weekly time slot."""
    return str(weekday * len(PERIODS) + period)


def slots_from_mask(mask: int) -> list[str]:
    """Return the checkbox values that are ticked in an availability mask."""
    return [
        availability_slot(day, period)
        for day in range(len(WEEKDAYS))
        for period in range(len(PERIODS))
        if mask & availability_bit(day, period)
    ]


class ProfileForm(forms.Form):
    """Where, when and how a volunteer can help."""

    town = forms.CharField(label=_("Town"), max_length=120)
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    country = forms.ChoiceField(label=_("Country"))
    # Filled by the map script only when the volunteer places a pin; without it, the town is used.
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    radius_km = forms.IntegerField(
        label=_("How far can you go (km)?"),
        min_value=MIN_RADIUS_KM,
        max_value=MAX_RADIUS_KM,
        help_text=_("Between %(min)s and %(max)s km from home.")
        % {"min": MIN_RADIUS_KM, "max": MAX_RADIUS_KM},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language you speak.")},
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of help you accept"),
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick none to hear about every kind of request."),
    )
    skills = forms.CharField(
        label=_("Your skills (for missions)"),
        required=False,
        max_length=1000,
        help_text=_("Separate them with commas, for example: driving, cooking, accounting."),
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you usually available?"),
        choices=[
            (
                availability_slot(day, period),
                format_lazy("{} {}", WEEKDAYS[day], PERIODS[period][0]),
            )
            for day in range(len(WEEKDAYS))
            for period in range(len(PERIODS))
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one time slot, or pause instead.")},
    )
    max_open_requests = forms.IntegerField(
        label=_("How many requests can you hold at once?"),
        min_value=1,
        max_value=MAX_OPEN_REQUESTS_LIMIT,
    )
    pause = forms.ChoiceField(
        label=_("Availability"),
        choices=PauseChoice.choices,
        widget=forms.RadioSelect,
        initial=PauseChoice.ACTIVE,
    )
    paused_until = forms.DateField(
        label=_("Paused until (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notification_mode = forms.ChoiceField(
        label=_("How should we tell you about requests?"),
        choices=NotificationMode.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = [
            (code, COUNTRY_NAMES.get(code, code)) for code in settings.GEOCODER_COUNTRIES
        ]

    @classmethod
    def initial_from(cls, profile: VolunteerProfile | None) -> dict[str, Any]:
        """Return the form's initial values for an existing profile (or sensible defaults)."""
        if profile is None:
            profile = VolunteerProfile()
        if profile.is_paused:
            pause = PauseChoice.INDEFINITELY
        elif profile.paused_until is not None and profile.paused_until >= timezone.localdate():
            pause = PauseChoice.UNTIL
        else:
            pause = PauseChoice.ACTIVE
        return {
            "town": profile.town,
            "postcode": profile.postcode,
            "country": profile.country,
            "radius_km": profile.radius_km,
            "languages": profile.languages,
            "kinds": profile.kinds,
            "skills": ", ".join(profile.skills),
            "availability": slots_from_mask(profile.availability),
            "max_open_requests": profile.max_open_requests,
            "pause": pause,
            "paused_until": profile.paused_until if pause == PauseChoice.UNTIL else None,
            "notification_mode": profile.notification_mode,
        }

    def clean_availability(self) -> int:
        """Return the ticked slots as a bit mask."""
        mask = 0
        for value in self.cleaned_data["availability"]:
            mask |= 1 << int(value)
        return mask

    def clean(self) -> dict[str, Any]:
        """Require a date when pausing until a date, and both coordinates of a pin or neither."""
        cleaned = super().clean() or {}
        if cleaned.get("pause") == PauseChoice.UNTIL and not cleaned.get("paused_until"):
            self.add_error("paused_until", _("Choose the last day of your pause."))
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            cleaned["lat"] = cleaned["lon"] = None
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned data as keyword arguments of volunteer_profile_update."""
        data = self.cleaned_data
        pause = data["pause"]
        paused_until: date | None = data["paused_until"] if pause == PauseChoice.UNTIL else None
        return {
            "town": data["town"],
            "postcode": data["postcode"],
            "country": data["country"],
            "lat": data["lat"],
            "lon": data["lon"],
            "radius_km": data["radius_km"],
            "languages": data["languages"],
            "kinds": data["kinds"],
            "availability": data["availability"],
            "max_open_requests": data["max_open_requests"],
            "is_paused": pause == PauseChoice.INDEFINITELY,
            "paused_until": paused_until,
            "notification_mode": data["notification_mode"],
            "skills": [skill for skill in data["skills"].split(",") if skill.strip()],
        }


class ReleaseForm(forms.Form):
    """Why a volunteer gives a request back (it goes back to other volunteers)."""

    reason = forms.CharField(
        label=_("Why are you giving it back?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DoneForm(forms.Form):
    """A short report of the help given."""

    report = forms.CharField(
        label=_("What did you do? A short report"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
