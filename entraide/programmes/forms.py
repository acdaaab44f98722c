"""Forms of programmes: authoring, a day's email, enrolment, moving and leaving."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.core.forms import AccessibleForm
from entraide.organisations.models import Territory
from entraide.programmes.models import DEFAULT_COHORT_SIZE, MAX_COHORT_SIZE


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(AccessibleForm):
    """An author's settings of a programme."""

    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=settings.LANGUAGES,
        help_text=_("A day email missing in a member's language is sent in this one."),
    )
    cohort_size = forms.IntegerField(
        label=_("Members per cohort"),
        min_value=2,
        max_value=MAX_COHORT_SIZE,
        initial=DEFAULT_COHORT_SIZE,
    )
    call_time = forms.TimeField(
        label=_("Daily call at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Local time of each cohort's call on days 1 to 5."),
    )
    call_minutes = forms.IntegerField(
        label=_("Call length (minutes)"), min_value=10, max_value=180, initial=30
    )


class ChallengeForm(AccessibleForm):
    """Add a challenge (a theme) to a programme."""

    title = forms.CharField(label=_("Challenge"), max_length=160)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResourceForm(AccessibleForm):
    """Add a resource link to a programme."""

    title = forms.CharField(label=_("Resource"), max_length=160)
    url = forms.URLField(label=_("Address"), assume_scheme="https")


class CoordinatorForm(AccessibleForm):
    """Make a person with an account a coordinator of the programme."""

    email = forms.EmailField(label=_("Coordinator's email"))


class DayForm(AccessibleForm):
    """A day's subject, email and action in French, Dutch and English."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                max_length=200,
                required=False,
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Email (%(language)s)") % {"language": name},
                max_length=10000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_(
                    "Placeholders: {{ first_name }}, {{ call_link }}, {{ chat_link }}, "
                    "{{ report_link }}."
                ),
            )
            self.fields[f"action_{code}"] = forms.CharField(
                label=_("The day's action (%(language)s)") % {"language": name},
                max_length=300,
                required=False,
            )


class EnrolForm(AccessibleForm):
    """A volunteer's enrolment: the start week, the language of the cohort, where they live."""

    start_week = forms.DateField(
        label=_("Week starting"),
        widget=_date_input(),
        help_text=_("Any day of the week you want to start; the week begins on Monday."),
    )
    language = forms.ChoiceField(label=_("Language of your cohort"), choices=settings.LANGUAGES)
    territory = forms.ModelChoiceField(
        label=_("Where you live"),
        queryset=Territory.objects.order_by("name"),
        help_text=_("Your emails arrive at 08:00 in its time zone."),
    )


class PhoneEnrolForm(EnrolForm):
    """An operator enrols a caller: who they are, then the same choices."""

    email = forms.EmailField(label=_("Caller's email"), help_text=_("The day emails go there."))
    first_name = forms.CharField(label=_("Caller's first name"), max_length=150)
    field_order = ["email", "first_name", "start_week", "language", "territory"]


class MoveForm(AccessibleForm):
    """Move to a later start week."""

    start_week = forms.DateField(label=_("New week starting"), widget=_date_input())


class ConfirmForm(AccessibleForm):
    """A button with nothing to type (leave, publish)."""
