"""Collection rounds over the API: plan, read the stops in order, re-plan, driver, cancel."""

from datetime import timedelta

import pytest

from entraide.api.tests.conftest import basic_client
from entraide.goods.models import CollectionRound, Pickup, RoundStatus
from entraide.goods.tests.test_rounds import _donor_offer
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(brussels, restos, alice, window):
    """Return accepted offers to restos from donors 6 and 2 km north of Brussels."""
    return [
        _donor_offer(brussels, restos, alice, window, name=name, north_km=km)
        for name, km in (("Far", 6), ("Near", 2))
    ]


def _body(window, offers, **changes):
    body = {
        "organisation": "les-restos",
        "offer_ids": [o.pk for o in offers],
        "starts_at": window[0].isoformat(),
        "ends_at": window[1].isoformat(),
        "vehicle": "Van",
        "capacity_kg": "500",
    }
    body.update(changes)
    return body


@pytest.fixture
def slug(restos):
    restos.slug = "les-restos"
    restos.save(update_fields=["slug"])
    return restos.slug


def _plan(window, offers):
    answer = basic_client("alice@example.org").post(
        "/api/goods/rounds/", _body(window, offers), format="json"
    )
    assert answer.status_code == 201, answer.json()
    return answer.json()


def test_the_association_plans_a_round_and_reads_its_stops_in_order(slug, alice, offers, window):
    planned = _plan(window, offers)

    assert planned["organisation"] == "les-restos" and planned["status"] == "planned"
    assert [s["donor"] for s in planned["stops"]] == ["Near", "Far"]
    assert [s["position"] for s in planned["stops"]] == [1, 2]
    assert planned["stops"][0]["kg_by_category"] == {"dry_food": 40}
    # Depot (1 km north) to the far donor (6 km north) and back.
    assert 9 < float(planned["distance_km"]) < 11
    read = basic_client("alice@example.org").get(f"/api/goods/rounds/{planned['id']}/")
    assert read.status_code == 200 and read.json() == planned
    listed = basic_client("alice@example.org").get("/api/goods/rounds/?organisation=les-restos")
    assert [r["id"] for r in listed.json()] == [planned["id"]]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"offer_ids": []}, "offer_ids"),
        ({"offer_ids": ["x"]}, "offer_ids"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"capacity_kg": "-3"}, "capacity_kg"),
        ({"capacity_kg": "NaN"}, "capacity_kg"),
        ({"vehicle": "v" * 121}, "vehicle"),
    ],
)
def test_bad_input_is_a_400_by_field_and_saves_nothing(slug, alice, offers, window, changes, field):
    answer = basic_client("alice@example.org").post(
        "/api/goods/rounds/", _body(window, offers, **changes), format="json"
    )

    assert answer.status_code == 400 and field in answer.json()
    assert not CollectionRound.objects.exists()


def test_a_round_backwards_a_week_long_or_too_heavy_is_refused(slug, alice, offers, window):
    client = basic_client("alice@example.org")
    backwards = _body(window, offers, ends_at=(window[0] - timedelta(hours=1)).isoformat())
    heavy = _body(window, offers, capacity_kg="10")
    week = _body(window, offers, ends_at=(window[0] + timedelta(days=7)).isoformat())

    assert client.post("/api/goods/rounds/", backwards, format="json").status_code == 400
    too_long = client.post("/api/goods/rounds/", week, format="json")
    assert too_long.status_code == 400 and "ends_at" in too_long.json()
    refused = client.post("/api/goods/rounds/", heavy, format="json")
    assert refused.status_code == 400 and "Far" in str(refused.json())
    assert not CollectionRound.objects.exists()


def test_only_the_association_plans_and_sees_its_rounds(slug, alice, offers, window):
    UserFactory.create(email="stranger@example.org")
    stranger = basic_client("stranger@example.org")

    assert (
        stranger.post("/api/goods/rounds/", _body(window, offers), format="json").status_code == 403
    )
    planned = _plan(window, offers)
    assert stranger.get(f"/api/goods/rounds/{planned['id']}/").status_code == 404
    assert stranger.get("/api/goods/rounds/?organisation=les-restos").status_code == 403
    assert stranger.get("/api/goods/rounds/?organisation=nobody").status_code == 404
    assert stranger.get("/api/goods/rounds/abc/").status_code == 404
    assert (
        basic_client("alice@example.org")
        .post("/api/goods/rounds/", _body(window, offers), format="json")
        .status_code
        == 409
    )  # the same offers are in the first round already


def test_the_driver_is_named_and_sees_the_round_in_their_list(slug, alice, offers, window):
    UserFactory.create(email="dan@example.org", first_name="Dan", last_name="Driver")
    planned = _plan(window, offers)
    url = f"/api/goods/rounds/{planned['id']}/driver/"

    assert (
        basic_client("alice@example.org").post(url, {"email": "x"}, format="json").status_code
        == 400
    )
    named = basic_client("alice@example.org").post(url, {"email": "dan@example.org"}, format="json")

    assert named.status_code == 200 and named.json()["driver"] == "Dan Driver"
    mine = basic_client("dan@example.org").get("/api/goods/rounds/")
    assert [r["id"] for r in mine.json()] == [planned["id"]]
    # The driver records stops but does not re-plan the round.
    replan = {"offer_ids": [offers[0].pk]}
    refused = basic_client("dan@example.org").post(
        f"/api/goods/rounds/{planned['id']}/replan/", replan, format="json"
    )
    assert refused.status_code == 403


def test_replan_drops_a_donor_and_cancel_needs_a_reason(slug, alice, offers, window):
    planned = _plan(window, offers)
    client = basic_client("alice@example.org")

    replanned = client.post(
        f"/api/goods/rounds/{planned['id']}/replan/", {"offer_ids": [offers[0].pk]}, format="json"
    )
    assert replanned.status_code == 200
    assert [s["donor"] for s in replanned.json()["stops"]] == ["Far"]

    cancel = f"/api/goods/rounds/{planned['id']}/cancel/"
    assert client.post(cancel, {}, format="json").status_code == 400
    cancelled = client.post(cancel, {"reason": "Van broken"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == RoundStatus.CANCELLED
    assert cancelled.json()["stops"] == [] and not Pickup.objects.exists()
    assert client.post(cancel, {"reason": "again"}, format="json").status_code == 409
