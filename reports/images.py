"""Uploaded pictures made safe to keep and print: decoded, resized and written
again by Pillow, so that no EXIF (camera, GPS location, time) survives."""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
# A phone photo is 12-50 megapixels; a picture claiming more is refused
# before it is decoded (a "decompression bomb" is a tiny file that claims a
# huge size to exhaust memory).
MAX_PIXELS = 64_000_000
# A photo prints 78 mm wide (PDF) or 12 cm (DOCX): 1280 px is sharp at either
# and keeps each at a few hundred kB, which the PDF embeds.
PHOTO_MAX_SIDE = 1280
LOGO_MAX_SIDE = 600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}


def image_clean(upload, *, max_side, field):
    """A ContentFile holding `upload` as a fresh JPEG (or PNG when it has
    transparency), at most `max_side` pixels wide or high, without metadata.

    Raises ValidationError({field: ...}) with a plain message for anything
    that is not a picture, too large, or made to exhaust memory.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {field: _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}}
        )
    not_a_picture = ValidationError(
        {field: _("This file is not a picture. Upload a JPEG or PNG photo.")}
    )
    too_large = ValidationError(
        {
            field: _("The picture is too large (over %(mp)s megapixels).")
            % {"mp": MAX_PIXELS // 10**6}
        }
    )
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise not_a_picture
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise too_large
                image.seek(0)
                image.load()
                image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_a_picture from None
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    transparent = image.mode in ("RGBA", "LA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if transparent else "RGB")
    image.info = {}  # no EXIF, XMP, ICC or comment is written back
    out = io.BytesIO()
    if transparent:
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
