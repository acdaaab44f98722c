"""What every domain's pages share: calling a service from a view, the page's error summary."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from entraide.core.errors import DomainError, refusal_message
from entraide.core.forms import AccessibleForm


def run_service(request: HttpRequest, form: AccessibleForm | None, call: Any) -> Any:
    """Call a service; put its field errors on the form or its refusal in a message."""
    try:
        return call()
    except ValidationError as exc:
        if form is not None:
            form.add_service_errors(exc)
        else:
            messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
    return None


def error_summary(*forms: AccessibleForm) -> list[dict[str, str]]:
    """Return the error summary of every bound form on the page."""
    summary = []
    for form in forms:
        if form.is_bound:
            form.describe_inputs()
            summary.extend(form.error_summary())
    return summary
