"""The move of the top-up ledger onto the money ledger keeps every row's meaning: each entry
gets one balanced transaction with its amount, date, author and time, and what the money
ledger says is due is accrued − paid − reversed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("companies", "0003_employee_invitations"), ("money", "0002_alter_transaction_kind")]
AFTER = [("companies", "0005_topups_onto_money_ledger")]
WHEN = datetime.datetime(2025, 3, 4, 10, 30, tzinfo=datetime.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_it_posts_each_entry_with_its_meaning_and_back():
    try:
        old = _migrate(BEFORE)
        lyon = old.get_model("organisations", "Territory").objects.create(name="Lyon", country="FR")
        organisation = old.get_model("organisations", "Organisation").objects
        acme = organisation.create(
            name="Acme", slug="acme", kind="company", town="Lyon", territory=lyon
        )
        restos = organisation.create(
            name="Restos", slug="restos", kind="association", town="Lyon", territory=lyon
        )
        ledger = old.get_model("companies", "LedgerEntry").objects
        rows = {}
        for kind, cents in (("accrued", 1_000), ("paid", 300), ("reversed", 200)):
            rows[kind] = ledger.create(
                company=acme,
                association=restos,
                kind=kind,
                amount_cents=cents,
                occurred_on=datetime.date(2025, 3, 1) if kind == "accrued" else None,
                note=f"{kind} note",
            )
        ledger.filter(pk=rows["paid"].pk).update(created_at=WHEN)

        new = _migrate(AFTER)
        entries = new.get_model("companies", "LedgerEntry").objects
        money_entry = new.get_model("money", "Entry").objects
        moved = {kind: entries.get(pk=row.pk) for kind, row in rows.items()}
        kinds = {k: (e.transaction.kind, e.transaction.memo) for k, e in moved.items()}
        assert kinds == {
            "accrued": ("topup", "accrued note"),
            "paid": ("topup_payment", "paid note"),
            "reversed": ("topup_correction", "reversed note"),
        }
        assert moved["accrued"].transaction.occurred_on == datetime.date(2025, 3, 1)
        assert moved["paid"].transaction.created_at == WHEN
        assert moved["paid"].transaction.occurred_on == WHEN.date()
        for entry in moved.values():
            amounts = sorted(
                money_entry.filter(transaction=entry.transaction).values_list(
                    "amount_cents", flat=True
                )
            )
            assert amounts == [-entry.amount_cents, entry.amount_cents]
        balances = {
            key: sum(money_entry.filter(account__key=key).values_list("amount_cents", flat=True))
            for key in (
                f"company:{acme.pk}",
                f"topup_due:{acme.pk}:{restos.pk}",
                f"organisation:{restos.pk}",
            )
        }
        assert list(balances.values()) == [-800, 500, 300]

        back = _migrate(BEFORE)
        assert not back.get_model("money", "Transaction").objects.exists()
        assert back.get_model("companies", "LedgerEntry").objects.count() == 3
    finally:
        _migrate(_latest())
