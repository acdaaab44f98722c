"""Goods over the API: every endpoint's answer, and bad input refused with 400, never a 500.

shop    "Boulangerie" (a verified company); sam administers it
restos  "Les Restos" (a verified association with a cold room); alice administers it
bob     a volunteer of no organisation; charlie an operator; dave staff (project conftest)
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from entraide.api.tests.conftest import basic_client
from entraide.goods.models import GoodsMovement, Lot, MovementKind, Pickup
from entraide.goods.tests.factories import NeedFactory, OfferFactory, category
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(db):
    return UserFactory(email="sam@example.org")


@pytest.fixture
def shop(sam) -> Organisation:
    shop = OrganisationFactory.create(
        name="Boulangerie", slug="boulangerie", kind="company", status="verified"
    )
    MembershipFactory(organisation=shop, user=sam, role=Membership.Role.ADMINISTRATOR)
    return shop


@pytest.fixture
def restos(alice) -> Organisation:
    restos = OrganisationFactory.create(name="Les Restos", slug="restos", status="verified")
    MembershipFactory(organisation=restos, user=alice, role=Membership.Role.ADMINISTRATOR)
    return restos


def _window() -> dict[str, str]:
    now = timezone.now()
    return {
        "starts_at": (now + timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=4)).isoformat(),
    }


def _lot_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "category": "bakery",
        "donor_organisation": "boulangerie",
        "weight_kg": "40",
        "windows": [_window()],
    }
    body.update(changes)
    return body


def _declare(client, **changes):
    return client.post("/api/goods/lots/", _lot_body(**changes), format="json")


def _offer(shop, restos, kg=20):
    lot = Lot.objects.get(pk=_declare(basic_client("sam@example.org")).json()["id"])
    need = NeedFactory.create(organisation=restos, category=lot.category, kg=kg)
    return OfferFactory.create(lot=lot, need=need, kg_proposed=kg)


def test_it_lists_the_categories_to_anybody(anon):
    answer = anon.get("/api/goods/categories/")

    assert answer.status_code == 200
    assert "bakery" in [c["code"] for c in answer.json()]


def test_it_declares_a_lot_for_the_shop(shop, sam):
    answer = _declare(basic_client(sam.email))

    assert answer.status_code == 201, answer.json()
    lot = Lot.objects.get(pk=answer.json()["id"])
    assert lot.channel == "api" and lot.donor_organisation == shop
    assert GoodsMovement.objects.get(lot=lot).kind == MovementKind.DECLARED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "gold"}, "category"),
        ({"weight_kg": "-1"}, "weight_kg"),
        ({"weight_kg": None}, "weight_kg"),
        ({"windows": []}, "windows"),
        ({"windows": [{"starts_at": "soon"}]}, "windows"),
        ({"use_by": "2001-01-01"}, "use_by"),
        ({"category": "frozen"}, "cold_chain"),
        ({"lat": 95, "lon": 4.35}, "lat"),
        ({"lat": 50.85}, "lon"),
        ({"lat": "north", "lon": 4.35}, "lat"),
    ],
)
def test_it_refuses_a_bad_lot_by_field(shop, sam, changes, field):
    answer = _declare(basic_client(sam.email), **changes)

    assert answer.status_code == 400
    assert field in answer.json()
    assert not Lot.objects.exists()


def test_a_position_given_wins_over_the_town(shop, sam):
    answer = _declare(basic_client(sam.email), town="Liège", lat=50.8333, lon=4.3667)

    assert answer.status_code == 201, answer.json()
    lot = Lot.objects.get()
    assert (lot.lat, lot.lon, lot.town) == (50.8333, 4.3667, "Liège")


def test_it_refuses_a_lot_for_someone_elses_shop(shop, as_bob):
    assert _declare(as_bob).status_code == 403
    assert _declare(as_bob, donor_organisation="nowhere").status_code == 404


def test_it_lists_lots_near_a_place(shop, sam, as_bob):
    _declare(basic_client(sam.email))

    answer = as_bob.get("/api/goods/lots/", {"lat": 50.8467, "lon": 4.3525, "radius_km": 5})

    assert answer.status_code == 200
    assert [row["lot"]["category"] for row in answer.json()] == ["bakery"]


@pytest.mark.parametrize(
    "query", [{}, {"lat": "x", "lon": 4}, {"lat": 50, "lon": 4, "radius_km": 0}]
)
def test_it_refuses_a_bad_place(as_bob, query):
    assert as_bob.get("/api/goods/lots/", query).status_code == 400


def test_it_cancels_a_lot(shop, sam, as_bob):
    client = basic_client(sam.email)
    lot_id = _declare(client).json()["id"]

    assert as_bob.post(f"/api/goods/lots/{lot_id}/cancel/", {}).status_code == 403
    answer = client.post(f"/api/goods/lots/{lot_id}/cancel/", {"reason": "Sold"})

    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    assert client.post(f"/api/goods/lots/{lot_id}/cancel/", {}).status_code == 409
    assert client.post("/api/goods/lots/999999/cancel/", {}).status_code == 404
    assert client.post("/api/goods/lots/abc/cancel/", {}).status_code == 404


def test_it_declares_and_lists_needs(restos, as_alice, as_bob):
    body = {
        "organisation": "restos",
        "category": "dry_food",
        "kg": 30,
        "by_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "radius_km": "8",
    }

    answer = as_alice.post("/api/goods/needs/", body, format="json")

    assert answer.status_code == 201, answer.json()
    assert as_alice.get("/api/goods/needs/", {"organisation": "restos"}).json()[0]["kg"] == 30
    assert as_bob.post("/api/goods/needs/", body, format="json").status_code == 403
    assert as_bob.get("/api/goods/needs/", {"organisation": "restos"}).status_code == 403
    assert as_alice.get("/api/goods/needs/").status_code == 400
    bad = as_alice.post("/api/goods/needs/", {**body, "kg": 0, "by_date": "x"}, format="json")
    assert bad.status_code == 400 and {"kg", "by_date"} <= set(bad.json())


def test_it_accepts_part_of_an_offer_and_lists_what_waits(shop, restos, as_alice, as_bob):
    offer = _offer(shop, restos, kg=20)

    assert (
        as_alice.get("/api/goods/offers/", {"organisation": "restos"}).json()[0]["id"] == offer.pk
    )
    assert as_bob.post(f"/api/goods/offers/{offer.pk}/accept/", {}).status_code == 403
    assert as_alice.post(f"/api/goods/offers/{offer.pk}/accept/", {"kg": 21}).status_code == 400
    answer = as_alice.post(f"/api/goods/offers/{offer.pk}/accept/", {"kg": 20})

    assert answer.status_code == 200 and answer.json()["kg_accepted"] == 20
    assert as_alice.post(f"/api/goods/offers/{offer.pk}/accept/", {}).status_code == 409


def test_it_declines_an_offer_with_a_reason(shop, restos, as_alice):
    offer = _offer(shop, restos)

    assert as_alice.post(f"/api/goods/offers/{offer.pk}/decline/", {}).status_code == 400
    answer = as_alice.post(
        f"/api/goods/offers/{offer.pk}/decline/",
        {"decline_reason": "other", "note": "Closed this week"},
    )

    assert answer.status_code == 200 and answer.json()["decline_reason"] == "other"


def test_it_plans_records_and_confirms_a_pickup(shop, restos, as_alice, dave):
    offer = _offer(shop, restos)
    as_alice.post(f"/api/goods/offers/{offer.pk}/accept/", {})
    window = offer.lot.windows.get()
    slot = {
        "offer_ids": [offer.pk],
        "starts_at": (window.starts_at + timedelta(minutes=15)).isoformat(),
        "ends_at": (window.starts_at + timedelta(minutes=45)).isoformat(),
        "mode": "self",
    }

    assert (
        as_alice.post(
            "/api/goods/pickups/", {**slot, "offer_ids": [999999]}, format="json"
        ).status_code
        == 404
    )
    assert (
        as_alice.post("/api/goods/pickups/", {**slot, "mode": "boat"}, format="json").status_code
        == 400
    )
    planned = as_alice.post("/api/goods/pickups/", slot, format="json")
    assert planned.status_code == 201, planned.json()
    pickup_id = planned.json()["id"]
    bad = as_alice.post(
        f"/api/goods/pickups/{pickup_id}/record/", {"collected": {"bakery": "x"}}, format="json"
    )
    assert bad.status_code == 400
    recorded = as_alice.post(
        f"/api/goods/pickups/{pickup_id}/record/", {"collected": {"bakery": "20"}}, format="json"
    )
    assert recorded.status_code == 200 and recorded.json()["status"] == "collected"
    received = as_alice.post(f"/api/goods/pickups/{pickup_id}/receipt/")
    assert received.status_code == 200 and received.json()["status"] == "received"
    assert as_alice.post(f"/api/goods/pickups/{pickup_id}/receipt/").status_code == 409
    assert Pickup.objects.get(pk=pickup_id).movements.filter(kind="received").exists()

    totals = basic_client(dave.email).get("/api/goods/totals/", {"by": "association"})

    assert totals.status_code == 200
    row = totals.json()[0]
    assert (row["name"], row["kg"], row["meals"]) == ("Les Restos", "20.00", "40")


def test_it_shows_totals_only_to_staff_or_the_organisation(restos, as_alice, as_bob):
    assert as_bob.get("/api/goods/totals/").status_code == 403
    assert as_bob.get("/api/goods/totals/", {"organisation": "restos"}).status_code == 403
    assert as_alice.get("/api/goods/totals/", {"organisation": "restos"}).status_code == 200
    assert (
        as_alice.get("/api/goods/totals/", {"organisation": "restos", "by": "x"}).status_code == 400
    )
    assert category("bakery").meal_factor_per_kg == 2
