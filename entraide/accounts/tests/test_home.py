"""Each role lands on its own home; people with several roles choose theirs in the header.

alice is a volunteer, charlie an operator, dave staff (see the root conftest); the tests
give them, or new people, the other roles they need.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entraide.accounts import roles
from entraide.accounts.models import User
from entraide.companies.tests.factories import CompanyFactory, EmployeeFactory
from entraide.missions.tests.factories import MembershipFactory, OrganisationFactory
from entraide.organisations.models import Membership, Organisation
from entraide.testing.factories import UserFactory, VolunteerProfileFactory

pytestmark = pytest.mark.django_db


def _home(client: Client, user: User) -> str:
    """Return where accounts:home sends the user."""
    client.force_login(user)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    return response["Location"]


def _administrator(organisation: Organisation, user: User | None = None) -> User:
    membership = MembershipFactory.create(
        organisation=organisation,
        role=Membership.Role.ADMINISTRATOR,
        **({"user": user} if user else {}),
    )
    return membership.user


def test_it_sends_a_volunteer_to_the_volunteer_dashboard(client, alice):
    assert _home(client, alice) == reverse("volunteers:dashboard")


def test_it_sends_an_association_administrator_to_the_organisation_page(client):
    association = OrganisationFactory.create(slug="restos", status=Organisation.Status.PENDING)
    admin = _administrator(association)
    assert _home(client, admin) == reverse("organisations:public", args=["restos"])
    # The page they land on is theirs, even before verification (a preview).
    assert client.get(reverse("organisations:public", args=["restos"])).status_code == 200


def test_it_sends_a_member_of_several_organisations_to_their_list(client):
    admin = _administrator(OrganisationFactory.create())
    MembershipFactory.create(user=admin, organisation=OrganisationFactory.create())
    assert _home(client, admin) == reverse("organisations:dashboard")


def test_it_sends_a_company_administrator_to_the_company_dashboard(client):
    hr = _administrator(CompanyFactory.create(slug="acme"))
    home = _home(client, hr)
    assert home == reverse("companies:dashboard", args=["acme"])
    assert client.get(home).status_code == 200


def test_it_sends_a_line_manager_to_the_work_time_to_approve(client):
    manager = UserFactory.create()
    company = CompanyFactory.create()
    EmployeeFactory.create(company=company, user=manager)
    EmployeeFactory.create(company=company, manager=manager)
    home = _home(client, manager)
    assert home == reverse("companies:decisions")
    assert client.get(home).status_code == 200


def test_it_sends_an_employee_to_their_work_time(client):
    employee = EmployeeFactory.create(company=CompanyFactory.create(slug="acme")).user
    home = _home(client, employee)
    assert home == reverse("companies:employee", args=["acme"])
    assert client.get(home).status_code == 200


def test_it_sends_an_operator_to_the_console(client, charlie):
    home = _home(client, charlie)
    assert home == reverse("operators:console")
    assert client.get(home).status_code == 200


def test_it_sends_a_moderator_to_the_moderation_queue(client):
    moderator = UserFactory.create(is_moderator=True)
    home = _home(client, moderator)
    assert home == reverse("organisations:moderation")
    assert client.get(home).status_code == 200


def test_it_sends_staff_to_the_back_office_only_when_they_have_no_other_role(client, dave):
    assert _home(client, dave) == reverse("admin:index")
    VolunteerProfileFactory.create(user=dave)
    assert _home(client, dave) == reverse("volunteers:dashboard")


def test_it_sends_a_person_without_a_role_to_the_public_home(client):
    assert _home(client, UserFactory.create()) == reverse("core:home")


def test_it_sends_visitors_to_the_login_page(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_prefers_the_highest_priority_role_then_the_one_chosen(client, alice):
    alice.is_operator = True
    alice.save()
    assert _home(client, alice) == reverse("operators:console")

    response = client.post(reverse("accounts:switch_role"), {"role": "volunteer"})
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:dashboard")
    alice.refresh_from_db()
    assert alice.preferred_role == "volunteer"
    # The choice survives logging out and in again.
    client.logout()
    assert _home(client, alice) == reverse("volunteers:dashboard")


def test_it_ignores_a_preferred_role_the_person_no_longer_holds(client, alice):
    alice.is_operator = True
    alice.preferred_role = "volunteer"
    alice.save()
    alice.volunteer_profile.delete()
    assert _home(client, User.objects.get(pk=alice.pk)) == reverse("operators:console")


def test_it_refuses_to_switch_to_a_role_the_person_does_not_hold(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:switch_role"), {"role": "operator"}, follow=True)
    assert response.redirect_chain[0] == (reverse("accounts:home"), 302)
    assert "You do not have this role." in response.content.decode()
    alice.refresh_from_db()
    assert alice.preferred_role == ""


def test_it_switches_roles_with_a_csrf_protected_post_only(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get(reverse("accounts:switch_role")).status_code == 405
    assert client.post(reverse("accounts:switch_role"), {"role": "volunteer"}).status_code == 403


def test_it_lets_a_safe_next_win_after_log_in_and_ignores_an_unsafe_one(client, alice):
    login = reverse("accounts:login")
    credentials = {"username": "alice@example.org", "password": "password"}
    missions = reverse("missions:catalogue")
    response = client.post(f"{login}?next={missions}", credentials)
    assert response["Location"] == missions
    client.logout()
    response = client.post(f"{login}?next=https://evil.example/", credentials)
    assert response["Location"] == reverse("accounts:home")


def _switcher(user: User) -> tuple[str, int]:
    """Render the header's switcher for the user; return the HTML and its query count."""
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("accounts/_role_switcher.html", request=request)
    return html, len(queries)


def test_it_lists_the_roles_in_the_header_with_the_current_one_marked(alice):
    alice.is_operator = True
    alice.preferred_role = "volunteer"
    alice.save()
    html, _queries = _switcher(alice)
    assert 'value="operator" class="link-button" data-icon="phone">Operator<' in html
    assert 'data-icon="heart" aria-current="true">Volunteer<' in html
    assert reverse("accounts:switch_role") in html


def test_it_shows_no_switcher_to_a_person_with_one_role(alice):
    html, _queries = _switcher(alice)
    assert reverse("accounts:home") in html
    assert reverse("accounts:switch_role") not in html


def test_it_costs_the_same_few_queries_however_many_organisations_a_person_has(alice):
    _administrator(CompanyFactory.create(), alice)
    _html, few = _switcher(User.objects.get(pk=alice.pk))
    for _ in range(3):
        _administrator(CompanyFactory.create(), alice)
        _administrator(OrganisationFactory.create(), alice)
        EmployeeFactory.create(user=alice)
        EmployeeFactory.create(manager=alice)
    _html, many = _switcher(User.objects.get(pk=alice.pk))
    # At most one query per registered role, whatever the person belongs to.
    assert many == few
    assert few <= len(roles._ROLES)


def test_it_refuses_two_different_roles_with_one_name():
    role = roles.Role(
        name="test_role", label="Test", icon="x", home=lambda user: "/", has_role=bool
    )
    roles.register(role)
    try:
        roles.register(role)  # registering the same role again is harmless
        with pytest.raises(ImproperlyConfigured):
            roles.register(roles.Role(**{**role.__dict__, "priority": 5}))
    finally:
        roles.unregister("test_role")
    assert roles.get("test_role") is None


def test_it_orders_the_roles_held_by_priority(alice):
    alice.is_operator = True
    alice.is_staff = True
    MembershipFactory.create(user=alice)
    assert [role.name for role in roles.roles_of(alice)] == [
        "operator",
        "organisation_member",
        "volunteer",
        "staff",
    ]
