"""Company top-ups: accrual, rounding, caps, payments and the append-only ledger."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from entraide.companies import selectors, services
from entraide.companies.jobs import accrue_topups
from entraide.companies.models import LedgerEntry, TopUpRule
from entraide.companies.tests.factories import DonationFactory, TopUpRuleFactory, participate
from entraide.core.errors import DomainError
from entraide.missions.tests.factories import OrganisationFactory
from entraide.money import selectors as money_selectors

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture(autouse=True)
def _mid_june():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_accrues_per_hour_rounding_half_up_to_the_cent(acme, judy, restos):
    participate(judy, restos, hours="1.25")
    participate(judy, restos, hours="1.50")
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=1234)
    entries = services.topups_accrue(company=acme)
    # 1.25 × 1234 = 1542.5 → 1543 (half up, not banker's 1542); 1.5 × 1234 = 1851 exactly.
    assert sorted(e.amount_cents for e in entries) == [1543, 1851]
    assert selectors.due_cents(acme, restos) == 1543 + 1851


def test_it_accrues_once_when_run_twice(acme, judy, restos):
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=5000)
    assert len(services.topups_accrue(company=acme)) == 1
    assert services.topups_accrue(company=acme) == []
    assert accrue_topups() == 0
    assert LedgerEntry.objects.count() == 1
    assert selectors.due_cents(acme, restos) == 5000


def test_it_accrues_new_participations_on_the_next_run(acme, judy, restos):
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=500)
    participate(judy, restos)
    assert accrue_topups() == 1
    participate(judy, restos)
    assert accrue_topups() == 1
    assert selectors.due_cents(acme, restos) == 1000


def test_it_ignores_non_employees_other_companies_and_rules_out_of_date(acme, judy, restos, rival):
    TopUpRuleFactory.create(
        company=acme,
        kind=TopUpRule.Kind.PER_ACTION,
        amount_cents=500,
        valid_from=date(2024, 6, 10),
        valid_until=date(2024, 6, 30),
    )
    participate(judy, restos, days_ago=2)  # 13 June: in force
    participate(judy, restos, days_ago=10)  # 5 June: before the rule
    rival_employee = rival.employees.exclude(manager=None).get()
    participate(rival_employee, restos, days_ago=2)
    participate(judy, acme, days_ago=2)  # the company's own internal mission
    entries = services.topups_accrue(company=acme)
    assert [e.occurred_on for e in entries] == [date(2024, 6, 13)]


def test_it_matches_donations_by_percentage(acme, judy, restos):
    DonationFactory.create(employee=judy, association=restos, amount_cents=333)
    TopUpRuleFactory.create(
        company=acme, kind=TopUpRule.Kind.DONATION_MATCH, amount_cents=0, match_percent=30
    )
    entries = services.topups_accrue(company=acme)
    assert [e.amount_cents for e in entries] == [100]  # 99.9 → 100
    assert entries[0].donation is not None
    assert services.topups_accrue(company=acme) == []


def test_it_respects_the_yearly_cap_per_employee(acme, judy, ivy, restos):
    TopUpRuleFactory.create(
        company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=4000, cap_cents=10000
    )
    for _ in range(4):
        participate(judy, restos)
    participate(ivy, restos)
    entries = services.topups_accrue(company=acme)
    judys = [e.amount_cents for e in entries if e.employee == judy]
    assert sorted(judys, reverse=True) == [4000, 4000, 2000]
    assert [e.amount_cents for e in entries if e.employee == ivy] == [4000]


def test_it_restarts_the_cap_each_year(acme, judy, restos):
    TopUpRuleFactory.create(
        company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=4000, cap_cents=4000
    )
    participate(judy, restos, days_ago=200)  # November 2023
    participate(judy, restos, days_ago=1)
    assert len(services.topups_accrue(company=acme)) == 2


def test_it_never_pays_more_than_due(acme, hugo, judy, restos):
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=5000)
    services.topups_accrue(company=acme)
    services.topup_pay(company=acme, association=restos, amount_cents=3000, actor=hugo)
    with pytest.raises(ValidationError) as excinfo:
        services.topup_pay(company=acme, association=restos, amount_cents="2001", actor=hugo)
    assert "amount_cents" in excinfo.value.message_dict
    services.topup_pay(company=acme, association=restos, amount_cents="2000", actor=hugo)
    assert selectors.due_cents(acme, restos) == 0
    with pytest.raises(ValidationError):
        services.topup_pay(company=acme, association=restos, amount_cents=1, actor=hugo)


@pytest.mark.parametrize("amount", [12.5, "12.5", "0", "-3", "abc", None])
def test_it_refuses_amounts_that_are_not_whole_positive_cents(acme, hugo, restos, amount):
    with pytest.raises(ValidationError):
        services.topup_pay(company=acme, association=restos, amount_cents=amount, actor=hugo)


def test_it_refuses_payments_from_non_administrators(acme, judy, kim, restos):
    for actor in (judy.user, kim):
        with pytest.raises(DomainError):
            services.topup_pay(company=acme, association=restos, amount_cents=1, actor=actor)
    assert not LedgerEntry.objects.exists()


def test_it_keeps_the_ledger_append_only(acme, judy, restos):
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=5000)
    (entry,) = services.topups_accrue(company=acme)
    entry.amount_cents = 1
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert LedgerEntry.objects.get().amount_cents == 5000


def test_it_reconciles_the_ledger(acme, hugo, judy, restos):
    other = OrganisationFactory.create()
    participate(judy, restos)
    participate(judy, other)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=777)
    services.topups_accrue(company=acme)
    services.topup_pay(company=acme, association=restos, amount_cents=1000, actor=hugo)
    services.topup_reverse(
        company=acme, association=other, amount_cents=31, actor=hugo, note="Hours corrected"
    )
    totals = {t.association: t for t in selectors.ledger_totals(acme)}
    assert totals[restos].accrued_cents == 2331
    assert totals[restos].due_cents == 1331
    assert totals[other].due_cents == 2300
    assert selectors.ledger_reconciles(acme)
    dashboard = selectors.company_dashboard(acme)
    assert (dashboard.accrued_cents, dashboard.paid_cents, dashboard.reversed_cents) == (
        4662,
        1000,
        31,
    )
    assert dashboard.due_cents == sum(t.due_cents for t in totals.values())


def test_the_money_ledger_tells_the_same_story(acme, hugo, judy, restos):
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=777)
    services.topups_accrue(company=acme)
    services.topup_pay(company=acme, association=restos, amount_cents=1000, actor=hugo)
    services.topup_reverse(
        company=acme, association=restos, amount_cents=31, actor=hugo, note="Hours corrected"
    )
    kinds = []
    for entry in LedgerEntry.objects.order_by("pk"):
        posted = entry.transaction
        assert posted is not None
        kinds.append((entry.kind, posted.kind, posted.entries.get(amount_cents__gt=0).amount_cents))
    assert kinds == [
        ("accrued", "topup", 2331),
        ("paid", "topup_payment", 1000),
        ("reversed", "topup_correction", 31),
    ]
    assert money_selectors.topup_due_by_association(acme.pk) == {restos.pk: 1300}
    assert money_selectors.reconcile() == []


def test_it_detects_an_entry_missing_from_the_money_ledger(acme, judy, restos):
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=777)
    services.topups_accrue(company=acme)
    # An accrual written around the service: its due is fine, but no money moved for it.
    LedgerEntry.objects.create(
        company=acme, association=restos, kind=LedgerEntry.Kind.ACCRUED, amount_cents=100
    )
    assert not selectors.ledger_reconciles(acme)


def test_it_detects_a_ledger_that_does_not_reconcile(acme, judy, restos):
    # A payment written around the service (no due check) leaves a negative balance.
    LedgerEntry.objects.create(
        company=acme, association=restos, kind=LedgerEntry.Kind.PAID, amount_cents=100
    )
    assert not selectors.ledger_reconciles(acme)


def test_it_refuses_to_change_a_rule_once_money_accrued(acme, hugo, judy, restos):
    rule = services.topup_rule_set(
        company=acme, actor=hugo, kind="per_action", amount_cents="500", valid_from=date(2024, 1, 1)
    )
    participate(judy, restos)
    services.topups_accrue(company=acme)
    with pytest.raises(DomainError):
        services.topup_rule_set(
            company=acme,
            actor=hugo,
            rule=rule,
            kind="per_action",
            amount_cents=900,
            valid_from=date(2024, 1, 1),
        )
    ended = services.topup_rule_end(rule=rule, actor=hugo, on=date(2024, 6, 14))
    assert ended.valid_until == date(2024, 6, 14)


def test_it_validates_rules(acme, hugo):
    with pytest.raises(ValidationError):
        services.topup_rule_set(
            company=acme, actor=hugo, kind="donation_match", valid_from=date(2024, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.topup_rule_set(
            company=acme,
            actor=hugo,
            kind="per_hour",
            amount_cents=100,
            valid_from=date(2024, 1, 2),
            valid_until=date(2024, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.topup_rule_set(
            company=acme, actor=hugo, kind="per_day", amount_cents=100, valid_from=date(2024, 1, 1)
        )
    assert not TopUpRule.objects.exists()


def test_it_records_donations_for_associations_only(acme, judy, restos, rival):
    donation = services.donation_record(
        employee=judy, association=restos, amount_cents="2500", actor=judy.user
    )
    assert donation.amount_cents == 2500
    with pytest.raises(ValidationError):
        services.donation_record(
            employee=judy, association=rival, amount_cents=100, actor=judy.user
        )
    assert donation.made_at == NOW


def test_it_checks_the_totals_a_page_shows_against_the_entries(acme, judy, restos):
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=100)
    services.topups_accrue(company=acme)
    totals = selectors.ledger_totals(acme)
    assert selectors.ledger_reconciles(acme, shown=totals)
    assert not selectors.ledger_reconciles(acme, shown=[])
