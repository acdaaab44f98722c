"""Lot photos: only real pictures, stored upright and bare (no EXIF), four at most, donors only."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.goods import services
from entraide.goods.models import LotEvent, LotPhoto
from entraide.goods.services.photos import MAX_BYTES, thumbnail_name
from entraide.goods.tests.helpers import declare
from entraide.goods.tests.photos import GPS, picture, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _stored(name: str) -> Image.Image:
    with default_storage.open(name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def test_it_stores_an_upright_jpeg_without_any_metadata(
    shop, sam, window, django_capture_on_commit_callbacks
):
    lot = declare(shop, sam, window)
    phone_photo = picture(size=(2400, 1200), orientation=6, gps=True)
    assert Image.open(io.BytesIO(phone_photo)).getexif().get_ifd(GPS)  # the upload has GPS

    with django_capture_on_commit_callbacks(execute=True):
        photo = services.lot_photo_add(
            lot=lot, upload=upload(phone_photo), actor=sam, channel="web"
        )

    stored = _stored(str(photo.image.name))
    # Orientation 6 means "turn a quarter to the right": the wide picture becomes tall.
    assert (stored.format, stored.width, stored.height) == ("JPEG", 800, 1600)
    assert (photo.width, photo.height) == (800, 1600)
    assert not stored.getexif()
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"PhoneMaker" not in default_storage.open(str(photo.image.name)).read()
    thumbnail = _stored(thumbnail_name(str(photo.image.name)))
    assert max(thumbnail.size) == 320 and not thumbnail.getexif()
    assert str(photo.image.name).startswith(f"goods/lots/{lot.pk}/")
    assert "photo" not in str(photo.image.name).rsplit("/", 1)[1]  # never the uploader's name
    event = LotEvent.objects.get(lot=lot, kind="photo_added")
    assert (event.actor, event.data["photo"]) == (sam, photo.pk)


@pytest.mark.parametrize(
    ("fmt", "mode"), [("PNG", "RGBA"), ("PNG", "P"), ("WEBP", "RGB"), ("JPEG", "L")]
)
def test_it_takes_png_and_webp_and_flattens_them(
    shop, sam, window, fmt, mode, django_capture_on_commit_callbacks
):
    lot = declare(shop, sam, window)

    with django_capture_on_commit_callbacks(execute=True):
        photo = services.lot_photo_add(
            lot=lot, upload=upload(picture(fmt, mode=mode)), actor=sam, channel="web"
        )

    stored = _stored(str(photo.image.name))
    assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (200, 100))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (picture("GIF", mode="P"), "formats: JPEG, PNG, WebP"),
        (picture("BMP"), "formats: JPEG, PNG, WebP"),
        (b"%PDF-1.4 not a picture", "not a photo we can read"),
        (b"", "not a photo we can read"),
        (picture(size=(800, 600))[:400], "damaged or cut short"),
        # 8,000 x 6,000 black and white pixels: a small file, 48 megapixels once decoded.
        (picture("PNG", size=(8000, 6000), mode="1"), "40 megapixels"),
        (b"\xff\xd8" + b"x" * MAX_BYTES, "too large"),
    ],
    ids=["gif", "bmp", "pdf", "empty", "truncated", "bomb", "too-large"],
)
def test_it_refuses_what_is_not_a_usable_photo(shop, sam, window, content, message):
    lot = declare(shop, sam, window)

    with pytest.raises(ValidationError) as caught:
        services.lot_photo_add(lot=lot, upload=upload(content), actor=sam, channel="web")

    assert message in caught.value.message_dict["photo"][0]
    assert not LotPhoto.objects.exists()
    assert not LotEvent.objects.filter(kind="photo_added").exists()


def test_it_keeps_at_most_four_photos(shop, sam, window):
    lot = declare(shop, sam, window)
    for _ in range(4):
        services.lot_photo_add(lot=lot, upload=upload(), actor=sam, channel="web")

    with pytest.raises(ValidationError) as caught:
        services.lot_photo_add(lot=lot, upload=upload(), actor=sam, channel="web")

    assert "at most 4 photos" in caught.value.message_dict["photo"][0]
    assert list(lot.photos.values_list("position", flat=True)) == [0, 1, 2, 3]


def test_it_lets_only_the_donor_or_an_operator_add_and_remove(shop, sam, alice, olga, window):
    lot = declare(shop, sam, window)

    with pytest.raises(PermissionDeniedError):
        services.lot_photo_add(lot=lot, upload=upload(), actor=alice, channel="web")
    photo = services.lot_photo_add(lot=lot, upload=upload(), actor=olga, channel="phone")
    with pytest.raises(PermissionDeniedError):
        services.lot_photo_remove(photo=photo, actor=alice, channel="web")

    assert photo.uploaded_by == olga
    assert LotPhoto.objects.count() == 1


def test_it_leaves_no_file_behind_when_the_transaction_fails(
    shop, sam, window, django_capture_on_commit_callbacks
):
    lot = declare(shop, sam, window)
    folder = f"goods/lots/{lot.pk}"

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.lot_photo_add(lot=lot, upload=upload(), actor=sam, channel="web")
        raise RuntimeError("the caller's next step failed")

    assert callbacks == []
    assert not LotPhoto.objects.exists()
    assert not default_storage.exists(folder)


def test_it_removes_the_photo_and_its_files_once_committed(
    shop, sam, window, django_capture_on_commit_callbacks
):
    lot = declare(shop, sam, window)
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.lot_photo_add(lot=lot, upload=upload(), actor=sam, channel="web")
    name = str(photo.image.name)
    assert default_storage.exists(name) and default_storage.exists(thumbnail_name(name))

    with django_capture_on_commit_callbacks(execute=True):
        services.lot_photo_remove(photo=photo, actor=sam, channel="web")

    assert not LotPhoto.objects.exists()
    assert not default_storage.exists(name) and not default_storage.exists(thumbnail_name(name))
    assert LotEvent.objects.filter(lot=lot, kind="photo_removed").exists()


def test_it_refuses_photos_on_a_cancelled_lot(shop, sam, window):
    lot = declare(shop, sam, window)
    services.lot_cancel(lot=lot, actor=sam, channel="web")

    with pytest.raises(ConflictError):
        services.lot_photo_add(lot=lot, upload=upload(), actor=sam, channel="web")
