"""Company-internal missions: seen, opened and applied to by the company's employees only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from entraide.companies.tests.factories import CompanyFactory, EmployeeFactory
from entraide.core.errors import DomainError
from entraide.missions import selectors, services
from entraide.missions.models import Application
from entraide.missions.selectors import CatalogueFilters
from entraide.missions.tests.factories import (
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
)
from entraide.testing.factories import UserFactory, VolunteerProfileFactory


@pytest.fixture
def company_a(db):
    """Return the company that posts an internal mission."""
    return CompanyFactory.create(name="Company A", slug="company-a")


@pytest.fixture
def internal(company_a):
    """Return a published internal mission of company A, with an upcoming slot."""
    mission = MissionFactory.create(
        organisation=company_a, title="Reinforcement shift", is_internal=True
    )
    MissionSlotFactory.create(mission=mission)
    return mission


@pytest.fixture
def employee_of_a(company_a):
    """Return a person who joined company A as an employee (not a member)."""
    return EmployeeFactory.create(company=company_a).user


@pytest.fixture
def employee_of_b(db):
    """Return an employee of another company."""
    return EmployeeFactory.create(company=CompanyFactory.create(name="Company B")).user


def _catalogue_titles(viewer) -> list[str]:
    """Return the titles of the catalogue as the viewer sees it."""
    missions = selectors.missions_catalogue(viewer=viewer, filters=CatalogueFilters())
    return [mission.title for mission in missions]


def test_it_shows_the_internal_mission_to_an_employee_of_its_company(
    internal, employee_of_a
) -> None:
    assert _catalogue_titles(employee_of_a) == ["Reinforcement shift"]
    assert selectors.can_see(internal, employee_of_a)
    assert selectors.visible_internal_organisation_ids(employee_of_a) == {internal.organisation_id}


def test_it_hides_the_internal_mission_from_an_employee_of_another_company(
    internal, employee_of_b
) -> None:
    assert _catalogue_titles(employee_of_b) == []
    assert not selectors.can_see(internal, employee_of_b)


def test_it_hides_the_internal_mission_from_an_anonymous_visitor(internal) -> None:
    visitor = AnonymousUser()
    assert _catalogue_titles(visitor) == []
    assert not selectors.can_see(internal, visitor)
    assert selectors.visible_internal_organisation_ids(visitor) == set()


def test_it_still_shows_the_internal_mission_to_a_member_of_the_company(
    internal, company_a
) -> None:
    member = UserFactory.create()
    MembershipFactory.create(organisation=company_a, user=member)
    assert _catalogue_titles(member) == ["Reinforcement shift"]
    assert selectors.can_see(internal, member)


def test_it_lets_an_employee_apply_to_their_company_internal_mission(
    internal, employee_of_a
) -> None:
    slot = internal.slots.get()
    application = services.application_submit(
        slot=slot, volunteer=employee_of_a, message="I can come."
    )
    assert application.status == Application.Status.PENDING


def test_it_refuses_an_application_from_an_employee_of_another_company(
    internal, employee_of_b
) -> None:
    slot = internal.slots.get()
    with pytest.raises(DomainError):
        services.application_submit(slot=slot, volunteer=employee_of_b)
    assert not Application.objects.exists()


def test_it_proposes_the_internal_mission_to_fitting_employees_only(
    internal, employee_of_a, employee_of_b
) -> None:
    for user, north in ((employee_of_a, 0.001), (employee_of_b, 0.002)):
        VolunteerProfileFactory.create(
            user=user, languages=["fr"], lat=internal.lat + north, lon=internal.lon
        )
    assert [fit.user for fit in selectors.fitting_volunteers(internal)] == [employee_of_a]
