"""Companies pages: joining, asking for work time, deciding, the dashboard and its exports."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entraide.companies import services
from entraide.companies.models import Employee, LedgerEntry, TopUpRule, WorkTimeRequest
from entraide.companies.tests.factories import TopUpRuleFactory, participate
from entraide.missions.tests.factories import OrganisationFactory
from entraide.testing.factories import UserFactory


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_it_joins_with_a_code(client, acme):
    user = UserFactory.create()
    client.force_login(user)
    response = client.post(reverse("companies:join"), {"code": "acme-secret-code"})
    assert response.status_code == 302
    assert response.url == reverse("companies:employee", args=["acme"])
    assert Employee.objects.filter(user=user, company=acme).exists()


def test_it_shows_a_translated_error_for_a_wrong_code(client, acme):
    client.force_login(UserFactory.create())
    response = client.post(reverse("companies:join"), {"code": "nope"})
    assert response.status_code == 400
    assert "This code matches no company" in response.content.decode()
    assert 'id="form-errors"' in response.content.decode()
    assert not Employee.objects.exists()


def test_it_asks_for_work_time_and_shows_the_balance(client, judy, application):
    client.force_login(judy.user)
    url = reverse("companies:employee", args=["acme"])
    response = client.post(url, {"application": application.pk, "hours": "3,5"})
    assert response.status_code == 302
    assert WorkTimeRequest.objects.get().hours == 3.5
    page = client.get(url).content.decode()
    assert "Meals on wheels" in page
    assert "<dd>14 h</dd>" in page  # allowed this year


@pytest.mark.parametrize(
    "data",
    [
        {"hours": "abc"},
        {"hours": "99"},
        {"hours": "15"},
        {"hours": ""},
        {"application": "999999", "hours": "1"},
        {"application": "x", "hours": "1"},
    ],
)
def test_it_rejects_bad_work_time_input_without_saving(client, judy, application, data):
    client.force_login(judy.user)
    data = {"application": application.pk, **data}
    response = client.post(reverse("companies:employee", args=["acme"]), data)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert not WorkTimeRequest.objects.exists()


def test_it_hides_the_employee_page_from_non_employees(client, acme, kim):
    client.force_login(kim)
    assert client.get(reverse("companies:employee", args=["acme"])).status_code == 404


def test_it_lets_the_manager_approve_and_refuses_another_companys_manager(
    client, judy, ivy, kim, application
):
    request = services.work_time_request(employee=judy, application=application, hours="2")
    url = reverse("companies:decide", args=[request.pk])
    client.force_login(kim)
    assert "Meals on wheels" not in client.get(reverse("companies:decisions")).content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(ivy.user)
    assert "Meals on wheels" in client.get(reverse("companies:decisions")).content.decode()
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Tell the employee why" in response.content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    request.refresh_from_db()
    assert request.status == WorkTimeRequest.Status.APPROVED


def test_it_shows_the_dashboard_to_the_companys_administrators_only(client, acme, hugo, judy, kim):
    url = reverse("companies:dashboard", args=["acme"])
    for outsider in (kim, judy.user):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.get(reverse("companies:ledger_csv", args=["acme"])).status_code == 403
        assert client.get(reverse("companies:dashboard_csv", args=["acme"])).status_code == 403
    client.force_login(hugo)
    assert client.get(url).status_code == 200


def test_it_records_a_payment_and_refuses_more_than_due(client, acme, hugo, judy, restos):
    participate(judy, restos, hours="2.50")
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=1000)
    services.topups_accrue(company=acme)
    client.force_login(hugo)
    url = reverse("companies:pay", args=["acme"])
    too_much = client.post(url, {"association": restos.pk, "amount": "25.01"})
    assert too_much.status_code == 400
    assert "25.00" in too_much.content.decode()
    bad = client.post(url, {"association": restos.pk, "amount": "ten"})
    assert bad.status_code == 400
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAID).exists()
    assert client.post(url, {"association": restos.pk, "amount": "10.50"}).status_code == 302
    assert LedgerEntry.objects.get(kind=LedgerEntry.Kind.PAID).amount_cents == 1050


def test_it_exports_the_ledger_and_the_dashboard_as_csv(client, acme, hugo, judy, restos):
    participate(judy, restos, hours="1.25")
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=1234)
    services.topups_accrue(company=acme)
    services.topup_pay(
        company=acme, association=restos, amount_cents=500, actor=hugo, note="=HYPERLINK()"
    )
    client.force_login(hugo)
    ledger = _csv(client.get(reverse("companies:ledger_csv", args=["acme"])))
    assert [row[1:5] for row in ledger[1:]] == [
        ["accrued", "Les Restos du Cœur", "15.43", "1543"],
        ["paid", "Les Restos du Cœur", "5.00", "500"],
    ]
    assert ledger[2][8] == "'=HYPERLINK()"  # never run as a spreadsheet formula
    figures = _csv(client.get(reverse("companies:dashboard_csv", args=["acme"])))
    assert figures[1] == ["total", "Acme", "1", "1", "1.25", "15.43", "5.00", "0.00", "10.43"]
    assert ["site", "Lyon", "1", "1", "1.25", "", "", "", ""] in figures
    assert ["department", "IT", "1", "1", "1.25", "", "", "", ""] in figures
    assert ["association", "Les Restos du Cœur", "", "", "", "15.43", "5.00", "0.00", "10.43"] in (
        figures
    )


def _owe_associations(acme, judy, count: int) -> None:
    """Accrue top-ups for `count` new associations, so the dashboard lists that many totals."""
    for _ in range(count):
        participate(judy, OrganisationFactory.create())
    services.topups_accrue(company=acme)


def _dashboard_queries(client, acme) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("companies:dashboard", args=[acme.slug]))
    assert response.status_code == 200
    return queries


def test_it_reads_the_ledger_totals_once_whatever_the_number_of_associations(
    client, acme, hugo, judy
):
    client.force_login(hugo)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=500)
    _owe_associations(acme, judy, 2)
    few = _dashboard_queries(client, acme)
    _owe_associations(acme, judy, 4)
    many = _dashboard_queries(client, acme)
    assert LedgerEntry.objects.filter(company=acme).values("association").distinct().count() == 6
    assert len(many) == len(few)
    per_association = [
        query
        for query in many.captured_queries
        if query["sql"].startswith('SELECT "companies_ledgerentry"."association_id"')
    ]
    assert len(per_association) == 1
