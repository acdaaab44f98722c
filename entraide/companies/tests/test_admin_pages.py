"""Pages for a company's administrators (HR): donations, rules, settings and reversals."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from entraide.companies import services
from entraide.companies.models import CompanyProfile, Donation, LedgerEntry, TopUpRule
from entraide.companies.tests.factories import TopUpRuleFactory, participate

PAGES = ["companies:donations", "companies:rules", "companies:profile", "companies:reverse"]


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_each_page_to_the_companys_administrators_only(
    client, acme, hugo, judy, kim, name
):
    url = reverse(name, args=["acme"])
    for outsider in (kim, judy.user):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    client.force_login(hugo)
    page = client.get(url)
    assert page.status_code == 200
    assert 'lang="' in page.content.decode()


def test_it_links_the_pages_from_the_dashboard(client, acme, hugo):
    client.force_login(hugo)
    page = client.get(reverse("companies:dashboard", args=["acme"])).content.decode()
    for name in PAGES:
        assert reverse(name, args=["acme"]) in page


def test_it_records_a_donation_that_the_matching_rule_tops_up(client, acme, hugo, judy, restos):
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.DONATION_MATCH, match_percent=50)
    client.force_login(hugo)
    url = reverse("companies:donations", args=["acme"])
    response = client.post(
        url,
        {"employee": judy.pk, "association": restos.pk, "amount": "20.50", "made_on": ""},
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.employee, donation.association, donation.amount_cents) == (
        judy,
        restos,
        2050,
    )
    services.topups_accrue(company=acme)
    assert LedgerEntry.objects.get(donation=donation).amount_cents == 1025
    assert "20.50" in client.get(url).content.decode()


@time_machine.travel("2025-06-10 10:00 +0200", tick=False)
def test_it_keeps_the_donations_date(client, acme, hugo, judy, restos):
    client.force_login(hugo)
    url = reverse("companies:donations", args=["acme"])
    data = {"employee": judy.pk, "association": restos.pk, "amount": "5", "made_on": "2025-06-01"}
    assert client.post(url, data).status_code == 302
    assert Donation.objects.get().made_at.date() == date(2025, 6, 1)


@pytest.mark.parametrize(
    "data",
    [
        {"amount": "ten"},
        {"amount": "0"},
        {"amount": "1.234"},
        {"amount": ""},
        {"made_on": "2999-01-01"},
        {"made_on": "yesterday"},
        {"association": "999999"},
        {"employee": "x"},
    ],
)
def test_it_refuses_a_bad_donation_without_saving(client, acme, hugo, judy, restos, data):
    client.force_login(hugo)
    base = {"employee": judy.pk, "association": restos.pk, "amount": "10", "made_on": ""}
    response = client.post(reverse("companies:donations", args=["acme"]), {**base, **data})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    assert not Donation.objects.exists()


def test_it_refuses_a_donation_for_another_companys_employee(client, acme, hugo, rival, restos):
    client.force_login(hugo)
    stranger = rival.employees.exclude(user__email="kim@rival.example").get()
    data = {"employee": stranger.pk, "association": restos.pk, "amount": "10"}
    response = client.post(reverse("companies:donations", args=["acme"]), data)
    assert response.status_code == 400
    assert not Donation.objects.exists()


def test_it_creates_a_rule(client, acme, hugo):
    client.force_login(hugo)
    data = {
        "kind": TopUpRule.Kind.PER_HOUR,
        "amount": "12.50",
        "cap": "300",
        "valid_from": "2025-01-01",
        "valid_until": "",
    }
    assert client.post(reverse("companies:rules", args=["acme"]), data).status_code == 302
    rule = TopUpRule.objects.get(company=acme)
    assert (rule.amount_cents, rule.cap_cents, rule.valid_until) == (1250, 30000, None)


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "donation_match", "amount": "", "match_percent": ""},
        {"kind": "per_hour", "amount": ""},
        {"kind": "per_hour", "amount": "-3"},
        {"kind": "lottery"},
        {"valid_from": ""},
        {"valid_from": "2025-02-01", "valid_until": "2025-01-01"},
        {"kind": "donation_match", "match_percent": "5000"},
    ],
)
def test_it_refuses_a_bad_rule_without_saving(client, acme, hugo, data):
    client.force_login(hugo)
    base = {"kind": "per_hour", "amount": "10", "valid_from": "2025-01-01"}
    response = client.post(reverse("companies:rules", args=["acme"]), {**base, **data})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    assert not TopUpRule.objects.exists()


def test_it_ends_a_rule(client, acme, hugo):
    rule = TopUpRuleFactory.create(company=acme, valid_from=date(2025, 1, 1))
    client.force_login(hugo)
    url = reverse("companies:rule_end", args=["acme", rule.pk])
    before_start = client.post(url, {"on": "2024-12-31"})
    assert before_start.status_code == 400
    assert f'href="#end-{rule.pk}"' in before_start.content.decode()
    assert client.post(url, {"on": "nope"}).status_code == 400
    rule.refresh_from_db()
    assert rule.valid_until is None
    assert client.post(url, {"on": "2025-03-31"}).status_code == 302
    rule.refresh_from_db()
    assert rule.valid_until == date(2025, 3, 31)


def test_it_hides_another_companys_rule(client, acme, hugo, rival, kim):
    rule = TopUpRuleFactory.create(company=rival)
    client.force_login(hugo)
    assert (
        client.post(
            reverse("companies:rule_end", args=["acme", rule.pk]), {"on": "2025-03-31"}
        ).status_code
        == 404
    )
    client.force_login(kim)
    assert (
        client.post(
            reverse("companies:rule_end", args=["acme", rule.pk]), {"on": "2025-03-31"}
        ).status_code
        == 403
    )
    rule.refresh_from_db()
    assert rule.valid_until is None


def test_it_changes_the_company_settings_and_draws_a_new_code(client, acme, hugo):
    client.force_login(hugo)
    url = reverse("companies:profile", args=["acme"])
    assert "acme.example" in client.get(url).content.decode()
    data = {
        "email_domains": "Acme.fr, @acme.com",
        "yearly_allowance_hours": "10,5",
        "new_code": "on",
    }
    assert client.post(url, data).status_code == 302
    profile = CompanyProfile.objects.get(organisation=acme)
    assert profile.email_domains == ["acme.fr", "acme.com"]
    assert str(profile.yearly_allowance_hours) == "10.50"
    assert profile.invitation_code != "acme-secret-code"


@pytest.mark.parametrize(
    "data",
    [
        {"email_domains": "not a domain"},
        {"yearly_allowance_hours": "lots"},
        {"yearly_allowance_hours": "-1"},
        {"yearly_allowance_hours": ""},
        {"email_domains": " ".join(f"d{n}.example" for n in range(21))},
    ],
)
def test_it_refuses_bad_settings_without_saving(client, acme, hugo, data):
    client.force_login(hugo)
    base = {"email_domains": "acme.fr", "yearly_allowance_hours": "7", "new_code": "on"}
    response = client.post(reverse("companies:profile", args=["acme"]), {**base, **data})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    profile = CompanyProfile.objects.get(organisation=acme)
    assert (profile.email_domains, profile.invitation_code) == (
        ["acme.example"],
        "acme-secret-code",
    )


def test_it_records_a_reversal_with_its_reason(client, acme, hugo, judy, restos):
    participate(judy, restos, hours="2.00")
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=1000)
    services.topups_accrue(company=acme)
    client.force_login(hugo)
    url = reverse("companies:reverse", args=["acme"])
    no_reason = client.post(url, {"association": restos.pk, "amount": "5", "note": " "})
    assert no_reason.status_code == 400
    too_much = client.post(url, {"association": restos.pk, "amount": "20.01", "note": "Twice"})
    assert too_much.status_code == 400
    assert "20.00" in too_much.content.decode()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSED).exists()
    response = client.post(url, {"association": restos.pk, "amount": "5", "note": "Counted twice"})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind=LedgerEntry.Kind.REVERSED)
    assert (entry.amount_cents, entry.note, entry.created_by) == (500, "Counted twice", hugo)


def test_it_offers_no_reversal_when_nothing_is_due(client, acme, hugo, restos):
    client.force_login(hugo)
    url = reverse("companies:reverse", args=["acme"])
    assert "nothing to reverse" in client.get(url).content.decode()
    response = client.post(url, {"association": restos.pk, "amount": "1", "note": "x"})
    assert response.status_code == 400
    assert not LedgerEntry.objects.exists()


def test_it_keeps_the_rule_form_usable_after_a_rule_ended_yesterday(client, acme, hugo):
    yesterday = timezone.localdate() - timedelta(days=1)
    TopUpRuleFactory.create(company=acme, valid_from=date(2020, 1, 1), valid_until=yesterday)
    client.force_login(hugo)
    page = client.get(reverse("companies:rules", args=["acme"])).content.decode()
    assert "End the rule" not in page
    assert "Save the rule" in page
