"""Writes for a company's employees: joining, site, department and manager."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.companies import selectors
from entraide.companies.models import CompanyProfile, Employee
from entraide.companies.services._common import _require_administrator, _require_company
from entraide.core.errors import DomainError
from entraide.organisations.models import Organisation


def _join(user: User, profile: CompanyProfile) -> Employee:
    """Make the user an employee of the profile's company (once)."""
    if not user.is_active:
        raise DomainError(_("This account is disabled."))
    existing = Employee.objects.filter(company=profile.organisation, user=user).first()
    if existing is not None:
        return existing
    employee = Employee(company=profile.organisation, user=user)
    employee.full_clean()
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError:
        return Employee.objects.get(company=profile.organisation, user=user)
    return employee


@transaction.atomic
def employee_join(*, user: User, code: str) -> Employee:
    """Join a company with the invitation code its HR gave out."""
    profile = selectors.profile_for_code(code)
    if profile is None:
        raise ValidationError({"code": [_("This code matches no company. Check it and retry.")]})
    return _join(user, profile)


@transaction.atomic
def employee_join_by_email(*, user: User, company: Organisation) -> Employee:
    """Join a company whose email domain matches the user's verified address."""
    _require_company(company)
    profile = selectors.company_profile(company)
    if profile is None or profile not in selectors.profiles_for_email(user):
        if Employee.objects.filter(company=company, user=user).exists():
            return Employee.objects.get(company=company, user=user)
        raise DomainError(
            _("Your verified email address does not belong to this company's domains.")
        )
    return _join(user, profile)


@transaction.atomic
def employee_update(
    *,
    employee: Employee,
    actor: User,
    site: str | None = None,
    department: str | None = None,
    manager: User | None = None,
    clear_manager: bool = False,
) -> Employee:
    """Set an employee's site, department or manager (company administrators only)."""
    _require_administrator(actor, employee.company)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if site is not None:
        employee.site = site.strip()
    if department is not None:
        employee.department = department.strip()
    if clear_manager:
        employee.manager = None
    elif manager is not None:
        employee_set_manager(employee=employee, manager=manager, actor=actor)
        employee.refresh_from_db()
    employee.full_clean()
    employee.save()
    return employee


@transaction.atomic
def employee_set_manager(*, employee: Employee, manager: User | None, actor: User) -> Employee:
    """Name the colleague who approves the employee's work time (None: HR only)."""
    _require_administrator(actor, employee.company)
    if manager is not None:
        if manager.pk == employee.user_id:
            raise ValidationError({"manager": [_("Nobody approves their own work time.")]})
        if not Employee.objects.filter(company=employee.company, user=manager).exists():
            raise ValidationError(
                {"manager": [_("The manager must be an employee of the same company.")]}
            )
    Employee.objects.filter(pk=employee.pk).update(manager=manager)
    employee.refresh_from_db()
    return employee
