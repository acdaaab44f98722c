"""Top-up accrual: one bad rule or item writes nothing for itself only and is reported to HR."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse

from entraide.companies import services
from entraide.companies.jobs import accrue_topups
from entraide.companies.models import AccrualProblem, Donation, LedgerEntry, TopUpRule
from entraide.companies.tests.factories import (
    CompanyFactory,
    CompanyProfileFactory,
    DonationFactory,
    EmployeeFactory,
    TopUpRuleFactory,
    participate,
)
from entraide.notifications.models import Notification
from entraide.testing.faults import refused_writes

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Brussels"))
# What an integer column held before the bounds: PostgreSQL's is 32-bit, SQLite's 64-bit.
# Either way the accrual used to overflow (2·10⁹ × 3 h; 4·10¹⁸ × 3 h) and write nothing.
HUGE = {"postgresql": 2_000_000_000}.get(connection.vendor, 4 * 10**18)
HUGE_32 = 2_000_000_000


@pytest.fixture(autouse=True)
def _mid_june():
    with time_machine.travel(NOW, tick=False):
        yield


@contextmanager
def stored_before_the_bounds() -> Iterator[None]:
    """Let the block store rows beyond the bounds' CHECK constraints, as old rows are."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            bounded = [
                (model, next(c for c in model._meta.constraints if c.name == name))
                for model, name in (
                    (TopUpRule, "topup_rule_amounts_bounded"),
                    (Donation, "donation_amount_bounded"),
                )
            ]
            # A table with deferred foreign-key checks pending cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model, constraint in bounded:
                cursor.execute(
                    f"ALTER TABLE {model._meta.db_table} DROP CONSTRAINT {constraint.name}"  # noqa: S608
                )
            try:
                yield
            finally:
                # Back as the migration adds them: NOT VALID, the old rows stay unchecked.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                with connection.schema_editor(atomic=False) as editor:
                    for model, constraint in bounded:
                        cursor.execute(f"{constraint.create_sql(model, editor)} NOT VALID")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA ignore_check_constraints = 1")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = 0")


def _accrue_in_two_workers_at_once(company) -> list[int]:
    """Run the accrual in two threads (two connections) started together; return their counts."""
    barrier = threading.Barrier(2)
    counts: list[int] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for _attempt in range(500):
                try:
                    counts.append(len(services.topups_accrue(company=company)))
                    return
                except OperationalError as exc:
                    # SQLite's shared in-memory database says "locked" at once where a
                    # server would wait for the other transaction: wait and retry.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return sorted(counts)


def _emails_to(user) -> list[Notification]:
    return list(Notification.objects.filter(template="topup_accrual_problems", recipient=user))


def test_it_accrues_the_other_rules_when_one_is_beyond_the_bounds(acme, hugo, judy, restos):
    participate(judy, restos)
    good = TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=500)
    with stored_before_the_bounds():
        bad = TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=HUGE)

    entries = services.topups_accrue(company=acme)

    assert [(e.rule, e.amount_cents) for e in entries] == [(good, 500)]
    (problem,) = AccrualProblem.objects.all()
    assert (problem.rule, problem.reason) == (bad, AccrualProblem.Reason.RULE_OUT_OF_BOUNDS)
    assert len(_emails_to(hugo)) == 1


def test_it_reports_a_problem_once_and_forgets_it_when_the_rule_is_corrected(
    acme, hugo, judy, restos
):
    participate(judy, restos)
    with stored_before_the_bounds():
        bad = TopUpRuleFactory.create(
            company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=100, cap_cents=HUGE_32
        )
    for _run in range(3):
        assert services.topups_accrue(company=acme) == []
    assert accrue_topups() == 0
    assert AccrualProblem.objects.count() == 1
    assert len(_emails_to(hugo)) == 1  # not one an hour

    services.topup_rule_set(
        company=acme,
        actor=hugo,
        rule=bad,
        kind="per_action",
        amount_cents=100,
        cap_cents=10_000,
        valid_from=bad.valid_from,
    )
    assert [e.amount_cents for e in services.topups_accrue(company=acme)] == [100]
    assert not AccrualProblem.objects.exists()
    assert services.topups_accrue(company=acme) == []


def test_it_accrues_the_other_donations_when_one_match_is_too_large(acme, hugo, judy, restos):
    TopUpRuleFactory.create(
        company=acme, kind=TopUpRule.Kind.DONATION_MATCH, amount_cents=0, match_percent=1000
    )
    small = DonationFactory.create(employee=judy, association=restos, amount_cents=1000)
    with stored_before_the_bounds():
        big = DonationFactory.create(employee=judy, association=restos, amount_cents=HUGE_32)

    entries = services.topups_accrue(company=acme)

    assert [(e.donation, e.amount_cents) for e in entries] == [(small, 10_000)]
    (problem,) = AccrualProblem.objects.all()
    assert (problem.donation, problem.reason) == (big, AccrualProblem.Reason.TOO_LARGE)


def test_it_writes_nothing_for_an_item_the_database_refuses_and_accrues_the_rest(
    acme, hugo, judy, ivy, restos
):
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=1000)
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_ACTION, amount_cents=50)
    refused = participate(judy, restos)
    participate(ivy, restos)
    participate(judy, restos, days_ago=3)

    with refused_writes("companies_ledgerentry", where=f"NEW.participation_id = {refused.pk}"):
        entries = services.topups_accrue(company=acme)

    assert len(entries) == 4
    assert not LedgerEntry.objects.filter(participation=refused).exists()
    problems = AccrualProblem.objects.order_by("rule")
    assert [(p.participation, p.reason) for p in problems] == [
        (refused, AccrualProblem.Reason.FAILED),
        (refused, AccrualProblem.Reason.FAILED),
    ]
    assert len(_emails_to(hugo)) == 1  # one email for the run's new problems

    # Once the database accepts it, the next run accrues it (only it) and clears the notice.
    assert len(services.topups_accrue(company=acme)) == 2
    assert not AccrualProblem.objects.exists()
    assert LedgerEntry.objects.count() == 6


def test_it_emails_again_only_about_new_problems(acme, hugo, judy, restos):
    TopUpRuleFactory.create(
        company=acme, kind=TopUpRule.Kind.DONATION_MATCH, amount_cents=0, match_percent=1000
    )
    with stored_before_the_bounds():
        DonationFactory.create(employee=judy, association=restos, amount_cents=HUGE_32)
    services.topups_accrue(company=acme)
    services.topups_accrue(company=acme)
    assert len(_emails_to(hugo)) == 1
    with stored_before_the_bounds():
        DonationFactory.create(employee=judy, association=restos, amount_cents=HUGE_32 - 1)
    services.topups_accrue(company=acme)
    (first, second) = sorted(_emails_to(hugo), key=lambda n: n.pk)
    assert (first.context["count"], second.context["count"]) == (1, 1)
    assert second.context["url"].endswith(reverse("companies:dashboard", args=["acme"]))


def test_it_shows_the_problems_on_the_dashboard(client, acme, hugo, judy, restos):
    participate(judy, restos)
    with stored_before_the_bounds():
        TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=HUGE)
    url = reverse("companies:dashboard", args=["acme"])
    client.force_login(hugo)
    assert 'id="accrual-problems"' not in client.get(url).content.decode()

    services.topups_accrue(company=acme)

    page = client.get(url).content.decode()
    assert 'id="accrual-problems"' in page
    assert "beyond what the platform accepts" in page


def test_the_job_accrues_every_other_company_when_one_fails(acme, hugo, judy, restos):
    other = CompanyFactory.create()
    CompanyProfileFactory.create(organisation=other)
    colleague = EmployeeFactory.create(company=other)
    participate(judy, restos)
    participate(colleague, restos)
    for company in (acme, other):
        TopUpRuleFactory.create(company=company, kind=TopUpRule.Kind.PER_ACTION, amount_cents=10)
    with stored_before_the_bounds():
        TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=HUGE)

    # acme's run fails as a whole (storing its problem is refused): it writes nothing.
    with refused_writes("companies_accrualproblem", where=f"NEW.company_id = {acme.pk}"):
        assert accrue_topups() == 1

    assert list(LedgerEntry.objects.values_list("company", flat=True)) == [other.pk]
    assert accrue_topups() == 1  # acme's good rule, on the next run
    assert AccrualProblem.objects.get().company == acme


def test_the_bounds_hold_in_the_database(acme):
    for values in ({"amount_cents": 1_000_001}, {"cap_cents": 100_000_001}):
        with pytest.raises(IntegrityError), transaction.atomic():
            TopUpRuleFactory.create(company=acme, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        TopUpRuleFactory.create(company=acme, kind="donation_match", match_percent=1001)


@pytest.mark.django_db(transaction=True)
def test_two_workers_accruing_at_once_write_each_entry_once(acme, hugo, judy, ivy, restos):
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=100)
    with stored_before_the_bounds():
        TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=HUGE)
    for employee in (judy, ivy, judy):
        participate(employee, restos)

    assert _accrue_in_two_workers_at_once(acme) == [0, 3]
    assert LedgerEntry.objects.count() == 3
    assert AccrualProblem.objects.count() == 1
    assert Notification.objects.filter(template="topup_accrual_problems").count() == 1


def test_it_accrues_rules_up_to_the_bounds(acme, judy, restos):
    TopUpRuleFactory.create(company=acme, kind=TopUpRule.Kind.PER_HOUR, amount_cents=1_000_000)
    participate(judy, restos, hours="24.00")
    TopUpRuleFactory.create(
        company=acme,
        kind=TopUpRule.Kind.DONATION_MATCH,
        amount_cents=0,
        match_percent=1000,
        valid_from=date(2020, 1, 1),
    )
    DonationFactory.create(employee=judy, association=restos, amount_cents=100_000_000)
    amounts = sorted(e.amount_cents for e in services.topups_accrue(company=acme))
    assert amounts == [24_000_000, 1_000_000_000]  # 240,000 € and 10,000,000 €
    assert not AccrualProblem.objects.exists()
