"""Every bad-input case from the issue: rejected with a clear message, storing nothing."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from community.models import Photo
from community.services import photos
from core import errors
from gamification.actions import PHOTO_UPLOADED
from gamification.models import LedgerEntry
from safety import images
from tests.community.helpers import image_bytes, upload


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def rejected(member, community, data, message, **upload_kwargs):
    with pytest.raises(errors.AppError) as caught:
        photos.upload_photo(
            user=member, community=community, upload=upload(data, **upload_kwargs), caption="x"
        )
    assert str(caught.value) == message
    assert Photo.objects.count() == 0
    assert stored_files() == []
    assert not LedgerEntry.objects.filter(action=PHOTO_UPLOADED).exists()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_stored_as_jpeg_under_a_random_name(member, community, fmt):
    photo = photos.upload_photo(
        user=member,
        community=community,
        upload=upload(image_bytes(fmt), name="../../etc/My Holiday.jpg"),
        caption="Beans",
    )
    assert photo.image.name.startswith("photos/")
    assert "Holiday" not in photo.image.name and ".." not in photo.image.name
    assert photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (64, 48)
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.size == (images.THUMB_SIDE, images.THUMB_SIDE)
    assert (photo.width, photo.height) == (64, 48)
    assert LedgerEntry.objects.get(action=PHOTO_UPLOADED).member == member


def test_transparent_png_is_flattened_onto_white(member, community):
    photo = photos.upload_photo(
        user=member,
        community=community,
        upload=upload(image_bytes("PNG", color=(0, 0, 0, 0), alpha=True)),
    )
    with Image.open(photo.image.path) as stored:
        assert stored.getpixel((5, 5)) >= (250, 250, 250)


def test_heic_is_accepted_where_pillow_heif_loads(member, community):
    if not images.HEIF_FORMATS:
        pytest.skip("pillow-heif does not load on this platform")
    buffer = io.BytesIO()
    try:
        Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, format="HEIF")
    except (KeyError, OSError, ValueError):
        pytest.skip("this libheif build cannot encode HEIF test files")
    photo = photos.upload_photo(
        user=member, community=community, upload=upload(buffer.getvalue(), name="x.heic")
    )
    assert photo.image.name.endswith(".jpg")


def test_exif_and_gps_are_stripped_and_orientation_applied(member, community):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    data = image_bytes("JPEG", size=(80, 40), exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)

    photo = photos.upload_photo(user=member, community=community, upload=upload(data))

    raw = Path(photo.image.path).read_bytes()
    assert b"SpyCam" not in raw and b"Exif" not in raw
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
        assert stored.size == (40, 80)


def test_over_10_mb_is_rejected(member, community):
    rejected(member, community, b"\xff\xd8" + b"0" * images.MAX_BYTES, images.FILE_TOO_LARGE)


def test_over_40_megapixels_is_rejected(member, community):
    buffer = io.BytesIO()
    Image.new("1", (8000, 5001)).save(buffer, format="PNG")
    rejected(member, community, buffer.getvalue(), images.TOO_MANY_PIXELS)


@pytest.mark.parametrize("limit", [2000, 1000], ids=["bomb-warning", "bomb-error"])
def test_pillow_decompression_bombs_are_rejected(member, community, monkeypatch, limit):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
    rejected(member, community, image_bytes("PNG", size=(64, 48)), images.TOO_MANY_PIXELS)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_files_are_rejected(member, community, fmt):
    data = image_bytes(fmt, size=(300, 300), color=(1, 2, 3))
    noisy = Image.effect_noise((300, 300), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format=fmt)
    data = buffer.getvalue()
    rejected(member, community, data[: len(data) // 2], images.CORRUPT_IMAGE)


def test_corrupt_bytes_after_a_valid_header_are_rejected(member, community):
    data = image_bytes("PNG")
    rejected(member, community, data[:40] + b"\x00garbage" * 20, images.CORRUPT_IMAGE)


@pytest.mark.parametrize(
    "payload",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b"<!doctype html><html><script>alert(document.cookie)</script></html>",
        b"#!/bin/sh\nrm -rf /\n",
        b"GIF89a not really",
    ],
    ids=["svg", "html", "script", "fake-gif"],
)
def test_non_images_renamed_jpg_are_rejected(member, community, payload):
    rejected(member, community, payload, images.NOT_AN_IMAGE, name="cute.jpg")


def test_gif_is_not_an_accepted_format(member, community):
    rejected(member, community, image_bytes("GIF"), images.NOT_AN_IMAGE, name="x.gif")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_images_are_rejected(member, community, fmt):
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=fmt, save_all=True, append_images=frames[1:], duration=100)
    rejected(member, community, buffer.getvalue(), images.ANIMATED_IMAGE)


def test_empty_file_is_rejected(member, community):
    rejected(member, community, b"", images.EMPTY_FILE)
