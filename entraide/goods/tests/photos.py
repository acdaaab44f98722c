"""Pictures the photo tests upload, drawn with Pillow (a phone photo with its EXIF, and worse)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# EXIF tags: the camera's orientation, its make, and the GPS block.
ORIENTATION, MAKE, GPS = 0x0112, 0x010F, 0x8825


def picture(
    fmt: str = "JPEG",
    *,
    size: tuple[int, int] = (200, 100),
    mode: str = "RGB",
    orientation: int | None = None,
    gps: bool = False,
) -> bytes:
    """Return a picture in `fmt`; a JPEG may carry an orientation and a GPS position."""
    image = Image.new(mode, size, "red" if mode != "1" else 1)
    options = {}
    if orientation is not None or gps:
        exif = Image.Exif()
        exif[MAKE] = "PhoneMaker"
        if orientation is not None:
            exif[ORIENTATION] = orientation
        if gps:
            exif.get_ifd(GPS).update({1: "N", 2: (50.0, 51.0, 12.5), 3: "E", 4: (4.0, 21.0, 0.0)})
        options["exif"] = exif
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(content: bytes | None = None, name: str = "photo.jpg") -> SimpleUploadedFile:
    """Return an uploaded file holding `content` (a small JPEG by default)."""
    return SimpleUploadedFile(name, content if content is not None else picture(), "image/jpeg")
