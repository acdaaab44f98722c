"""The roles companies give: the company's manager (its administrators, line managers), employee."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import User
from entraide.accounts.roles import Role, only_one
from entraide.companies.models import Employee
from entraide.organisations.models import Membership, Organisation


def _administered(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user,
        role=Membership.Role.ADMINISTRATOR,
        organisation__kind=Organisation.Kind.COMPANY,
    )


def _is_manager(user: User) -> bool:
    """Return True for a company's administrators and for employees' line managers."""
    return _administered(user).exists() or Employee.objects.filter(manager=user).exists()


def _manager_home(user: User) -> str:
    """Return the company's dashboard; the list of organisations for several; else approvals."""
    slugs = _administered(user).values_list("organisation__slug", flat=True)[:2]
    slug = only_one(slugs)
    if slug:
        return reverse("companies:dashboard", args=[slug])
    if slugs:
        return reverse("organisations:dashboard")
    # A line manager who does not administer the company decides their team's work time.
    return reverse("companies:decisions")


def _is_employee(user: User) -> bool:
    return Employee.objects.filter(user=user).exists()


def _employee_home(user: User) -> str:
    """Return the employee's work-time page; with several employers, the page listing them."""
    slug = only_one(Employee.objects.filter(user=user).values_list("company__slug", flat=True)[:2])
    if slug:
        return reverse("companies:employee", args=[slug])
    return reverse("companies:join")


ROLES = (
    Role(
        name="company_manager",
        label=_("Company manager"),
        icon="briefcase",
        home=_manager_home,
        has_role=_is_manager,
        priority=40,
    ),
    Role(
        name="company_employee",
        label=_("Company employee"),
        icon="clock",
        home=_employee_home,
        has_role=_is_employee,
        priority=30,
    ),
)
