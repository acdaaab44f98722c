"""Forms of the companies' pages: they parse input; the services decide."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.help_requests.forms import AccessibleForm
from entraide.missions.models import Application
from entraide.organisations.models import Organisation


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
                f"{application.slot.starts_at:%Y-%m-%d %H:%M}",
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
    amount = forms.DecimalField(
        label=_("Amount paid (€)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(label=_("Note (transfer reference)"), required=False, max_length=500)

    def __init__(self, *args: Any, associations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["association"]
        assert isinstance(field, forms.ChoiceField)  # for the type checker
        field.choices = [(a.pk, a.name) for a in associations]

    def amount_cents(self) -> int:
        """Return the cleaned amount in whole cents (two decimal places, so exact)."""
        return int(self.cleaned_data["amount"] * 100)
