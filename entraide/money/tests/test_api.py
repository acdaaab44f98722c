"""The API's funds: public funds and movements paged by key, contributions for fund staff
(recorded once per idempotency key), and refusals as documented."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.money.models import Contribution

pytestmark = pytest.mark.django_db


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "contributor_kind": "company",
        "contributor_name": "Coopérative",
        "amount_cents": 10_000,
        "received_on": timezone.localdate().isoformat(),
    }
    body.update(changes)
    return body


def test_anybody_reads_a_fund_and_its_balance(fund, fiona):
    _as(fiona).post(f"/api/funds/{fund.slug}/contributions/", _body(), format="json")

    [listed] = APIClient().get("/api/funds/").json()
    detail = APIClient().get(f"/api/funds/{fund.slug}/").json()

    assert listed["slug"] == fund.slug
    assert (detail["balance_cents"], detail["cap_cents"], detail["currency"]) == (
        10_000,
        150_000,
        "EUR",
    )
    assert APIClient().get("/api/funds/nope/").status_code == 404


def test_movements_are_paged_by_key(fund, fiona):
    client = _as(fiona)
    for cents in (100, 200, 300):
        client.post(
            f"/api/funds/{fund.slug}/contributions/", _body(amount_cents=cents), format="json"
        )

    first = APIClient().get(f"/api/funds/{fund.slug}/movements/?limit=2").json()
    second = (
        APIClient()
        .get(f"/api/funds/{fund.slug}/movements/?limit=2&before={first['next_before']}")
        .json()
    )

    assert [m["amount_cents"] for m in first["results"] + second["results"]] == [300, 200, 100]
    assert second["next_before"] is None
    assert APIClient().get(f"/api/funds/{fund.slug}/movements/?before=x").status_code == 400


def test_a_retried_call_records_the_contribution_once(fund, fiona):
    client = _as(fiona)
    url = f"/api/funds/{fund.slug}/contributions/"

    first = client.post(url, _body(idempotency_key="call-1"), format="json")
    again = client.post(url, _body(idempotency_key="call-1"), format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Contribution.objects.count() == 1
    assert [c["amount_cents"] for c in client.get(url).json()] == [10_000]


@pytest.mark.parametrize("amount", [0, -5, 12.5, "dix", 10**12])
def test_it_refuses_bad_amounts(fund, fiona, amount):
    answer = _as(fiona).post(
        f"/api/funds/{fund.slug}/contributions/", _body(amount_cents=amount), format="json"
    )

    assert answer.status_code == 400
    assert "amount_cents" in answer.json()
    assert not Contribution.objects.exists()


def test_only_the_funds_staff_see_and_record_contributions(fund, eve):
    url = f"/api/funds/{fund.slug}/contributions/"

    assert APIClient().get(url).status_code == 401
    assert _as(eve).get(url).status_code == 403
    assert _as(eve).post(url, _body(), format="json").status_code == 403
    assert not Contribution.objects.exists()
