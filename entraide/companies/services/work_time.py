"""Writes for volunteering on work time: the employee asks, the manager or HR decides."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.companies import selectors
from entraide.companies.models import Employee, WorkTimeRequest
from entraide.core.errors import ConflictError, PermissionDeniedError, clean_reason
from entraide.core.links import absolute_url
from entraide.missions.models import Application
from entraide.missions.services import clean_hours
from entraide.notifications.services import notify
from entraide.organisations.models import Membership


def _email_context(request: WorkTimeRequest) -> dict[str, Any]:
    """Return the JSON context every work-time email needs."""
    slot = request.application.slot
    return {
        "employee_name": request.employee.user.get_full_name() or request.employee.user.email,
        "company_name": request.employee.company.name,
        "mission_title": slot.mission.title,
        "organisation_name": slot.mission.organisation.name,
        # In the company's territory's zone, whoever is logged in (or a job) sends it.
        "slot_starts": timezone.localtime(
            slot.starts_at, request.employee.company.territory.zone
        ).strftime("%Y-%m-%d %H:%M"),
        "hours": str(request.hours),
    }


def _deciders(employee: Employee) -> list[User]:
    """Return who is told about a new request: the manager, or else the company's HR."""
    manager = employee.manager
    if manager is not None and manager.is_active:
        return [manager]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=employee.company,
            memberships__role=Membership.Role.ADMINISTRATOR,
        )
        .exclude(pk=employee.user_id)
        .order_by("pk")
    )


def _tell_deciders(request: WorkTimeRequest) -> None:
    """Email the people who may decide on a new request (once each)."""
    context = _email_context(request)
    for recipient in _deciders(request.employee):
        notify(
            template="work_time_requested",
            context={
                **context,
                "url": absolute_url("companies:decisions", language=recipient.language),
            },
            dedupe_key=f"work_time_requested:{request.pk}:{recipient.pk}",
            recipient=recipient,
        )


def _tell_employee(request: WorkTimeRequest) -> None:
    """Email the employee the decision on their request (once)."""
    recipient = request.employee.user
    approved = request.status == WorkTimeRequest.Status.APPROVED
    notify(
        template="work_time_approved" if approved else "work_time_rejected",
        context={
            **_email_context(request),
            "reason": request.reason,
            "url": absolute_url(
                "companies:employee",
                language=recipient.language,
                args=[request.employee.company.slug],
            ),
        },
        dedupe_key=f"work_time_decided:{request.pk}",
        recipient=recipient,
    )


@transaction.atomic
def work_time_request(
    *, employee: Employee, application: Application, hours: Any
) -> WorkTimeRequest:
    """Ask to volunteer on work time; refused beyond what is left of the yearly allowance."""
    value = clean_hours(hours)
    # Serialise one employee's requests so two tabs cannot both spend the last hours.
    employee = Employee.objects.select_for_update().select_related("company").get(pk=employee.pk)
    application = Application.objects.select_related("slot").get(pk=application.pk)
    if application.volunteer_id != employee.user_id:
        raise PermissionDeniedError(_("This is not your application."))
    if application.status not in (Application.Status.ACCEPTED, Application.Status.PENDING):
        raise ValidationError(
            {"application": [_("Only an accepted or pending application can use work time.")]}
        )
    year = selectors.local_year(application.slot.starts_at)
    balance = selectors.allowance_balance(employee, year)
    if value > balance:
        raise ValidationError(
            {
                "hours": [
                    _("Only %(hours)s hours of work time are left for %(year)s.")
                    % {"hours": max(balance, Decimal("0.00")), "year": year}
                ]
            }
        )
    if (
        WorkTimeRequest.objects.filter(employee=employee, application=application)
        .exclude(status=WorkTimeRequest.Status.REJECTED)
        .exists()
    ):
        raise ValidationError(
            {"application": [_("You already asked for work time for this slot.")]}
        )
    request = WorkTimeRequest(employee=employee, application=application, hours=value)
    request.full_clean()
    request.save()
    _tell_deciders(request)
    return request


@transaction.atomic
def work_time_decide(
    *, request: WorkTimeRequest, actor: User, approve: bool, reason: str = ""
) -> WorkTimeRequest:
    """Approve or reject a work-time request (the employee's manager or the company's HR)."""
    request = (
        WorkTimeRequest.objects.select_for_update()
        .select_related("employee__company", "application__slot")
        .get(pk=request.pk)
    )
    if not selectors.can_decide(actor, request):
        raise PermissionDeniedError(_("You cannot decide on this request."))
    if request.employee.user_id == actor.pk and not actor.is_staff:
        raise PermissionDeniedError(_("Nobody approves their own work time."))
    if request.status != WorkTimeRequest.Status.PENDING:
        raise ConflictError(_("This request has already been decided."))
    reason = clean_reason(
        reason,
        missing=None if approve else _("Tell the employee why, in a few words."),
        too_long=_("Keep the reason under 500 characters."),
    )
    if approve:
        Employee.objects.select_for_update().get(pk=request.employee_id)
        year = selectors.local_year(request.application.slot.starts_at)
        if request.hours > selectors.allowance_balance(request.employee, year):
            raise ValidationError(
                {"__all__": [_("The employee has not enough work time left this year.")]}
            )
    request.status = WorkTimeRequest.Status.APPROVED if approve else WorkTimeRequest.Status.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.reason = reason
    request.full_clean()
    request.save()
    _tell_employee(request)
    return request
