"""Forms of the volunteers app: they parse input; the services decide and write."""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import User
from entraide.core.phones import display_phone
from entraide.core.vocabulary import HelpKind, Language
from entraide.volunteers import services
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
from entraide.volunteers.volunteer_csv import MAX_FILE_BYTES

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


PHONE_HELP = _(
    "Only the phone line's operators see it, to call you about a request near you. "
    "For example 0470 12 34 56."
)


def phone_field() -> forms.CharField:
    """Return the optional phone field of the sign-up and profile forms."""
    return forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


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
    phone = phone_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = [
            (code, COUNTRY_NAMES.get(code, code)) for code in settings.GEOCODER_COUNTRIES
        ]

    @classmethod
    def initial_from(cls, profile: VolunteerProfile | None, phone: str = "") -> dict[str, Any]:
        """Return the form's initial values for a profile (or defaults) and the user's phone."""
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
            "phone": display_phone(phone),
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
            "phone": data["phone"],
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


class SignUpForm(forms.Form):
    """Become a volunteer: account, home town, distance, languages and consent."""

    email = forms.EmailField(label=_("Email address"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language of our emails"), choices=settings.LANGUAGES, initial="fr"
    )
    phone = phone_field()
    town = forms.CharField(
        label=_("Town where you live"),
        max_length=120,
        help_text=_("We use it to find requests near you; it is never shown to anyone."),
    )
    radius_km = forms.IntegerField(
        label=_("Distance you can travel (km)"), min_value=1, max_value=100, initial=3
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that entraide stores these details and emails me requests for help "
            "near my home. I can pause or delete my account at any time."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["town"].widget.attrs["autocomplete"] = "address-level2"

    def clean(self) -> dict[str, Any]:
        """Check that both passwords are the same."""
        cleaned = super().clean() or {}
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords are different."))
        return cleaned

    def save(self) -> User:
        """Create the account through the service; raise ValidationError on bad input."""
        data = self.cleaned_data
        return services.volunteer_sign_up(
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            language=data["language"],
            town=data["town"],
            radius_km=data["radius_km"],
            languages=data["languages"],
            consent=data["consent"],
            phone=data["phone"],
        )


class VolunteerImportForm(forms.Form):
    """Upload a CSV of volunteers, or confirm the import of a file already checked."""

    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("UTF-8, comma or semicolon separated, one volunteer per line."),
    )
    # The checked file waits in the session (any size); the page only sends back its digest.
    digest = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, checked: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked = checked or {}

    def clean(self) -> dict[str, Any]:
        """Require a file, unless the file checked before comes back to be imported."""
        cleaned = super().clean() or {}
        digest = cleaned.get("digest")
        if cleaned.get("file"):
            return cleaned
        if not digest:
            self.add_error("file", _("Choose a CSV file."))
        elif self.checked.get("digest") != digest:
            self.add_error("file", _("Upload the file again: the checked copy has expired."))
        return cleaned

    def data_bytes(self) -> bytes:
        """Return the file's bytes (the uploaded file, or the checked copy)."""
        upload = self.cleaned_data.get("file")
        if upload:
            # One byte over the limit is enough for the check to refuse the file.
            return upload.read(MAX_FILE_BYTES + 1)
        return self.checked["content"].encode("utf-8")


class DashboardFilterForm(forms.Form):
    """The filters and order of the dashboard's open requests, read from the page's address."""

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All open requests")),
            ("offered", _("Sent to you")),
            ("matching", _("Matches your languages and kinds")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("What is needed"),
        required=False,
        choices=[("", _("All kinds")), *HelpKind.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("urgency", _("Most urgent first")),
            ("distance", _("Nearest first")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
        ],
    )
    all = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def filters(self) -> dict[str, str]:
        """Return the valid filters; a field with a wrong value falls back to its default."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()  # fills cleaned_data with the fields whose value was valid
            data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "sort": data.get("sort") or "urgency",
        }
