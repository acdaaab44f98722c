"""Bounds on what companies enter: amounts, rates, caps and hours, refused with a field error."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from entraide.companies import services
from entraide.companies.forms import DonationForm, PaymentForm, TopUpRuleForm
from entraide.companies.models import LedgerEntry, TopUpRule
from entraide.companies.tests.factories import TopUpRuleFactory, participate

START = date(2024, 1, 1)


def _field_error(call, field: str) -> str:
    with pytest.raises(ValidationError) as excinfo:
        call()
    return " ".join(excinfo.value.message_dict[field])


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "per_hour", "amount_cents": 1_000_001}, "amount_cents"),
        ({"kind": "per_action", "amount_cents": "99999999999999999999999"}, "amount_cents"),
        ({"kind": "per_action", "amount_cents": 100, "cap_cents": 100_000_001}, "cap_cents"),
        ({"kind": "donation_match", "match_percent": 1001}, "match_percent"),
        ({"kind": "donation_match", "match_percent": 10**30}, "match_percent"),
        ({"kind": "donation_match", "match_percent": "-5"}, "match_percent"),
        ({"kind": "donation_match", "match_percent": "half"}, "match_percent"),
        ({"kind": "donation_match", "match_percent": 12.5}, "match_percent"),
    ],
)
def test_it_refuses_rules_beyond_the_bounds(acme, hugo, values, field):
    message = _field_error(
        lambda: services.topup_rule_set(company=acme, actor=hugo, valid_from=START, **values),
        field,
    )
    assert message
    assert not TopUpRule.objects.exists()


def test_it_accepts_rules_at_the_bounds(acme, hugo):
    per_hour = services.topup_rule_set(
        company=acme,
        actor=hugo,
        kind="per_hour",
        amount_cents=1_000_000,
        cap_cents=100_000_000,
        valid_from=START,
    )
    match = services.topup_rule_set(
        company=acme, actor=hugo, kind="donation_match", match_percent="1000", valid_from=START
    )
    assert (per_hour.amount_cents, per_hour.cap_cents, match.match_percent) == (
        1_000_000,
        100_000_000,
        1000,
    )


def test_it_says_the_bound_in_the_readers_language(acme, hugo):
    def call():
        services.topup_rule_set(
            company=acme, actor=hugo, kind="per_hour", amount_cents=10**9, valid_from=START
        )

    with translation.override("en"):
        assert _field_error(call, "amount_cents") == "The amount cannot be more than €10,000.00."
    with translation.override("fr"):
        assert "10\u202f000,00\xa0€" in _field_error(call, "amount_cents")
    with translation.override("nl"):
        assert "€\xa010.000,00" in _field_error(call, "amount_cents")


def test_it_refuses_donations_payments_and_reversals_beyond_the_bound(acme, hugo, judy, restos):
    too_much = 100_000_001
    assert _field_error(
        lambda: services.donation_record(
            employee=judy, association=restos, amount_cents=too_much, actor=hugo
        ),
        "amount_cents",
    )
    participate(judy, restos)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=500)
    services.topups_accrue(company=acme)
    for record in (services.topup_pay, services.topup_reverse):
        message = _field_error(
            lambda record=record: record(
                company=acme, association=restos, amount_cents=too_much, actor=hugo, note="x"
            ),
            "amount_cents",
        )
        assert "1,000,000" in message
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize("hours", ["2000.01", "1e999999", 10**40])
def test_it_refuses_a_yearly_allowance_beyond_a_working_year(acme, hugo, hours):
    assert _field_error(
        lambda: services.company_profile_set(
            company=acme, actor=hugo, yearly_allowance_hours=hours
        ),
        "yearly_allowance_hours",
    )
    acme.company_profile.refresh_from_db()
    assert acme.company_profile.yearly_allowance_hours == Decimal("14.00")


def test_it_accepts_a_working_year_of_allowance(acme, hugo):
    profile = services.company_profile_set(company=acme, actor=hugo, yearly_allowance_hours="2000")
    assert profile.yearly_allowance_hours == Decimal("2000.00")


def test_the_forms_stop_amounts_beyond_the_bounds(judy, restos):
    rule = TopUpRuleForm(
        {"kind": "per_hour", "amount": "10000.01", "cap": "1000000.01", "valid_from": "2024-01-01"}
    )
    assert set(rule.errors) == {"amount", "cap"}
    assert TopUpRuleForm(
        {"kind": "donation_match", "match_percent": "1001", "valid_from": "2024-01-01"}
    ).errors.keys() == {"match_percent"}
    donation = DonationForm(
        {"employee": judy.pk, "association": restos.pk, "amount": "1000000.01"},
        employees=[judy],
        associations=[restos],
    )
    assert set(donation.errors) == {"amount"}
    payment = PaymentForm({"association": restos.pk, "amount": "1000000.01"}, associations=[restos])
    assert set(payment.errors) == {"amount"}
    assert TopUpRuleForm(
        {"kind": "per_hour", "amount": "10000", "cap": "1000000", "valid_from": "2024-01-01"}
    ).is_valid()
