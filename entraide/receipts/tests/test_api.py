"""Receipts over the API: list, issue, cancel, PDF; refusals are 400/403/404/409, never 500."""

import pytest

from entraide.api.tests.conftest import basic_client
from entraide.receipts.models import Receipt
from entraide.receipts.tests.helpers import received_pickup

pytestmark = pytest.mark.django_db


def test_it_issues_lists_cancels_and_serves_the_pdf(shop, sam, paris, pierre, window):
    pickup = received_pickup(shop, sam, paris, pierre, window, kg="40", taken="20")
    api = basic_client(pierre.email)

    issued = api.post("/api/receipts/", {"pickup": pickup.pk}, format="json")
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert body["number"] == 1 and body["value_cents"] == 3000
    assert body["lines"][0]["kg"] == "20.00"
    assert api.post("/api/receipts/", {"pickup": pickup.pk}, format="json").status_code == 409

    listed = api.get("/api/receipts/", {"organisation": paris.slug})
    assert [r["reference"] for r in listed.json()] == [body["reference"]]

    pdf = api.get(f"/api/receipts/{body['id']}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    url = f"/api/receipts/{body['id']}/cancel/"
    assert api.post(url, {"reason": ""}, format="json").status_code == 400
    cancelled = api.post(url, {"reason": "Wrong value"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["is_cancelled"] is True
    assert api.post(url, {"reason": "Again"}, format="json").status_code == 409


def test_it_refuses_strangers_and_bad_input(shop, sam, paris, pierre, alice, window):
    pickup = received_pickup(shop, sam, paris, pierre, window)
    api = basic_client(alice.email)
    assert api.post("/api/receipts/", {"pickup": pickup.pk}, format="json").status_code == 403
    assert api.get("/api/receipts/", {"organisation": paris.slug}).status_code == 403
    assert api.get("/api/receipts/", {"organisation": "nope"}).status_code == 404
    assert api.get("/api/receipts/").status_code == 400
    assert api.post("/api/receipts/", {"pickup": "x"}, format="json").status_code == 400
    assert api.post("/api/receipts/", {"pickup": 999999}, format="json").status_code == 404
    assert api.get("/api/receipts/abc/pdf/").status_code == 404
    owner = basic_client(pierre.email)
    receipt_id = owner.post("/api/receipts/", {"pickup": pickup.pk}, format="json").json()["id"]
    assert api.get(f"/api/receipts/{receipt_id}/pdf/").status_code == 404
    assert api.post(f"/api/receipts/{receipt_id}/cancel/", {"reason": "x"}).status_code == 404
    # The donor may read its receipt but not cancel it.
    donor = basic_client(sam.email)
    assert donor.get(f"/api/receipts/{receipt_id}/pdf/").status_code == 200
    assert donor.post(f"/api/receipts/{receipt_id}/cancel/", {"reason": "x"}).status_code == 403
    assert Receipt.objects.filter(cancelled_at__isnull=True).count() == 1
