"""Forms of the missions pages: they parse input; the services decide."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm
from entraide.core.vocabulary import Language
from entraide.missions.models import Theme
from entraide.missions.selectors import CatalogueFilters

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class CatalogueForm(AccessibleForm):
    """The catalogue's filters (all optional)."""

    REMOTE_CHOICES = [("", _("On site or remote")), ("site", _("On site")), ("remote", _("Remote"))]

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices]
    )
    where = forms.ChoiceField(label=_("Where"), required=False, choices=REMOTE_CHOICES)
    town = forms.CharField(label=_("Near the town"), required=False, max_length=120)
    radius_km = forms.IntegerField(
        label=_("Within (km)"),
        required=False,
        min_value=1,
        max_value=200,
        help_text=_("From the town, or else from your own place (your profile's distance)."),
    )
    everywhere = forms.BooleanField(
        label=_("Show missions farther away too, the nearest first"), required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=200,
        help_text=_("Separate them with commas, for example: driving, cooking."),
    )

    def clean(self) -> dict[str, Any]:
        """Check the dates are in order."""
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data

    def to_filters(
        self, *, lat: float | None, lon: float | None, default_radius_km: int = 10
    ) -> CatalogueFilters:
        """Return the valid form's filters; lat/lon are the town's or the volunteer's place."""
        data = self.cleaned_data
        near = lat is not None and lon is not None
        radius_km = None
        if near and not data.get("everywhere"):
            radius_km = float(data.get("radius_km") or default_radius_km)
        return CatalogueFilters(
            text=data.get("q", ""),
            theme=data.get("theme", ""),
            remote={"remote": True, "site": False}.get(data.get("where") or ""),
            lat=lat if near else None,
            lon=lon if near else None,
            radius_km=radius_km,
            nearest_first=near,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            skills=tuple(s.strip() for s in data.get("skills", "").split(",") if s.strip()),
        )


class MissionForm(AccessibleForm):
    """A mission's description, place and contact."""

    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("What volunteers will do"), max_length=10000, widget=forms.Textarea({"rows": 6})
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    is_remote = forms.BooleanField(label=_("This mission is done remotely"), required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=12)
    town = forms.CharField(
        label=_("Town"),
        required=False,
        max_length=120,
        help_text=_("Required unless the mission is remote."),
    )
    skills = forms.CharField(
        label=_("Skills wanted"),
        required=False,
        max_length=500,
        help_text=_("Separate them with commas, for example: driving, cooking."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken on the mission"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none if any language will do."),
    )
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=14, max_value=99)
    practical_information = forms.CharField(
        label=_("Practical information"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Shown to accepted volunteers only."),
    )
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=120)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=20)
    is_internal = forms.BooleanField(
        label=_("Only for the organisation's members (company-internal)"), required=False
    )

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned values as the service's keyword arguments."""
        return dict(self.cleaned_data)


class SlotForm(AccessibleForm):
    """One time slot."""

    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_INPUT)
    capacity = forms.IntegerField(
        label=_("Volunteers needed"), min_value=1, max_value=500, initial=1
    )


class WeeklySlotsForm(AccessibleForm):
    """The same slot every chosen weekday between two dates."""

    first_day = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    last_day = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("From"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Until"), widget=TIME_INPUT)
    capacity = forms.IntegerField(
        label=_("Volunteers needed"), min_value=1, max_value=500, initial=1
    )


class ApplyForm(AccessibleForm):
    """A volunteer's application to one slot."""

    message = forms.CharField(
        label=_("A word for the organisation (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )


class DeclineForm(AccessibleForm):
    """Why an application is declined."""

    reason = forms.CharField(label=_("Reason given to the volunteer"), max_length=500)


class CancelMissionForm(AccessibleForm):
    """Why a mission is cancelled."""

    reason = forms.CharField(label=_("Reason given to the volunteers"), max_length=500)


class SlotHoursForm(AccessibleForm):
    """The hours each accepted volunteer of one slot gave: one number input per volunteer."""

    def __init__(
        self, data: Any = None, *, slot: Any, applications: list[Any], max_hours: Decimal
    ) -> None:
        # Application ids are unique on the page, so the field names need no prefix.
        super().__init__(data)
        self.slot = slot
        for application in applications:
            volunteer = application.volunteer
            name = volunteer.get_full_name() or volunteer.first_name or volunteer.email
            participation = getattr(application, "participation", None)
            self.fields[f"hours_{application.pk}"] = forms.CharField(
                label=_("Hours given by %(name)s") % {"name": name},
                required=False,
                max_length=10,
                initial=None if participation is None else participation.hours,
                widget=forms.NumberInput(
                    attrs={"step": "0.25", "min": "0.25", "max": str(max_hours), "class": "hours"}
                ),
            )

    def hours_by_application(self) -> dict[int, str]:
        """Return the typed hours by application id (blank ones too: the service skips them)."""
        return {
            int(name.removeprefix("hours_")): value for name, value in self.cleaned_data.items()
        }


class SaveSearchForm(AccessibleForm):
    """The name of a saved search (its filters come from the catalogue's address)."""

    name = forms.CharField(
        label=_("Name of this search"),
        max_length=80,
        help_text=_("We email you once a day when new missions match it."),
    )


class TemplateForm(AccessibleForm):
    """The name under which a mission is saved as a template."""

    name = forms.CharField(label=_("Template name"), max_length=120)


class ImportForm(AccessibleForm):
    """A CSV file of missions, checked first, then imported."""

    file = forms.FileField(
        label=_("CSV file of missions"),
        help_text=_("UTF-8, commas or semicolons, one line per slot. See the sample file."),
    )
