"""What the companies' pages share: finding the company, checking its administrator, form pages."""

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from entraide.companies import selectors
from entraide.core.errors import DomainError, refusal_message
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_administer


def _form_context(form: Any) -> dict[str, Any]:
    """Return the form with its inputs described and its error summary."""
    form.describe_inputs()
    return {"form": form, "error_summary": form.error_summary() if form.is_bound else []}


def _company(slug: str) -> Organisation:
    """Return the company behind an address, or 404 (other organisations have no such page)."""
    return get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.COMPANY)


def _administered(request: HttpRequest, slug: str) -> Organisation:
    """Return the company if the user administers it; 403 for anybody else."""
    company = _company(slug)
    if not can_administer(request.user, company):
        raise PermissionDenied
    return company


def _admin_form_post(
    request: HttpRequest, form: Any, write: Callable[[], Any], success: str
) -> bool:
    """Run a company administrator's write; put its refusals on the form. True when it worked."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    except DomainError as exc:
        form.add_error(None, refusal_message(exc))
        return False
    messages.success(request, success)
    return True


def _admin_page(
    request: HttpRequest, template: str, company: Organisation, form: Any, **extra: Any
) -> HttpResponse:
    """Render a company administrator's page: 400 when the form was refused."""
    context = _form_context(form)
    context.update({"company": company, **extra})
    status = 400 if form.is_bound and form.errors else 200
    return render(request, f"companies/{template}", context, status=status)


def _local_noon(day: Any) -> datetime | None:
    """Return midday of a local date: the donation keeps its date in every report."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(12)))


def _payable(totals: list[selectors.AssociationTotals]) -> list[Organisation]:
    """Return the associations the company owes something to, from its ledger totals."""
    return [t.association for t in totals if t.due_cents > 0]
