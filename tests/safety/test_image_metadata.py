"""Re-encoding drops every metadata segment: the JPEG comment (COM), EXIF, ICC and XMP."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safety.images import process_upload

SECRET = b"secret-comment-gps-51.5N"


def hostile_jpeg() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = "secret-exif-description"  # ImageDescription
    exif[0x0131] = "secret-exif-software"  # Software
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), comment=SECRET)
    data = buffer.getvalue()
    assert SECRET in data and b"secret-exif" in data
    return data


def segments(data: bytes) -> set[int]:
    """The marker bytes of a JPEG's segments before the image data."""
    found, i = set(), 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        found.add(marker)
        if marker == 0xDA:  # start of scan: metadata comes before it
            break
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return found


def test_comment_and_exif_are_dropped_from_both_files():
    processed = process_upload(SimpleUploadedFile("p.jpg", hostile_jpeg(), "image/jpeg"))
    for stored in (processed.image, processed.thumbnail):
        data = stored.read()
        assert SECRET not in data and b"secret-exif" not in data
        markers = segments(data)
        assert 0xFE not in markers  # COM
        assert 0xE1 not in markers  # APP1: EXIF / XMP
        assert 0xE2 not in markers  # APP2: ICC
        reopened = Image.open(io.BytesIO(data))
        assert "comment" not in reopened.info and not reopened.getexif()
