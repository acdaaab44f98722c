"""The company administrators' pages: donations, top-up rules, settings, reversals."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from entraide.accounts.current import current_user
from entraide.companies import selectors, services
from entraide.companies.forms import (
    CompanyProfileForm,
    DonationForm,
    ReversalForm,
    TopUpRuleEndForm,
    TopUpRuleForm,
    euros_as_cents,
)
from entraide.companies.models import TopUpRule
from entraide.companies.views._common import (
    _admin_form_post,
    _admin_page,
    _administered,
    _form_context,
    _local_noon,
    _payable,
)
from entraide.organisations.models import Organisation


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
                actor=current_user(request),
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
                actor=current_user(request),
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
            actor=current_user(request),
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
                actor=current_user(request),
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
                actor=current_user(request),
                note=form.cleaned_data["note"],
            )

        if _admin_form_post(request, form, write, _("The reversal is recorded.")):
            return redirect("companies:dashboard", slug=slug)
    return _admin_page(request, "reverse.html", company, form, totals=totals)
