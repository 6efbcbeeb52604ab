"""Turn an uploaded file into a safe stored photo, or reject it with a clear message.

The type comes from the bytes (Pillow's sniffing, limited to the formats we accept), never from
the file name or the browser's content type. What is stored is re-encoded from pixels: no EXIF
(GPS included), orientation applied, a random name, plus a square thumbnail.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC/HEIF photos from phones, where the wheel loads on this platform.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_FORMATS = ("HEIF",)
except ImportError:  # pragma: no cover - depends on the platform's wheel
    HEIF_FORMATS = ()

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
THUMB_SIDE = 480
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", *HEIF_FORMATS)

FILE_TOO_LARGE = "That file is over 10 MB. Please upload a smaller photo."
NOT_AN_IMAGE = "That file is not a JPEG, PNG, WebP or HEIC photo."
TOO_MANY_PIXELS = "That image is over 40 megapixels. Please upload a smaller one."
CORRUPT_IMAGE = "That image is damaged or incomplete. Please try another file."
ANIMATED_IMAGE = "Animated images are not supported. Please upload a still photo."
EMPTY_FILE = "That file is empty."


# Leading bytes of the formats we accept: a file that starts like one but won't decode is
# damaged, not a different kind of file.
SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class ImageRejected(ValueError):
    pass


def _looks_like_accepted(data: bytes) -> bool:
    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    heif = data[4:8] == b"ftyp" and bool(HEIF_FORMATS)
    return data.startswith(SIGNATURES) or webp or heif


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile


def _open(upload) -> Image.Image:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImageRejected(FILE_TOO_LARGE)
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if not data:
        raise ImageRejected(EMPTY_FILE)
    if len(data) > MAX_BYTES:
        raise ImageRejected(FILE_TOO_LARGE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageRejected(TOO_MANY_PIXELS) from exc
        except UnidentifiedImageError as exc:
            message = CORRUPT_IMAGE if _looks_like_accepted(data) else NOT_AN_IMAGE
            raise ImageRejected(message) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageRejected(CORRUPT_IMAGE) from exc
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageRejected(TOO_MANY_PIXELS)
        if getattr(image, "n_frames", 1) > 1:
            raise ImageRejected(ANIMATED_IMAGE)
        try:
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageRejected(TOO_MANY_PIXELS) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageRejected(CORRUPT_IMAGE) from exc
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparent areas become white, palettes and CMYK are converted."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image, name: str) -> ContentFile:
    """Pixels only: a fresh image carries no ``info`` (Pillow would write a source's JPEG
    comment, EXIF, ICC profile or XMP back into the file), so no metadata segment survives."""
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    buffer = io.BytesIO()
    bare.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name=name)


def process_upload(upload) -> ProcessedImage:
    """Validate and re-encode ``upload``; raises ``ImageRejected`` with a user-facing message."""
    image = _open(upload)
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(CORRUPT_IMAGE) from exc
    image = _flatten(image)
    full = image.copy()
    full.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = ImageOps.fit(image, (THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    stem = uuid.uuid4().hex
    return ProcessedImage(
        image=_encode(full, f"{stem}.jpg"), thumbnail=_encode(thumb, f"{stem}-thumb.jpg")
    )
