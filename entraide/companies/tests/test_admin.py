"""Back office for companies: the ledger is read-only, rules go through the service."""

from django.urls import reverse
from django.utils import translation

from entraide.companies import services
from entraide.companies.models import LedgerEntry, TopUpRule
from entraide.companies.tests.factories import TopUpRuleFactory, participate


def test_it_shows_the_ledger_read_only(client, dave, acme, judy, restos):
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=700)
    (entry,) = services.topups_accrue(company=acme)
    client.force_login(dave)
    assert client.get(reverse("admin:companies_ledgerentry_changelist")).status_code == 200
    change = reverse("admin:companies_ledgerentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"amount_cents": "1"})
    assert client.get(reverse("admin:companies_ledgerentry_add")).status_code == 403
    delete = reverse("admin:companies_ledgerentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.get().amount_cents == 700


def test_it_creates_rules_through_the_service(client, dave, acme):
    client.force_login(dave)
    response = client.post(
        reverse("admin:companies_topuprule_add"),
        {
            "company": acme.pk,
            "kind": "donation_match",
            "amount_cents": "0",
            "match_percent": "30",
            "valid_from": "2024-01-01",
        },
    )
    assert response.status_code == 302
    rule = TopUpRule.objects.get()
    assert (rule.kind, rule.match_percent, rule.amount_cents) == ("donation_match", 30, 0)


def test_it_lists_amounts_in_euros_the_readers_way(client, dave, acme, judy, restos):
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=700)
    services.topups_accrue(company=acme)
    client.force_login(dave)
    with translation.override("fr"):
        ledger = reverse("admin:companies_ledgerentry_changelist")
        rules = reverse("admin:companies_topuprule_changelist")

    for url in (ledger, rules):
        page = client.get(url).content.decode()
        assert "7,00\xa0€" in page
        assert ">700<" not in page
