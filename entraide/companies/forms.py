"""Forms of the companies' pages: they parse input; the services decide."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from entraide.companies.models import (
    MAX_AMOUNT_CENTS,
    MAX_MATCH_PERCENT,
    MAX_RULE_AMOUNT_CENTS,
    Employee,
    TopUpRule,
)
from entraide.core.forms import AccessibleForm, LocalisedDecimalField
from entraide.missions.models import Application
from entraide.organisations.models import Organisation


def _date_input() -> forms.DateInput:
    """Return a date input the browser offers a calendar for (ISO values)."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _euros_field(
    label: Any,
    *,
    required: bool = True,
    help_text: Any = "",
    max_cents: int = MAX_AMOUNT_CENTS,
) -> forms.DecimalField:
    """Return an input for an amount in euros with at most two decimals, up to a bound."""
    return LocalisedDecimalField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=Decimal("0.01"),
        max_value=Decimal(max_cents) / 100,
        max_digits=12,
        decimal_places=2,
    )


def euros_as_cents(amount: Decimal | None) -> int | None:
    """Return an amount in euros (two decimal places at most, so exact) in whole cents."""
    return None if amount is None else int(amount * 100)


class CompanyAdminForm(AccessibleForm):
    """A company administrator's form: a service's field names map onto the form's inputs."""

    # Service field names that differ from the form's are listed in SERVICE_FIELDS.


class JoinForm(AccessibleForm):
    """The invitation code a company's HR gave out."""

    code = forms.CharField(
        label=_("Company code"),
        max_length=32,
        help_text=_("Your HR department gives it out, for example in the intranet."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class WorkTimeForm(AccessibleForm):
    """Which application to volunteer for on work time, and for how many hours."""

    application = forms.TypedChoiceField(label=_("Mission and slot"), coerce=int)
    hours = forms.CharField(
        label=_("Hours of work time"),
        max_length=6,
        help_text=_("For example 2.5 for two and a half hours."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, applications: list[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.ChoiceField)  # for the type checker
        field.choices = [
            (
                application.pk,
                f"{application.slot.mission.title} · "
                f"{application.slot.mission.organisation.name} · "
                + formats.date_format(
                    timezone.localtime(application.slot.starts_at), "SHORT_DATETIME_FORMAT"
                ),
            )
            for application in applications
        ]


class DecisionForm(AccessibleForm):
    """Approve or reject a work-time request; a rejection says why."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
    )
    reason = forms.CharField(label=_("Reason (required to reject)"), required=False, max_length=500)


class PaymentForm(AccessibleForm):
    """Money the company paid an association, in euros with cents."""

    association = forms.TypedChoiceField(label=_("Association"), coerce=int)
    amount = _euros_field(_("Amount paid (€)"))
    note = forms.CharField(label=_("Note (transfer reference)"), required=False, max_length=500)

    def __init__(self, *args: Any, associations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["association"]
        assert isinstance(field, forms.ChoiceField)  # for the type checker
        field.choices = [(a.pk, a.name) for a in associations]

    def amount_cents(self) -> int:
        """Return the cleaned amount in whole cents (two decimal places, so exact)."""
        return int(self.cleaned_data["amount"] * 100)


class DonationForm(CompanyAdminForm):
    """An employee's donation to an association, recorded by the company's HR."""

    SERVICE_FIELDS = {"amount_cents": "amount", "made_at": "made_on"}

    employee = forms.TypedChoiceField(label=_("Employee"), coerce=int)
    association = forms.TypedChoiceField(label=_("Association"), coerce=int)
    amount = _euros_field(_("Amount given (€)"))
    made_on = forms.DateField(
        label=_("Date of the donation"),
        required=False,
        help_text=_("Leave empty for today."),
        widget=_date_input(),
    )

    def __init__(
        self,
        *args: Any,
        employees: list[Employee],
        associations: list[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        employee_field = self.fields["employee"]
        association_field = self.fields["association"]
        assert isinstance(employee_field, forms.ChoiceField)  # for the type checker
        assert isinstance(association_field, forms.ChoiceField)
        employee_field.choices = [
            (e.pk, f"{e.user.get_full_name() or e.user.email} · {e.user.email}") for e in employees
        ]
        association_field.choices = [(a.pk, a.name) for a in associations]


class TopUpRuleForm(CompanyAdminForm):
    """A new top-up rule: an amount per hour or per action, or a percentage of donations."""

    SERVICE_FIELDS = {"amount_cents": "amount", "cap_cents": "cap"}

    kind = forms.ChoiceField(
        label=_("What the company adds"), choices=TopUpRule.Kind.choices, widget=forms.RadioSelect
    )
    amount = _euros_field(
        _("Amount (€)"),
        required=False,
        help_text=_("Per hour volunteered or per action; leave empty for a percentage."),
        max_cents=MAX_RULE_AMOUNT_CENTS,
    )
    match_percent = forms.IntegerField(
        label=_("Matching percentage"),
        required=False,
        min_value=1,
        max_value=MAX_MATCH_PERCENT,
        help_text=_("For donations only: 100 doubles each donation."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    cap = _euros_field(
        _("Cap per employee and year (€)"),
        required=False,
        help_text=_("Leave empty for no cap."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=_date_input())
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Leave empty while the rule runs."),
        widget=_date_input(),
    )


class TopUpRuleEndForm(CompanyAdminForm):
    """The last day a rule applies."""

    SERVICE_FIELDS = {"valid_until": "on"}

    on = forms.DateField(label=_("Last day of the rule"), widget=_date_input())


class CompanyProfileForm(CompanyAdminForm):
    """The company's email domains, yearly work-time allowance and invitation code."""

    email_domains = forms.CharField(
        label=_("Email domains"),
        required=False,
        max_length=2500,
        help_text=_(
            "Employees with a verified address at these domains may join; "
            "separate them with spaces or commas, for example acme.com acme.fr."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    yearly_allowance_hours = forms.CharField(
        label=_("Work time allowed per employee and year (hours)"),
        max_length=10,
        help_text=_("For example 7 or 14.5."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    new_code = forms.BooleanField(
        label=_("Draw a new invitation code (the old one stops working)"), required=False
    )


class ReversalForm(CompanyAdminForm):
    """Part of the accrued top-ups taken back, with the reason."""

    SERVICE_FIELDS = {"amount_cents": "amount"}

    association = forms.TypedChoiceField(label=_("Association"), coerce=int)
    amount = _euros_field(_("Amount reversed (€)"))
    note = forms.CharField(
        label=_("Why is it reversed?"),
        max_length=500,
        help_text=_("For example: hours counted twice for the 3 March mission."),
    )

    def __init__(self, *args: Any, associations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["association"]
        assert isinstance(field, forms.ChoiceField)  # for the type checker
        field.choices = [(a.pk, a.name) for a in associations]


class InviteEmployeesForm(CompanyAdminForm):
    """The addresses of the people to invite as employees, one per line or comma-separated."""

    emails = forms.CharField(
        label=_("Email addresses"),
        max_length=20_000,
        help_text=_(
            "One address per line, or separated with commas. Each person gets a link that "
            "makes them an employee."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
    )
