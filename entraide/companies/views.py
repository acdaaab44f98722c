"""Companies' pages: join, my work time, approvals, the company dashboard and its exports."""

import csv
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.accounts.models import User
from entraide.companies import selectors, services
from entraide.companies.forms import (
    CompanyProfileForm,
    DecisionForm,
    DonationForm,
    JoinForm,
    PaymentForm,
    ReversalForm,
    TopUpRuleEndForm,
    TopUpRuleForm,
    WorkTimeForm,
    euros_as_cents,
)
from entraide.companies.models import Employee, TopUpRule, WorkTimeRequest
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


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Join a company with its code, or through one's verified email address."""
    user: User = request.user  # type: ignore[assignment]
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.employee_join(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        except DomainError as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(request, _("You joined %(name)s.") % {"name": employee.company.name})
            return redirect("companies:employee", slug=employee.company.slug)
    context = _form_context(form)
    context.update(
        {
            "by_email": selectors.profiles_for_email(user),
            "employments": selectors.employments_of(user),
        }
    )
    return render(request, "companies/join.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def join_by_email(request: HttpRequest, slug: str) -> HttpResponse:
    """Join a company whose email domain matches the user's verified address."""
    company = _company(slug)
    try:
        services.employee_join_by_email(user=request.user, company=company)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("companies:join")
    messages.success(request, _("You joined %(name)s.") % {"name": company.name})
    return redirect("companies:employee", slug=company.slug)


def _employee_page(
    request: HttpRequest, employee: Employee, form: WorkTimeForm, status: int = 200
) -> HttpResponse:
    """Render an employee's work-time page."""
    year = timezone.localdate().year
    context = _form_context(form)
    context.update(
        {
            "employee": employee,
            "company": employee.company,
            "year": year,
            "allowance": selectors.allowance_hours(employee),
            "balance": selectors.allowance_balance(employee, year),
            "requests": selectors.work_time_requests_of(employee),
            "internal_missions": selectors.internal_missions_for(employee.user),
        }
    )
    return render(request, "companies/employee.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def employee_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show my work-time allowance and requests; ask for work time for an application."""
    employee = selectors.employee_of(request.user, _company(slug))
    if employee is None:
        raise Http404
    applications = list(selectors.applications_for_work_time(employee))
    form = WorkTimeForm(request.POST or None, applications=applications)
    if request.method == "POST" and form.is_valid():
        application = next(a for a in applications if a.pk == form.cleaned_data["application"])
        try:
            services.work_time_request(
                employee=employee, application=application, hours=form.cleaned_data["hours"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except DomainError as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(request, _("Your request is sent to your manager."))
            return redirect("companies:employee", slug=slug)
    return _employee_page(request, employee, form, status=400 if form.errors else 200)


@login_required
@never_cache
@require_GET
def decisions(request: HttpRequest) -> HttpResponse:
    """List the work-time requests waiting for my decision (as manager or HR)."""
    requests = list(selectors.requests_to_decide(request.user))
    return render(
        request,
        "companies/decisions.html",
        {"requests": requests, "form": DecisionForm(), "error_summary": []},
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject one work-time request."""
    work_time = get_object_or_404(
        WorkTimeRequest.objects.select_related("employee__company"), pk=pk
    )
    if not selectors.can_decide(request.user, work_time):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.work_time_decide(
                request=work_time,
                actor=request.user,  # type: ignore[arg-type]
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except DomainError as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("companies:decisions")
    context = _form_context(form)
    # Each request on the page has its own inputs: point the summary at this one's.
    anchors = {"id_reason": f"reason-{pk}", "id_decision": f"decision-{pk}-approve"}
    for item in context["error_summary"]:
        item["anchor"] = anchors.get(item["anchor"], item["anchor"])
    context.update(
        {"requests": list(selectors.requests_to_decide(request.user)), "failed": work_time.pk}
    )
    return render(request, "companies/decisions.html", context, status=400)


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
            "entries": selectors.ledger_entries(company).order_by("-created_at", "-id")[:50],
        }
    )
    return render(request, "companies/dashboard.html", context, status=status)


def _payable(totals: list[selectors.AssociationTotals]) -> list[Organisation]:
    """Return the associations the company owes something to, from its ledger totals."""
    return [t.association for t in totals if t.due_cents > 0]


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
                actor=request.user,  # type: ignore[arg-type]
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


def _safe(value: Any) -> str:
    """Return a cell that spreadsheets will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    """Return rows as a CSV download (UTF-8 with BOM, so spreadsheets read the accents)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@login_required
@require_GET
def ledger_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the company's top-up ledger, one row per entry."""
    company = _administered(request, slug)
    rows = [
        [
            entry.created_at.isoformat(),
            entry.kind,
            _safe(entry.association.name),
            selectors.cents_as_euros(entry.amount_cents),
            entry.amount_cents,
            entry.occurred_on.isoformat() if entry.occurred_on else "",
            _safe(entry.employee.user.email) if entry.employee else "",
            entry.rule.kind if entry.rule else "",
            _safe(entry.note),
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
    return _csv_response(f"{company.slug}-ledger.csv", header, rows)


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
            _safe(company.name),
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
                [section, _safe(group.name), group.participants, group.participations, group.hours]
                + [""] * 4
            )
    for totals in selectors.ledger_totals(company):
        rows.append(
            [_("association"), _safe(totals.association.name), "", "", ""]
            + [
                euros(totals.accrued_cents),
                euros(totals.paid_cents),
                euros(totals.reversed_cents),
                euros(totals.due_cents),
            ]
        )
    return _csv_response(f"{company.slug}-dashboard.csv", header, rows)


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


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def donations(request: HttpRequest, slug: str) -> HttpResponse:
    """Record an employee's donation to an association (its matching accrues with the rules)."""
    company = _administered(request, slug)
    employees = list(selectors.employees(company).order_by("user__email"))
    associations = list(selectors.donation_associations())
    form = DonationForm(request.POST or None, employees=employees, associations=associations)
    if request.method == "POST":

        def write() -> Any:
            return services.donation_record(
                employee=next(e for e in employees if e.pk == form.cleaned_data["employee"]),
                association=next(
                    a for a in associations if a.pk == form.cleaned_data["association"]
                ),
                amount_cents=euros_as_cents(form.cleaned_data["amount"]),
                actor=request.user,  # type: ignore[arg-type]
                made_at=_local_noon(form.cleaned_data["made_on"]),
            )

        if _admin_form_post(request, form, write, _("The donation is recorded.")):
            return redirect("companies:donations", slug=slug)
    return _admin_page(
        request,
        "donations.html",
        company,
        form,
        recent=selectors.donations_of(company)[:20],
    )


def _rules_page(
    request: HttpRequest,
    company: Organisation,
    form: TopUpRuleForm,
    end_form: TopUpRuleEndForm | None = None,
    ending: int = 0,
) -> HttpResponse:
    """Render the company's rules, the form for a new one and, if refused, an end form's errors."""
    failed = end_form if end_form is not None and end_form.errors else form
    context = _form_context(failed)
    # Each rule has its own end form: point the summary at this rule's date input.
    for item in context["error_summary"]:
        if failed is end_form and item["anchor"] == "id_on":
            item["anchor"] = f"end-{ending}"
    form.describe_inputs()
    context.update(
        {
            "company": company,
            "form": form,
            "end_form": end_form,
            "ending": ending,
            "rules": selectors.active_rules(company),
            "today": timezone.localdate(),
        }
    )
    status = 400 if failed.is_bound and failed.errors else 200
    return render(request, "companies/rules.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, slug: str) -> HttpResponse:
    """List the company's top-up rules and create a new one."""
    company = _administered(request, slug)
    form = TopUpRuleForm(request.POST or None)
    if request.method == "POST":

        def write() -> Any:
            data = form.cleaned_data
            return services.topup_rule_set(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                kind=data["kind"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                amount_cents=euros_as_cents(data["amount"]) or 0,
                match_percent=data["match_percent"],
                cap_cents=euros_as_cents(data["cap"]),
            )

        if _admin_form_post(request, form, write, _("The rule is saved.")):
            return redirect("companies:rules", slug=slug)
    return _rules_page(request, company, form)


@login_required
@require_POST
def rule_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """End a top-up rule on a date."""
    company = _administered(request, slug)
    rule = get_object_or_404(TopUpRule, pk=pk, company=company)
    form = TopUpRuleEndForm(request.POST)

    def write() -> Any:
        return services.topup_rule_end(
            rule=rule,
            actor=request.user,  # type: ignore[arg-type]
            on=form.cleaned_data["on"],
        )

    if _admin_form_post(request, form, write, _("The rule is ended.")):
        return redirect("companies:rules", slug=slug)
    return _rules_page(request, company, TopUpRuleForm(), end_form=form, ending=rule.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the company's email domains, yearly allowance and invitation code."""
    company = _administered(request, slug)
    current = selectors.company_profile(company)
    initial = {
        "email_domains": " ".join(current.email_domains) if current else "",
        "yearly_allowance_hours": current.yearly_allowance_hours if current else "",
    }
    form = CompanyProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def write() -> Any:
            data = form.cleaned_data
            return services.company_profile_set(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                email_domains=data["email_domains"],
                yearly_allowance_hours=data["yearly_allowance_hours"],
                new_code=data["new_code"],
            )

        if _admin_form_post(request, form, write, _("The company's settings are saved.")):
            return redirect("companies:profile", slug=slug)
    return _admin_page(request, "profile.html", company, form, profile=current)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reverse_topup(request: HttpRequest, slug: str) -> HttpResponse:
    """Take back part of what accrued for an association, saying why."""
    company = _administered(request, slug)
    totals = selectors.ledger_totals(company)
    associations = _payable(totals)
    form = ReversalForm(request.POST or None, associations=associations)
    if request.method == "POST":

        def write() -> Any:
            return services.topup_reverse(
                company=company,
                association=next(
                    a for a in associations if a.pk == form.cleaned_data["association"]
                ),
                amount_cents=euros_as_cents(form.cleaned_data["amount"]),
                actor=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"],
            )

        if _admin_form_post(request, form, write, _("The reversal is recorded.")):
            return redirect("companies:dashboard", slug=slug)
    return _admin_page(request, "reverse.html", company, form, totals=totals)
