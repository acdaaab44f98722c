"""Companies personas: a company with its HR, a manager and an employee; an association.

acme      a company (AXA-like) allowing 14 hours of work time a year
hugo      administrator (HR) of acme
ivy       employee of acme, manager of judy
judy      employee of acme (site Lyon, department IT), managed by ivy
restos    a verified association with a mission; judy volunteers for it
rival     another company, whose administrator and manager are kim
"""

from decimal import Decimal

import pytest

from entraide.companies.tests.factories import (
    CompanyFactory,
    CompanyProfileFactory,
    EmployeeFactory,
)
from entraide.missions.models import Application
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.organisations.models import Membership
from entraide.testing.factories import UserFactory


@pytest.fixture
def acme(db):
    """Return a company allowing 14 hours of work time a year."""
    company = CompanyFactory.create(name="Acme", slug="acme")
    CompanyProfileFactory.create(
        organisation=company,
        email_domains=["acme.example"],
        yearly_allowance_hours=Decimal("14.00"),
        invitation_code="acme-secret-code",
    )
    return company


@pytest.fixture
def hugo(acme):
    """Return acme's administrator (HR)."""
    user = UserFactory.create(email="hugo@acme.example", first_name="Hugo", language="en")
    MembershipFactory.create(organisation=acme, user=user, role=Membership.Role.ADMINISTRATOR)
    return user


@pytest.fixture
def ivy(acme):
    """Return an employee of acme who manages judy."""
    return EmployeeFactory.create(
        company=acme, user=UserFactory.create(email="ivy@acme.example", first_name="Ivy")
    )


@pytest.fixture
def judy(acme, ivy):
    """Return an employee of acme in Lyon (IT), managed by ivy."""
    return EmployeeFactory.create(
        company=acme,
        user=UserFactory.create(email="judy@acme.example", first_name="Judy", language="en"),
        site="Lyon",
        department="IT",
        manager=ivy.user,
    )


@pytest.fixture
def restos(db):
    """Return a verified association."""
    return OrganisationFactory.create(name="Les Restos du Cœur", slug="restos")


@pytest.fixture
def slot(restos):
    """Return an upcoming slot of one of the association's missions."""
    mission = MissionFactory.create(organisation=restos, title="Meals on wheels")
    return MissionSlotFactory.create(mission=mission, capacity=5)


@pytest.fixture
def application(judy, slot):
    """Return judy's accepted application to the slot."""
    return ApplicationFactory.create(
        slot=slot, volunteer=judy.user, status=Application.Status.ACCEPTED
    )


@pytest.fixture
def rival(db):
    """Return another company whose administrator, kim, also manages an employee there."""
    company = CompanyFactory.create(name="Rival", slug="rival")
    CompanyProfileFactory.create(organisation=company)
    kim = UserFactory.create(email="kim@rival.example", first_name="Kim")
    MembershipFactory.create(organisation=company, user=kim, role=Membership.Role.ADMINISTRATOR)
    EmployeeFactory.create(company=company, user=kim)
    EmployeeFactory.create(company=company, manager=kim)
    return company


@pytest.fixture
def kim(rival):
    """Return the administrator and manager of the rival company."""
    return rival.memberships.get().user
