"""The company dashboard: figures by site and association, paying top-ups, CSV exports."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from entraide.accounts.current import current_user
from entraide.companies import selectors, services
from entraide.companies.forms import (
    PaymentForm,
)
from entraide.companies.views._common import _administered, _form_context, _payable
from entraide.core.csv_files import csv_download, spreadsheet_safe
from entraide.organisations.models import Organisation


def _dashboard_page(
    request: HttpRequest,
    company: Organisation,
    form: PaymentForm,
    totals: list[selectors.AssociationTotals],
    status: int = 200,
) -> HttpResponse:
    """Render a company's dashboard with its ledger totals (read once by the caller)."""
    context = _form_context(form)
    context.update(
        {
            "company": company,
            "profile": selectors.company_profile(company),
            "dashboard": selectors.company_dashboard(company),
            "totals": totals,
            "reconciles": selectors.ledger_reconciles(company, shown=totals),
            "rules": selectors.active_rules(company),
            "accrual_problems": selectors.accrual_problems(company),
            "entries": selectors.ledger_entries(company).order_by("-created_at", "-id")[:50],
        }
    )
    return render(request, "companies/dashboard.html", context, status=status)


@login_required
@never_cache
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the company's volunteering and top-ups (its administrators only)."""
    company = _administered(request, slug)
    totals = selectors.ledger_totals(company)
    return _dashboard_page(request, company, PaymentForm(associations=_payable(totals)), totals)


@login_required
@require_POST
def pay(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a payment of top-ups to an association."""
    company = _administered(request, slug)
    totals = selectors.ledger_totals(company)
    associations = _payable(totals)
    form = PaymentForm(request.POST, associations=associations)
    if form.is_valid():
        association = next(a for a in associations if a.pk == form.cleaned_data["association"])
        try:
            services.topup_pay(
                company=company,
                association=association,
                amount_cents=form.amount_cents(),
                actor=current_user(request),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("amount" if field == "amount_cents" else None, errors)
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect("companies:dashboard", slug=slug)
    # The payment was refused and wrote nothing, so the totals read above still hold.
    return _dashboard_page(request, company, form, totals, status=400)


@login_required
@require_GET
def ledger_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the company's top-up ledger, one row per entry."""
    company = _administered(request, slug)
    rows = [
        [
            entry.created_at.isoformat(),
            entry.kind,
            spreadsheet_safe(entry.association.name),
            selectors.cents_as_euros(entry.amount_cents),
            entry.amount_cents,
            entry.occurred_on.isoformat() if entry.occurred_on else "",
            spreadsheet_safe(entry.employee.user.email) if entry.employee else "",
            entry.rule.kind if entry.rule else "",
            spreadsheet_safe(entry.note),
        ]
        for entry in selectors.ledger_entries(company)
    ]
    header = [
        _("recorded at"),
        _("kind"),
        _("association"),
        _("amount (€)"),
        _("amount (cents)"),
        _("date"),
        _("employee"),
        _("rule"),
        _("note"),
    ]
    return csv_download(f"{company.slug}-ledger.csv", header, rows)


@login_required
@require_GET
def dashboard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the dashboard's figures: by site, by department, and per association."""
    company = _administered(request, slug)
    figures = selectors.company_dashboard(company)
    euros = selectors.cents_as_euros
    header = [
        _("section"),
        _("name"),
        _("participants"),
        _("participations"),
        _("hours"),
        _("accrued (€)"),
        _("paid (€)"),
        _("reversed (€)"),
        _("due (€)"),
    ]
    rows: list[list[Any]] = [
        [
            _("total"),
            spreadsheet_safe(company.name),
            figures.participants,
            figures.participations,
            figures.hours,
            euros(figures.accrued_cents),
            euros(figures.paid_cents),
            euros(figures.reversed_cents),
            euros(figures.due_cents),
        ]
    ]
    for section, groups in ((_("site"), figures.by_site), (_("department"), figures.by_department)):
        for group in groups:
            rows.append(
                [
                    section,
                    spreadsheet_safe(group.name),
                    group.participants,
                    group.participations,
                    group.hours,
                ]
                + [""] * 4
            )
    for totals in selectors.ledger_totals(company):
        rows.append(
            [_("association"), spreadsheet_safe(totals.association.name), "", "", ""]
            + [
                euros(totals.accrued_cents),
                euros(totals.paid_cents),
                euros(totals.reversed_cents),
                euros(totals.due_cents),
            ]
        )
    return csv_download(f"{company.slug}-dashboard.csv", header, rows)
