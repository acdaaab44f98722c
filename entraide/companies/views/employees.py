"""The employees' pages: join a company, ask for work time, and the managers' decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.accounts.current import current_user
from entraide.accounts.models import User
from entraide.companies import selectors, services
from entraide.companies.forms import (
    DecisionForm,
    JoinForm,
    WorkTimeForm,
)
from entraide.companies.models import Employee, WorkTimeRequest
from entraide.companies.views._common import _company, _form_context
from entraide.core.errors import DomainError, refusal_message


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
                actor=current_user(request),
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
