"""Forms of the lodging pages: a place and its nights, search and book, the desk's codes."""

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm
from entraide.lodging.models import CHECKLIST, MAX_CAPACITY, MAX_NIGHTS, PlaceKind, Unit, Weekday
from entraide.organisations.models import Organisation


def _date() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _time() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class PlaceForm(AccessibleForm):
    """A room or a pool of beds, what is there, and the nights it opens."""

    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    unit = forms.ChoiceField(label=_("Booked as"), choices=Unit.choices, widget=forms.RadioSelect)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("A room: how many people it sleeps. A pool: how many beds."),
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    checklist = forms.MultipleChoiceField(
        label=_("What is there"),
        choices=CHECKLIST,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    house_rules = forms.CharField(
        label=_("House rules"), max_length=2000, required=False, widget=forms.Textarea
    )
    contact_name = forms.CharField(label=_("Contact on site"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("Empty: the host's own address."),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    town = forms.CharField(label=_("Town"), max_length=120, required=False)
    no_show_hour = forms.IntegerField(
        label=_("No-show after (hour)"),
        min_value=0,
        max_value=23,
        initial=23,
        help_text=_("A guest not arrived by this hour of the first night frees the next nights."),
    )
    published = forms.BooleanField(label=_("Open for booking"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in Weekday:
            self.fields[f"starts_{day.value}"] = forms.TimeField(
                label=_("%(day)s evening, from") % {"day": day.label},
                required=False,
                widget=_time(),
            )
            self.fields[f"ends_{day.value}"] = forms.TimeField(
                label=_("%(day)s, until next morning") % {"day": day.label},
                required=False,
                widget=_time(),
            )

    def window_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Return each weekday's from and until inputs."""
        return [(self[f"starts_{d.value}"], self[f"ends_{d.value}"]) for d in Weekday]

    def place_fields(self) -> list[forms.BoundField]:
        """Return the inputs of the place itself (not its windows)."""
        return [self[name] for name in self.fields if not name.startswith(("starts_", "ends_"))]

    def clean(self) -> dict[str, Any]:
        """Ask for both hours of a night, or neither."""
        data = super().clean() or {}
        for day in Weekday:
            starts, ends = data.get(f"starts_{day.value}"), data.get(f"ends_{day.value}")
            if (starts is None) != (ends is None):
                self.add_error(f"ends_{day.value}", _("Give both hours of the night, or neither."))
        return data

    def windows(self) -> list[tuple[int, time, time]]:
        """Return the nights given: (weekday, from, until next morning)."""
        data = self.cleaned_data
        return [
            (day.value, data[f"starts_{day.value}"], data[f"ends_{day.value}"])
            for day in Weekday
            if data.get(f"starts_{day.value}") and data.get(f"ends_{day.value}")
        ]


class BlockForm(AccessibleForm):
    """A night the host keeps."""

    night = forms.DateField(label=_("Night of"), widget=_date())
    reason = forms.CharField(label=_("Reason (for you)"), max_length=200, required=False)


class SearchForm(AccessibleForm):
    """Nights wanted, and what kind of place, near a town or postcode."""

    first_night = forms.DateField(label=_("First night"), widget=_date())
    nights = forms.IntegerField(label=_("Nights"), min_value=1, max_value=MAX_NIGHTS, initial=1)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any"))] + list(PlaceKind.choices), required=False
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    postcode = forms.CharField(
        label=_("Near postcode"), max_length=12, required=False, help_text=_("Empty: anywhere.")
    )
    town = forms.CharField(label=_("Town"), max_length=120, required=False)


class BookForm(AccessibleForm):
    """Book one place found: the guest's reference in the association's files, and a code."""

    place = forms.IntegerField(widget=forms.HiddenInput)
    first_night = forms.DateField(widget=forms.HiddenInput)
    nights = forms.IntegerField(widget=forms.HiddenInput)
    guest_reference = forms.CharField(
        label=_("Guest reference"),
        max_length=40,
        help_text=_("Your file's reference, never a name: the host sees only this."),
    )
    code = forms.CharField(
        label=_("Booking code"),
        max_length=20,
        required=False,
        help_text=_("Empty: within your quota."),
    )


class ChangeForm(AccessibleForm):
    """Leave on another morning: later to extend, earlier to shorten."""

    until = forms.DateField(label=_("Departure (morning)"), widget=_date())


class _DeskForm(AccessibleForm):
    """For which association, and at which host."""

    association = forms.ModelChoiceField(
        label=_("Association"), queryset=Organisation.objects.none()
    )
    host = forms.ModelChoiceField(
        label=_("Host"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Empty: any host of the territory."),
    )

    def __init__(self, *args: Any, associations: Any, hosts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations  # type: ignore[attr-defined]
        self.fields["host"].queryset = hosts  # type: ignore[attr-defined]


class CodeForm(_DeskForm):
    """The desk gives an association a booking code."""

    nights = forms.IntegerField(label=_("Nights"), min_value=1, max_value=1000)
    single_use = forms.BooleanField(label=_("Single use"), required=False)
    expires_on = forms.DateField(label=_("Valid until"), widget=_date())


class QuotaForm(_DeskForm):
    """The desk sets an association's nights for a month."""

    month = forms.DateField(label=_("Month"), widget=_date(), help_text=_("Any day of the month."))
    nights = forms.IntegerField(label=_("Nights"), min_value=0, max_value=100000)


class CountsForm(AccessibleForm):
    """The period and grouping of the counts."""

    by = forms.ChoiceField(
        label=_("Count by"),
        choices=[
            ("host", _("Host")),
            ("association", _("Association")),
            ("territory", _("Territory")),
        ],
        initial="host",
    )
    first = forms.DateField(label=_("From night"), widget=_date())
    until = forms.DateField(label=_("To (excluded)"), widget=_date())

    def clean(self) -> dict[str, Any]:
        """Keep the period forwards and within two years."""
        data = super().clean() or {}
        first, until = data.get("first"), data.get("until")
        if first and until and not 0 < (until - first).days <= 731:
            self.add_error("until", _("End the period after it starts, within two years."))
        return data
