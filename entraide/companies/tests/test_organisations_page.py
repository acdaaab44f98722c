"""'My organisations' shows company people their company: HR, line managers and employees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entraide.companies.models import Employee
from entraide.companies.tests.factories import CompanyFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("organisations:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_company_manager_his_company_with_a_link_to_its_dashboard(client, acme, hugo):
    page = _page(client, hugo)
    assert "<h2>Acme</h2>" in page
    assert f'href="{reverse("companies:dashboard", args=["acme"])}"' in page


def test_it_shows_an_employee_their_company_their_role_and_their_work_time(client, acme, judy):
    page = _page(client, judy.user)
    assert "<h2>Acme</h2>" in page
    assert "<dd>Employee</dd>" in page
    assert f'href="{reverse("companies:employee", args=["acme"])}"' in page
    assert "not a member of any organisation" not in page
    # Employees do not run the company: no link to its dashboard.
    assert reverse("companies:dashboard", args=["acme"]) not in page


def test_it_shows_a_line_manager_the_size_of_their_team_and_the_work_time_to_approve(
    client, acme, ivy, judy
):
    EmployeeFactory.create(company=acme, manager=ivy.user)
    page = _page(client, ivy.user)
    assert "Employee, manager of 2 colleagues" in page
    assert f'href="{reverse("companies:decisions")}"' in page


def test_it_shows_a_company_administrator_who_is_also_an_employee_one_card(client, acme, hugo):
    EmployeeFactory.create(company=acme, user=hugo)
    assert _page(client, hugo).count("<h2>Acme</h2>") == 1


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("organisations:dashboard"))
    return len(queries)


def test_it_lists_employers_in_the_same_queries_however_many_there_are(client, judy):
    one = _queries(client, judy.user)
    for _ in range(3):
        company = CompanyFactory.create()
        EmployeeFactory.create(company=company, user=judy.user)
        EmployeeFactory.create(company=company, manager=judy.user)
    assert Employee.objects.filter(user=judy.user).count() == 4
    assert _queries(client, judy.user) == one
