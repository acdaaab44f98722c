"""Daily balance snapshots: one per complete day, each chained to the day before, and a check
that reports the first day whose snapshot or ledger was rewritten."""

import datetime
import hashlib
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from entraide.money import jobs, services
from entraide.money.models import BalanceSnapshot
from entraide.money.snapshots import snapshot_missing_days, verify_chain
from entraide.money.tests.conftest import wallet

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _at(day: datetime.date, hour: int = 12) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)
    )


def _give(cents: int) -> None:
    services.transfer(
        kind="contribution",
        source=services.outside_account(),
        destination=wallet("fund"),
        amount_cents=cents,
        actor=None,
        channel="system",
    )


@pytest.fixture
def three_days():
    """Money moved on three days in a row; the snapshots are taken the morning after."""
    for offset, cents in enumerate((1_000, 250, 40)):
        with _at(DAY + datetime.timedelta(days=offset)):
            _give(cents)
    with _at(DAY + datetime.timedelta(days=3), hour=1):
        return snapshot_missing_days()


def test_it_snapshots_each_complete_day_chained_to_the_one_before(three_days):
    assert [s.day for s in three_days] == [DAY + datetime.timedelta(days=n) for n in range(3)]
    assert three_days[0].previous_digest == ""
    for before, after in zip(three_days, three_days[1:], strict=False):
        assert after.previous_digest == before.digest
    for snapshot in three_days:
        assert hashlib.sha256(snapshot.payload.encode()).hexdigest() == snapshot.digest
    last = json.loads(three_days[-1].payload)
    assert {a["account"]: a["cents"] for a in last["accounts"]} == {
        "fund": 1_290,
        "outside:EUR": -1_290,
    }
    assert verify_chain().checked == 3


def test_it_takes_nothing_twice(three_days):
    with _at(DAY + datetime.timedelta(days=3), hour=2):
        assert jobs.snapshot_balances() == 0
    assert BalanceSnapshot.objects.count() == 3


def test_it_reports_the_day_whose_ledger_was_rewritten(three_days):
    with connection.cursor() as cursor:  # behind the models' back, as an attacker would
        cursor.execute(
            "UPDATE money_entry SET amount_cents = amount_cents * 2 WHERE transaction_id = "
            "(SELECT MIN(id) + 1 FROM money_transaction)"
        )

    verdict = verify_chain()

    assert verdict.broken_day == DAY + datetime.timedelta(days=1)
    assert verdict.checked == 1
    assert "ledger" in verdict.reason


def test_it_reports_a_rewritten_snapshot(three_days):
    forged = three_days[0].payload.replace("1000", "9000")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE money_balancesnapshot SET payload = %s WHERE id = %s",
            [forged, three_days[0].pk],
        )

    assert verify_chain().broken_day == DAY


def test_it_reports_a_snapshot_rewritten_with_its_own_digest(three_days):
    forged = three_days[1].payload.replace("1250", "9250")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE money_balancesnapshot SET payload = %s, digest = %s WHERE id = %s",
            [forged, hashlib.sha256(forged.encode()).hexdigest(), three_days[1].pk],
        )

    # Its digest matches, so the next day's link (and the ledger) give it away.
    assert verify_chain().broken_day == DAY + datetime.timedelta(days=1)


def test_the_commands_take_and_verify_snapshots(three_days):
    out = StringIO()
    call_command("money_verify_snapshots", stdout=out)
    assert "3 day(s) verified" in out.getvalue()

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM money_balancesnapshot WHERE id = %s", [three_days[1].pk])
    with pytest.raises(CommandError, match=f"Broken on {DAY + datetime.timedelta(days=1)}"):
        call_command("money_verify_snapshots", stdout=StringIO())


def test_the_published_chain_checks_out_as_the_auditors_guide_says(client, three_days):
    data = json.loads(client.get(reverse("money:snapshots_json")).content)

    # The loop of docs/guide-auditor.md, with nothing but the standard library.
    previous = ""
    for snap in data["snapshots"]:
        assert hashlib.sha256(snap["payload"].encode()).hexdigest() == snap["digest"]
        assert snap["previous_digest"] == previous == json.loads(snap["payload"])["previous"]
        previous = snap["digest"]
    assert previous == three_days[-1].digest
    assert len(data["snapshots"]) == 3
