"""Images people upload (intake photos, drawn signatures): opened with Pillow, refused when
they are not what they claim or would decode to too many pixels (a decompression bomb), and
written again from their pixels, so no metadata (location, camera, time) is kept and a photo
is no larger than a screen needs.
"""

import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from dealer.errors import DomainError

MAX_PIXELS = 40_000_000
"""Forty megapixels: more than any phone or tablet camera takes."""
PHOTO_EDGE = 2560
"""A kept photo's longer side, in pixels."""
SIGNATURE_EDGE = 2000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str


def _open(data: bytes, field: str, formats: set[str], wrong) -> Image.Image:
    """Open an image without decoding its pixels yet, refusing what is not one of ``formats``
    or has too many pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in formats:
                raise DomainError(wrong, field)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise DomainError(
                    _l("The image is too large: at most %(n)s megapixels.", n=MAX_PIXELS // 10**6),
                    field,
                )
            image.load()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError(
            _l("The image is too large: at most %(n)s megapixels.", n=MAX_PIXELS // 10**6), field
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise DomainError(wrong, field) from None
    return image


def clean_photo(data: bytes, field: str = "photo") -> CleanImage:
    """A photo as it is kept: upright, at most ``PHOTO_EDGE`` pixels on its longer side, a
    JPEG without metadata."""
    wrong = _l("A photo must be a JPEG, PNG or WebP image.")
    image = _open(data, field, PHOTO_FORMATS, wrong)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return CleanImage(out.getvalue(), "image/jpeg", "jpg")


def clean_signature(data: bytes, field: str = "signature") -> bytes:
    """A drawn signature as it is kept: a PNG of its pixels only."""
    wrong = _l("The signature must be a PNG image.")
    image = _open(data, field, {"PNG"}, wrong)
    if max(image.size) > SIGNATURE_EDGE * 2:
        raise DomainError(_l("The signature image is too large."), field)
    image.thumbnail((SIGNATURE_EDGE, SIGNATURE_EDGE))
    out = io.BytesIO()
    image.convert("RGBA").save(out, "PNG", optimize=True)
    return out.getvalue()
