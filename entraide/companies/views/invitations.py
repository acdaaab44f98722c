"""Employee invitations: the company administrators send and cancel them, invitees accept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from entraide.accounts.current import current_user
from entraide.companies import selectors, services
from entraide.companies.forms import InviteEmployeesForm
from entraide.companies.models import Employee, EmployeeInvitation
from entraide.companies.views._common import _admin_page, _administered
from entraide.core.errors import DomainError, refusal_message
from entraide.organisations.invitation_page import InvitationPage, invitation_accept_page


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


def _closed(invitation: EmployeeInvitation) -> str | None:
    """Return why an invitation can no longer be accepted, or None while it is pending."""
    return {
        EmployeeInvitation.Status.ACCEPTED: _("This invitation has already been used."),
        EmployeeInvitation.Status.REVOKED: _("This invitation was cancelled."),
        EmployeeInvitation.Status.EXPIRED: _(
            "This invitation has expired. Ask your company to send you a new one."
        ),
    }.get(EmployeeInvitation.Status(invitation.status))


def _joined(request: HttpRequest, employee: Employee) -> HttpResponse:
    messages.success(request, _("You joined %(name)s.") % {"name": employee.company.name})
    return redirect("companies:employee", slug=employee.company.slug)


_PAGE: InvitationPage[Employee] = InvitationPage(
    template="companies/invitation.html",
    url_name="companies:invitation",
    find=selectors.employee_invitation_for_token,
    accept=services.employee_invitation_accept,
    accept_with_new_account=services.employee_invitation_accept_with_new_account,
    person=lambda employee: employee.user,
    joined=_joined,
    closed=_closed,
)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: logged in with its address, in one click; or by signing up."""
    return invitation_accept_page(request, token, _PAGE)
