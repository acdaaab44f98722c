"""Employee invitations: the company administrators send and cancel them, invitees accept."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from entraide.accounts.current import current_user
from entraide.accounts.models import User
from entraide.companies import selectors, services
from entraide.companies.forms import InviteEmployeesForm
from entraide.companies.models import Employee, EmployeeInvitation
from entraide.companies.views._common import _admin_page, _administered, _form_context
from entraide.core.errors import DomainError, refusal_message
from entraide.organisations.forms import NewAccountForm


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite employees by email and list the invitations sent, with where each stands."""
    company = _administered(request, slug)
    form = InviteEmployeesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.employee_invite(
                company=company, emails=form.cleaned_data["emails"], actor=current_user(request)
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except DomainError as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "We emailed %(count)d invitation.",
                    "We emailed %(count)d invitations.",
                    len(sent),
                )
                % {"count": len(sent)},
            )
            return redirect("companies:invitations", slug=slug)
    return _admin_page(
        request,
        "invitations.html",
        company,
        form,
        invitations=list(selectors.employee_invitations(company)),
        pending=EmployeeInvitation.Status.PENDING,
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Cancel an invitation nobody accepted yet."""
    company = _administered(request, slug)
    invitation = get_object_or_404(EmployeeInvitation, pk=pk, company=company)
    try:
        services.employee_invitation_revoke(invitation=invitation, actor=current_user(request))
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is cancelled.") % {"email": invitation.email},
        )
    return redirect("companies:invitations", slug=slug)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: logged in with its address, in one click; or by signing up."""
    found = selectors.employee_invitation_for_token(token)
    context: dict[str, Any] = {"invitation": found, "token": token, "error_summary": []}
    if found is None:
        context["problem"] = _(
            "This invitation link is not valid. Check that you copied all of it."
        )
        return render(request, "companies/invitation.html", context, status=404)
    if found.status != EmployeeInvitation.Status.PENDING:
        context["problem"] = {
            EmployeeInvitation.Status.ACCEPTED: _("This invitation has already been used."),
            EmployeeInvitation.Status.REVOKED: _("This invitation was cancelled."),
            EmployeeInvitation.Status.EXPIRED: _(
                "This invitation has expired. Ask your company to send you a new one."
            ),
        }[EmployeeInvitation.Status(found.status)]
        return render(request, "companies/invitation.html", context, status=410)
    has_account = User.objects.filter(email__iexact=found.email).exists()
    context["has_account"] = has_account
    form = None
    if not request.user.is_authenticated and not has_account:
        form = NewAccountForm(
            request.POST or None, initial={"language": (get_language() or "fr")[:2]}
        )
        context.update(_form_context(form))
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                employee = services.employee_invitation_accept(
                    token=token, user=current_user(request)
                )
                return _joined(request, employee)
            if form is not None and form.is_valid():
                employee = services.employee_invitation_accept_with_new_account(
                    token=token, **form.cleaned_data
                )
                login(request, employee.user, backend="django.contrib.auth.backends.ModelBackend")
                return _joined(request, employee)
        except ValidationError as exc:
            assert form is not None  # only the sign-up raises field errors
            form.add_service_errors(exc)
            context.update(_form_context(form))
        except DomainError as exc:
            context["problem"] = refusal_message(exc)
            return render(request, "companies/invitation.html", context, status=400)
        if form is None:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        return render(request, "companies/invitation.html", context, status=400)
    return render(request, "companies/invitation.html", context)


def _joined(request: HttpRequest, employee: Employee) -> HttpResponse:
    messages.success(request, _("You joined %(name)s.") % {"name": employee.company.name})
    return redirect("companies:employee", slug=employee.company.slug)
