"""Post every existing top-up ledger entry to the money ledger, keeping its meaning.

Each entry becomes one balanced money transaction, oldest first, with the same amount, date,
author and time of recording:

- accrued:  the company's budget → what is due to the association (kind "topup");
- paid:     what is due → the association's account (kind "topup_payment");
- reversed: what is due → back to the company's budget (kind "topup_correction").

So what the money ledger says is due to each association is accrued − paid − reversed, as
before. The account keys are those of entraide.money.services (written out here because a
migration must not depend on today's code). Historical models have plain managers, which is
how the recorded time can be copied onto the append-only rows.
"""

from django.db import migrations

KINDS = {"accrued": "topup", "paid": "topup_payment", "reversed": "topup_correction"}


def _account(Account, cache, *, key, kind, name, organisation_id, may_go_negative=False):
    if key not in cache:
        cache[key], _ = Account.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "name": name[:200],
                "currency": "EUR",
                "organisation_id": organisation_id,
                "may_go_negative": may_go_negative,
            },
        )
    return cache[key]


def forwards(apps, schema_editor):
    LedgerEntry = apps.get_model("companies", "LedgerEntry")
    Account = apps.get_model("money", "Account")
    Transaction = apps.get_model("money", "Transaction")
    Entry = apps.get_model("money", "Entry")
    cache = {}
    entries = (
        LedgerEntry.objects.filter(transaction__isnull=True)
        .select_related("company", "association")
        .order_by("created_at", "id")
    )
    for row in entries.iterator():
        company, association = row.company, row.association
        budget = _account(
            Account,
            cache,
            key=f"company:{company.pk}",
            kind="company_budget",
            name=company.name,
            organisation_id=company.pk,
            may_go_negative=True,
        )
        due = _account(
            Account,
            cache,
            key=f"topup_due:{company.pk}:{association.pk}",
            kind="company_budget",
            name=f"{company.name} → {association.name}",
            organisation_id=company.pk,
        )
        receiver = _account(
            Account,
            cache,
            key=f"organisation:{association.pk}",
            kind="organisation",
            name=association.name,
            organisation_id=association.pk,
        )
        source, destination = {
            "accrued": (budget, due),
            "paid": (due, receiver),
            "reversed": (due, budget),
        }[row.kind]
        posted = Transaction.objects.create(
            kind=KINDS[row.kind],
            currency="EUR",
            memo=row.note[:500],
            occurred_on=row.occurred_on or row.created_at.date(),
            actor_id=row.created_by_id,
            channel="system" if row.kind == "accrued" else "web",
        )
        Transaction.objects.filter(pk=posted.pk).update(created_at=row.created_at)
        Entry.objects.bulk_create(
            [
                Entry(transaction=posted, account=source, amount_cents=-row.amount_cents),
                Entry(transaction=posted, account=destination, amount_cents=row.amount_cents),
            ]
        )
        LedgerEntry.objects.filter(pk=row.pk).update(transaction=posted)


def backwards(apps, schema_editor):
    LedgerEntry = apps.get_model("companies", "LedgerEntry")
    Transaction = apps.get_model("money", "Transaction")
    Entry = apps.get_model("money", "Entry")
    posted = list(
        LedgerEntry.objects.filter(transaction__isnull=False).values_list("transaction", flat=True)
    )
    LedgerEntry.objects.filter(transaction__isnull=False).update(transaction=None)
    Entry.objects.filter(transaction__in=posted).delete()
    Transaction.objects.filter(pk__in=posted).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0004_ledgerentry_transaction"),
        ("money", "0002_alter_transaction_kind"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
