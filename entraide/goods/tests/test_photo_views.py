"""Lot photos on the pages: offered with the lot, shown to who may see the lot, 404 for others."""

from typing import Any

import pytest
from django.urls import reverse

from entraide.goods import services
from entraide.goods.models import Lot, LotPhoto
from entraide.goods.tests.helpers import declare, offer_for
from entraide.goods.tests.photos import picture, upload
from entraide.goods.tests.test_pages import _lot_post
from entraide.organisations.models import Organisation
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import BRUSSELS, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def photographed(shop, sam, window, django_capture_on_commit_callbacks) -> LotPhoto:
    """Return a photo of an open lot of the shop, its files written."""
    lot = declare(shop, sam, window, description="Pain du jour")
    with django_capture_on_commit_callbacks(execute=True):
        return services.lot_photo_add(lot=lot, upload=upload(), actor=sam, channel="web")


def _get(client: Any, user: Any, name: str, pk: int) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=[pk]))


def test_a_donor_offers_a_lot_with_its_photos(client, shop, sam, window, media):
    client.force_login(sam)
    photos = [upload(picture(size=(3000, 2000), gps=True)), upload(picture("PNG"), "b.png")]

    response = client.post(
        reverse("goods:lot_create", args=[shop.slug]), {**_lot_post(window), "photos": photos}
    )

    assert response.status_code == 302
    lot = Lot.objects.get()
    assert [(p.width, p.height) for p in lot.photos.all()] == [(1600, 1067), (200, 100)]
    page = client.get(reverse("goods:lots", args=[shop.slug])).content.decode()
    first = lot.photos.first()
    assert first is not None
    assert reverse("goods:lot_photo_thumbnail", args=[first.pk]) in page
    assert 'alt="Photo 1 of the lot: Dry food, Pâtes"' in page


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        ([upload(b"GIF89a not really")], "not a photo we can read"),
        ([upload() for _ in range(5)], "Choose at most 4 photos."),
    ],
    ids=["not-a-picture", "five"],
)
def test_a_bad_photo_offers_nothing(client, shop, sam, window, photos, message):
    client.force_login(sam)

    response = client.post(
        reverse("goods:lot_create", args=[shop.slug]), {**_lot_post(window), "photos": photos}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["photos"]
    assert not Lot.objects.exists() and not LotPhoto.objects.exists()


def test_a_weekly_lot_takes_its_photos_on_each_lot_page(client, shop, sam, window):
    client.force_login(sam)

    response = client.post(
        reverse("goods:lot_create", args=[shop.slug]),
        {**_lot_post(window, every_week="on"), "photos": [upload()]},
    )

    assert "on its own page" in response.context["form"].errors["photos"][0]
    assert not Lot.objects.exists()


def test_the_donor_adds_and_removes_photos_on_the_lot_page(
    client, sam, photographed, django_capture_on_commit_callbacks
):
    lot = photographed.lot
    client.force_login(sam)
    url = reverse("goods:lot", args=[lot.pk])

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(url, {"action": "add", "photos": [upload(), upload()]})
    page = client.get(url).content.decode()
    removed = client.post(url, {"action": "remove", "photo": photographed.pk})

    assert added.status_code == 302 and removed.status_code == 302
    assert 'alt="Photo 3 of the lot: Dry food, Pain du jour"' in page
    assert list(lot.photos.values_list("position", flat=True)) == [1, 2]


def test_the_lot_page_explains_a_refused_photo(client, sam, photographed):
    client.force_login(sam)
    url = reverse("goods:lot", args=[photographed.lot_id])

    empty = client.post(url, {"action": "add"})
    bad = client.post(url, {"action": "add", "photos": [upload(picture(size=(800, 600))[:400])]})

    assert "Choose a photo to add." in empty.content.decode()
    assert "damaged or cut short" in bad.content.decode()
    assert LotPhoto.objects.count() == 1


def test_the_offered_association_sees_the_photos_privately(client, alice, restos, photographed):
    offer = offer_for(photographed.lot, restos, kg=10)

    photo = _get(client, alice, "goods:lot_photo", photographed.pk)
    page = client.get(reverse("goods:association", args=[restos.slug])).content.decode()

    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["Cache-Control"] == "private, max-age=3600"
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"
    assert f"offer-{offer.pk}" in page
    assert reverse("goods:lot_photo_thumbnail", args=[photographed.pk]) in page


def test_an_association_nearby_sees_an_open_lot_but_not_once_it_is_cancelled(
    client, bob, sam, epicerie, photographed
):
    seen = _get(client, bob, "goods:lot_photo_thumbnail", photographed.pk)
    lot_page = client.get(reverse("goods:lot", args=[photographed.lot_id]))
    services.lot_cancel(lot=photographed.lot, actor=sam, channel="web")
    gone = client.get(reverse("goods:lot_photo", args=[photographed.pk]))

    assert seen.status_code == 200 and lot_page.status_code == 200
    assert "Remove photo" not in lot_page.content.decode()
    assert gone.status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "eve", "far_away"])
def test_others_get_a_404(client, eve, brussels, photographed, who):
    user = None
    if who == "eve":
        user = eve
    elif who == "far_away":
        # An association in Liège, about 90 km away: beyond the widest "lots near us" radius.
        far = OrganisationFactory.create(
            kind="association",
            territory=brussels,
            status=Organisation.Status.VERIFIED,
            lat=BRUSSELS[0] - 0.2,
            lon=BRUSSELS[1] + 1.2,
        )
        MembershipFactory(organisation=far, user=eve, role="administrator")
        user = eve

    for name in ("goods:lot_photo", "goods:lot_photo_thumbnail"):
        assert _get(client, user, name, photographed.pk).status_code == 404
    page = client.get(reverse("goods:lot", args=[photographed.lot_id]))
    assert page.status_code == (302 if who == "anonymous" else 404)


def test_only_the_donor_may_change_the_photos(client, alice, restos, photographed):
    offer_for(photographed.lot, restos, kg=10)
    client.force_login(alice)

    response = client.post(
        reverse("goods:lot", args=[photographed.lot_id]),
        {"action": "remove", "photo": photographed.pk},
    )

    assert response.status_code == 404
    assert LotPhoto.objects.filter(pk=photographed.pk).exists()


def test_the_pickup_page_shows_the_full_photos(client, alice, sam, restos, photographed, window):
    offer = offer_for(photographed.lot, restos, kg=10)
    services.offer_accept(offer=offer, actor=alice, channel="web", kg=10)
    pickup = services.pickup_plan(
        offers=[offer],
        actor=alice,
        channel="web",
        starts_at=window[0],
        ends_at=window[1],
        mode="self",
    )

    page = _get(client, alice, "goods:pickup", pickup.pk).content.decode()

    assert reverse("goods:lot_photo", args=[photographed.pk]) in page
    assert 'alt="Photo 1 of the lot: Dry food, Pain du jour"' in page


def test_the_back_office_shows_the_photos_read_only(client, photographed):
    staff = UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    client.force_login(staff)

    page = client.get(reverse("admin:goods_lot_change", args=[photographed.lot_id]))
    photo = client.get(reverse("goods:lot_photo_thumbnail", args=[photographed.pk]))

    assert page.status_code == 200
    assert reverse("goods:lot_photo_thumbnail", args=[photographed.pk]) in page.content.decode()
    assert 'name="photos-0-DELETE"' not in page.content.decode()  # nothing to delete
    assert photo.status_code == 200


def test_the_lot_page_of_a_person_does_not_name_them_to_associations(
    client, eve, bob, epicerie, window
):
    lot = declare(None, eve, window, description="Livres", town="Bruxelles")  # type: ignore[arg-type]

    client.force_login(bob)
    page = client.get(reverse("goods:lot", args=[lot.pk])).content.decode()

    assert "A private donor" in page and eve.email not in page and str(eve) not in page
