"""Form pieces every domain shares: accessible errors, and a service's errors on a form."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from entraide.core.errors import validation_messages
from entraide.core.formats import parse_amount


def add_service_errors(
    form: forms.Form, error: ValidationError, *, field_names: dict[str, str] | None = None
) -> None:
    """Show a service's field errors next to the matching inputs (the rest at the top)."""
    for field, messages in validation_messages(error).items():
        name = (field_names or {}).get(field, field)
        form.add_error(name if name in form.fields else None, messages)


class AccessibleForm(forms.Form):
    """A form that ties each input to its help text and errors for screen readers."""

    # Inputs rendered as a list of choices: the error summary links to their first box.
    CHOICE_LISTS = (forms.RadioSelect, forms.CheckboxSelectMultiple)

    def anchor(self, name: str) -> str:
        """Return the id of the element the error summary should move the focus to."""
        if name not in self.fields:
            return "form-errors"
        widget = self.fields[name].widget
        suffix = "_0" if isinstance(widget, self.CHOICE_LISTS) else ""
        return f"id_{name}{suffix}"

    def error_summary(self) -> list[dict[str, str]]:
        """Return every error with its field label and the anchor to jump to."""
        summary = []
        for name, errors in self.errors.items():
            label = str(self.fields[name].label) if name in self.fields else ""
            for message in errors:
                summary.append(
                    {"anchor": self.anchor(name), "label": label, "message": str(message)}
                )
        return summary

    # Service field name -> form field name, where they differ (cents typed as euros…).
    SERVICE_FIELDS: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the inputs it is about (the rest on the form)."""
        add_service_errors(self, error, field_names=self.SERVICE_FIELDS)

    def describe_inputs(self) -> None:
        """Point each input at its help text and its errors (aria-describedby, aria-invalid)."""
        for name, field in self.fields.items():
            ids = []
            if field.help_text:
                ids.append(f"{name}-help")
            if name in self.errors:
                ids.append(f"{name}-errors")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class LocalisedDecimalField(forms.DecimalField):
    """A decimal input read the reader's way ("10,50" or "10.50"), shown the same way back."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs say int
        """Return the typed number as a Decimal (None when blank), or refuse it clearly."""
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        places = self.decimal_places if self.decimal_places is not None else 20
        return parse_amount(str(value), decimal_places=places)
