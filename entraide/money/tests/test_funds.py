"""Funds: contributions recorded by staff (once, even when sent twice), the public page with
every movement paged by key, and the open data, which never names an individual who did not
agree to it."""

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from entraide.core.errors import PermissionDeniedError
from entraide.money import selectors, services
from entraide.money.models import Contribution, Fund, Transaction

pytestmark = pytest.mark.django_db


def _contribute(fund: Fund, actor, cents: object = 50_000, **kwargs: object) -> Contribution:
    values: dict[str, Any] = {
        "contributor_kind": "company",
        "contributor_name": "Coopérative Laitière",
        "received_on": timezone.localdate(),
        "bank_reference": "VIR 2026-118",
    }
    values.update(kwargs)
    return services.contribution_record(
        fund=fund, amount_cents=cents, actor=actor, channel="web", **values
    )


def test_it_posts_a_contribution_to_the_funds_account(fund, fiona):
    contribution = _contribute(fund, fiona)

    assert contribution.transaction.kind == Transaction.Kind.CONTRIBUTION
    assert selectors.fund_totals(fund) == {"received": 50_000, "spent": 0, "balance": 50_000}
    assert selectors.reconcile() == []


def test_it_records_once_when_sent_twice_with_one_key(fund, fiona):
    first = _contribute(fund, fiona, idempotency_key="form-1")
    again = _contribute(fund, fiona, idempotency_key="form-1")

    assert again == first
    assert Contribution.objects.count() == 1
    assert selectors.fund_totals(fund)["balance"] == 50_000


def test_only_the_funds_staff_record_contributions(fund, eve):
    with pytest.raises(PermissionDeniedError):
        _contribute(fund, eve)

    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cents": 0}, "amount_cents"),
        ({"cents": -100}, "amount_cents"),
        ({"cents": "12.5"}, "amount_cents"),
        ({"cents": "beaucoup"}, "amount_cents"),
        ({"contributor_name": "  "}, "contributor_name"),
        ({"contributor_kind": "alien"}, "contributor_kind"),
        ({"received_on": datetime.date(2999, 1, 1)}, "received_on"),
    ],
)
def test_it_refuses_bad_contributions_and_saves_nothing(fund, fiona, changes, field):
    cents = changes.pop("cents", 50_000)

    with pytest.raises(ValidationError) as caught:
        _contribute(fund, fiona, cents, **changes)

    assert field in caught.value.message_dict
    assert not Transaction.objects.exists()


def test_a_fund_needs_its_rolling_windows_days(staff):
    with pytest.raises(ValidationError) as caught:
        services.fund_save(
            fund=Fund(
                name="F", slug="f", purpose="p", eligibility="e", cap_window=Fund.Window.ROLLING
            ),
            actor=staff,
        )

    assert "cap_window_days" in caught.value.message_dict


def test_the_staff_page_records_a_contribution_once_when_submitted_twice(client, fund, fiona):
    client.force_login(fiona)
    url = reverse("money:staff", args=[fund.slug])
    page = client.get(url)
    key = page.context["form"].initial["idempotency_key"]
    data = {
        "contributor_kind": "individual",
        "contributor_name": "Jeanne Martin",
        "amount": "1 250,50",
        "received_on": timezone.localdate().isoformat(),
        "bank_reference": "VIR 77",
        "idempotency_key": key,
    }

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302

    assert Contribution.objects.get().amount_cents == 125_050


def test_the_staff_page_shows_bad_amounts_on_the_form(client, fund, fiona):
    client.force_login(fiona)
    url = reverse("money:staff", args=[fund.slug])

    page = client.post(
        url,
        {
            "contributor_kind": "company",
            "contributor_name": "Coop",
            "amount": "0",
            "received_on": timezone.localdate().isoformat(),
        },
    )

    assert page.status_code == 200
    assert page.context["form"].errors["amount"]
    assert not Contribution.objects.exists()


def test_the_staff_page_is_hidden_from_others(client, fund, eve):
    client.force_login(eve)

    assert client.get(reverse("money:staff", args=[fund.slug])).status_code == 404


def test_the_public_page_names_companies_but_not_individuals_without_consent(client, fund, fiona):
    _contribute(fund, fiona)
    _contribute(fund, fiona, 2_000, contributor_kind="individual", contributor_name="Jeanne Secret")
    _contribute(
        fund,
        fiona,
        3_000,
        contributor_kind="individual",
        contributor_name="Paul Public",
        name_is_public=True,
    )

    page = client.get(reverse("money:fund", args=[fund.slug])).content.decode()

    assert "Coopérative Laitière" in page
    assert "Paul Public" in page
    assert "Jeanne Secret" not in page
    assert "VIR 2026-118" not in page


def test_the_public_page_pages_movements_by_key(client, fund, fiona, monkeypatch):
    monkeypatch.setattr(selectors, "MOVEMENTS_PAGE", 2)
    for cents in (100, 200, 300, 400, 500):
        _contribute(fund, fiona, cents)
    url = reverse("money:fund", args=[fund.slug])

    first = client.get(url).context
    second = client.get(url, {"before": first["next_key"]}).context
    third = client.get(url, {"before": second["next_key"]}).context

    seen = [
        entry.amount_cents for page in (first, second, third) for entry, _other in page["movements"]
    ]
    assert seen == [500, 400, 300, 200, 100]
    assert third["next_key"] is None


def test_the_open_data_lists_every_movement_without_private_names(client, fund, fiona):
    _contribute(fund, fiona)
    hidden = _contribute(
        fund, fiona, 2_000, contributor_kind="individual", contributor_name="Jeanne Secret"
    )
    services.transaction_reverse(original=hidden.transaction, actor=fiona, channel="web")

    body = client.get(reverse("money:movements_csv", args=[fund.slug]))
    rows = list(csv.DictReader(io.StringIO(b"".join(body.streaming_content).decode("utf-8-sig"))))
    data = json.loads(client.get(reverse("money:movements_json", args=[fund.slug])).content)

    assert [(r["Direction"], r["Amount"], r["Transaction Kind"]) for r in rows] == [
        ("in", "500", "contribution"),
        ("in", "20", "contribution"),
        ("out", "20", "reversal"),
    ]
    assert rows[2]["Reverses"] == rows[1]["Identifier"]
    assert rows[1]["Funding Org:Name"] == "An individual"
    assert [m["Amount (cents)"] for m in data["movements"]] == [-2_000, 2_000, 50_000]
    assert "Jeanne Secret" not in json.dumps(data) + str(rows)


def test_the_public_page_speaks_dutch(client, fund, fiona):
    _contribute(fund, fiona, contributor_kind="individual", contributor_name="Jeanne Secret")

    with translation.override("nl"):
        text = client.get(reverse("money:fund", args=[fund.slug])).content.decode()

    assert "Alle bewegingen, in en uit" in text
    assert "Een particulier" in text
