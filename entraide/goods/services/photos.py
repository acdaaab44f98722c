"""Writes for lot photos: check an upload is a real picture, re-encode it bare, add or remove it.

A phone photo carries EXIF metadata, often with the GPS position where it was taken: for a
person giving from home that is their home. Photos are therefore never stored as uploaded:
they are decoded, turned upright, shrunk and re-encoded as a JPEG that carries no metadata
at all, under a random name.
"""

import io
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from entraide.core.events import record_event
from entraide.goods import permissions
from entraide.goods.models import Lot, LotEvent, LotPhoto, LotStatus, lot_photo_path

MAX_PHOTOS = 4
MAX_BYTES = 8 * 1024 * 1024
# Larger pictures are refused before they are decoded: a small file can unpack into
# gigabytes of pixels (a decompression bomb). 40 megapixels is more than any phone takes.
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
LONG_SIDE_PX = 1600
THUMBNAIL_PX = 320
JPEG_QUALITY = 85
# Lots whose page is finished with: their photos stay as they were.
CLOSED_STATUSES = (LotStatus.CANCELLED, LotStatus.EXPIRED)


@dataclass(frozen=True)
class Encoded:
    """A photo ready to store: the full JPEG, its thumbnail and its size in pixels."""

    full: bytes
    thumbnail: bytes
    width: int
    height: int


def thumbnail_name(name: str | None) -> str:
    """Return the storage name of a photo's thumbnail (beside the photo)."""
    return (name or "").removesuffix(".jpg") + "-thumb.jpg"


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photo": [message]})


def _jpeg(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    """Return the image shrunk to `side` pixels on its long side, as a bare JPEG."""
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= nor icc_profile= argument: Pillow then writes no metadata at all.
    copy.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), copy.width, copy.height


def photo_encode(upload: IO[bytes] | Any) -> Encoded:
    """Return the upload re-encoded (upright, at most 1600 px, no metadata), or raise."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(
            _("This photo is too large (%(size)s): send one of at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)}
        )
    kinds = ", ".join(FORMATS.values())
    try:
        upload.seek(0)
        with Image.open(upload) as opened:
            if opened.format not in FORMATS:
                raise _refuse(
                    _("Send a photo in one of these formats: %(formats)s.") % {"formats": kinds}
                )
            if opened.width * opened.height > MAX_PIXELS:
                raise _refuse(
                    _("This picture has too many pixels: send one of at most 40 megapixels.")
                )
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, "white")
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            else:
                image = image.convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise _refuse(
            _("This file is not a photo we can read: send a %(formats)s picture.")
            % {"formats": kinds}
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(_("This photo is damaged or cut short: send it again.")) from None
    full, width, height = _jpeg(image, LONG_SIDE_PX)
    thumbnail, _w, _h = _jpeg(image, THUMBNAIL_PX)
    return Encoded(full=full, thumbnail=thumbnail, width=width, height=height)


def _write_on_commit(name: str, content: bytes) -> None:
    """Write a file once the transaction commits, so a rollback leaves no file behind."""

    def write() -> None:
        default_storage.save(name, ContentFile(content))

    transaction.on_commit(write)


@transaction.atomic
def lot_photo_add(
    *,
    lot: Lot,
    upload: IO[bytes] | Any,
    actor: User | None,
    channel: str,
) -> LotPhoto:
    """Add a photo to a lot (at most four), re-encoded without metadata, with its event."""
    if not permissions.can_manage_lot(actor, lot):
        raise PermissionDeniedError(_("Only the donor can add photos to this lot."))
    encoded = photo_encode(upload)
    # The lot's row is the lock: two uploads at once cannot both take the fourth place.
    locked = Lot.objects.select_for_update().filter(pk=lot.pk).first()
    if locked is None:
        raise NotFoundError(_("This lot no longer exists."))
    if locked.status in CLOSED_STATUSES:
        raise ConflictError(_("This lot is not on offer any more: its photos cannot change."))
    count = LotPhoto.objects.filter(lot=locked).count()
    if count >= MAX_PHOTOS:
        raise _refuse(_("A lot has at most %(count)s photos.") % {"count": MAX_PHOTOS})
    name = lot_photo_path(LotPhoto(lot_id=locked.pk), "photo.jpg")
    last = LotPhoto.objects.filter(lot=locked).order_by("-position").first()
    photo = LotPhoto(
        lot=locked,
        image=name,
        width=encoded.width,
        height=encoded.height,
        position=(last.position + 1) if last else 0,
        uploaded_by=actor,
    )
    # The file is written on commit: cleaning the image field would open it (for its size).
    photo.full_clean(exclude=["image"])
    photo.save()
    _write_on_commit(name, encoded.full)
    _write_on_commit(thumbnail_name(name), encoded.thumbnail)
    record_event(
        LotEvent,
        locked,
        "photo_added",
        actor=actor,
        channel=channel,
        data={"photo": photo.pk, "width": encoded.width, "height": encoded.height},
    )
    return photo


@transaction.atomic
def lot_photo_remove(*, photo: LotPhoto, actor: User | None, channel: str) -> LotPhoto:
    """Remove a lot's photo and its files (once the removal is committed), with its event."""
    lot = photo.lot
    if not permissions.can_manage_lot(actor, lot):
        raise PermissionDeniedError(_("Only the donor can remove this lot's photos."))
    deleted, _rows = LotPhoto.objects.filter(pk=photo.pk).delete()
    if not deleted:
        raise NotFoundError(_("This photo was already removed."))
    name = str(photo.image.name)

    def remove_files() -> None:
        default_storage.delete(name)
        default_storage.delete(thumbnail_name(name))

    transaction.on_commit(remove_files)
    record_event(
        LotEvent, lot, "photo_removed", actor=actor, channel=channel, data={"photo": photo.pk}
    )
    return photo
