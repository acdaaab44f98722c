"""Lot photos over the API: upload (multipart), list and remove, for who may see the lot only.

sam administers the shop that gives the lot; alice's association was offered it; bob is a
volunteer of no organisation (project conftest).
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from entraide.api.tests.conftest import basic_client
from entraide.goods import services
from entraide.goods.models import Lot, LotPhoto
from entraide.goods.services.photos import MAX_BYTES
from entraide.goods.tests.factories import NeedFactory, OfferFactory, category
from entraide.goods.tests.photos import picture, upload
from entraide.organisations.models import Membership
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import BRUSSELS, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Store uploads in this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lot(alice) -> Lot:
    """Return an open lot of sam's shop, offered to alice's association."""
    sam = UserFactory.create(email="sam@example.org")
    shop = OrganisationFactory.create(
        kind="company", status="verified", lat=BRUSSELS[0], lon=BRUSSELS[1]
    )
    MembershipFactory(organisation=shop, user=sam, role=Membership.Role.ADMINISTRATOR)
    now = timezone.now()
    lot = services.lot_declare(
        actor=sam,
        channel="api",
        category=category("dry_food"),
        windows=[(now + timedelta(hours=1), now + timedelta(hours=4))],
        donor_organisation=shop,
        weight_kg=Decimal("20"),
        propose=False,
    )
    restos = OrganisationFactory.create(status="verified", lat=None, lon=None)
    MembershipFactory(organisation=restos, user=alice, role=Membership.Role.ADMINISTRATOR)
    OfferFactory.create(lot=lot, need=NeedFactory.create(organisation=restos), kg_proposed=5)
    return lot


def _url(lot: Lot, photo: LotPhoto | None = None) -> str:
    url = f"/api/goods/lots/{lot.pk}/photos/"
    return f"{url}{photo.pk}/" if photo is not None else url


def test_the_donor_uploads_a_photo_that_the_offered_association_lists(lot, as_alice):
    as_sam = basic_client("sam@example.org")

    created = as_sam.post(_url(lot), {"photo": upload(picture(size=(2000, 1000), gps=True))})
    listed = as_alice.get(_url(lot))

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["width"], body["height"], body["position"]) == (1600, 800, 0)
    assert body["url"] == f"http://testserver/api/goods/lots/{lot.pk}/photos/{body['id']}/"
    assert body["thumbnail_url"] == body["url"] + "?size=small"
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [body["id"]]


def test_the_api_serves_the_photo_and_its_thumbnail_to_who_may_see_the_lot(
    lot, as_alice, as_bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.lot_photo_add(
            lot=lot, upload=upload(picture(size=(2000, 1000))), actor=lot.created_by, channel="web"
        )

    full = as_alice.get(_url(lot, photo))
    small = as_alice.get(_url(lot, photo), {"size": "small"})

    assert (full.status_code, full["Content-Type"]) == (200, "image/jpeg")
    assert full["Cache-Control"] == "private, max-age=3600"
    assert Image.open(io.BytesIO(b"".join(full.streaming_content))).size == (1600, 800)
    assert Image.open(io.BytesIO(b"".join(small.streaming_content))).size == (320, 160)
    assert as_alice.get(_url(lot, photo), {"size": "huge"}).status_code == 400
    assert as_bob.get(_url(lot, photo)).status_code == 404


def test_others_get_a_404_and_the_association_may_not_remove(lot, as_alice, as_bob):
    photo = services.lot_photo_add(lot=lot, upload=upload(), actor=lot.created_by, channel="web")

    assert as_bob.get(_url(lot)).status_code == 404
    assert as_bob.post(_url(lot), {"photo": upload()}).status_code == 404
    assert as_bob.delete(_url(lot, photo)).status_code == 404
    assert as_alice.post(_url(lot), {"photo": upload()}).status_code == 403
    assert as_alice.delete(_url(lot, photo)).status_code == 403
    assert LotPhoto.objects.count() == 1


def test_the_donor_removes_a_photo(lot):
    photo = services.lot_photo_add(lot=lot, upload=upload(), actor=lot.created_by, channel="web")
    as_sam = basic_client("sam@example.org")

    assert as_sam.delete(_url(lot, photo)).status_code == 204
    assert as_sam.delete(_url(lot, photo)).status_code == 404
    assert not LotPhoto.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"photo": upload(b"not a picture at all")}, "photo", "not a photo we can read"),
        ({"photo": upload(picture("GIF", mode="P"))}, "photo", "JPEG, PNG, WebP"),
        ({}, "photo", "No file was submitted."),
        ({"photo": "just text"}, "photo", "not a file"),
    ],
)
def test_bad_uploads_get_a_400_by_field(lot, body, field, message):
    response = basic_client("sam@example.org").post(_url(lot), body, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not LotPhoto.objects.exists()


def test_a_fifth_photo_is_refused(lot):
    as_sam = basic_client("sam@example.org")
    for _ in range(4):
        assert as_sam.post(_url(lot), {"photo": upload()}).status_code == 201

    response = as_sam.post(_url(lot), {"photo": upload()}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "at most 4 photos" in response.json()["photo"][0]


def test_a_body_over_the_photo_limit_gets_a_413(lot):
    response = basic_client("sam@example.org").post(
        _url(lot),
        {"photo": upload(b"\xff\xd8" + b"x" * (MAX_BYTES + 100 * 1024))},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 413
    assert "send at most 8.1\xa0MB" in response.json()["detail"]


def test_a_json_body_is_told_to_send_a_file_and_plain_text_gets_a_415(lot):
    client = basic_client("sam@example.org")

    json = client.post(_url(lot), {"photo": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    text = client.post(_url(lot), "photo", content_type="text/plain")

    assert json.status_code == 400 and "not a file" in json.json()["photo"][0]
    assert text.status_code == 415
