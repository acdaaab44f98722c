"""Findability: the navigation leads employees and managers to their company pages."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from entraide.companies import services
from entraide.companies.context_processors import company_links
from entraide.companies.tests.factories import EmployeeFactory
from entraide.testing.factories import UserFactory


def _links(user):
    request = RequestFactory().get("/")
    request.user = user
    return dict(company_links(request)["company_links"])


def test_it_links_an_employee_to_their_work_time(client, judy):
    client.force_login(judy.user)
    page = client.get(reverse("missions:catalogue")).content.decode()
    assert f'href="{reverse("companies:employee", args=["acme"])}"' in page
    assert "My work time" in page
    assert "Work time to approve" not in page


def test_it_links_to_the_join_page_for_an_employee_of_several_companies(judy, rival):
    EmployeeFactory.create(company=rival, user=judy.user)
    assert _links(judy.user)["work_time_url"] == reverse("companies:join")


def test_it_shows_the_manager_how_many_requests_wait(client, judy, ivy, application):
    services.work_time_request(employee=judy, application=application, hours="2")
    client.force_login(ivy.user)
    page = client.get(reverse("missions:catalogue")).content.decode()
    assert f'href="{reverse("companies:decisions")}"' in page
    assert 'Work time to approve <span class="badge">1</span>' in page


def test_it_counts_the_requests_hr_decides_once_each(judy, ivy, hugo, application):
    judy.manager = None
    judy.save()
    services.work_time_request(employee=judy, application=application, hours="2")
    assert _links(hugo)["decisions_count"] == 1
    assert _links(ivy.user)["decisions_count"] == 0
    assert "decisions_url" not in _links(ivy.user)


def test_it_stops_counting_decided_requests(judy, ivy, application):
    request = services.work_time_request(employee=judy, application=application, hours="2")
    services.work_time_decide(request=request, actor=ivy.user, approve=True)
    work_time_url = reverse("companies:employee", args=["acme"])
    assert _links(ivy.user) == {"decisions_count": 0, "work_time_url": work_time_url}


def test_it_costs_one_query_and_none_for_visitors(judy, django_assert_num_queries):
    with django_assert_num_queries(1):
        _links(judy.user)
    with django_assert_num_queries(0):
        assert _links(AnonymousUser()) == {}


def test_it_offers_to_join_a_company_from_my_organisations(client, db):
    client.force_login(UserFactory.create())
    page = client.get(reverse("organisations:dashboard")).content.decode()
    assert f'href="{reverse("companies:join")}"' in page
