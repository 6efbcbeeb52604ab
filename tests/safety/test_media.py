"""Uploaded media: only re-encoded images are stored and served, always with nosniff."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, PngImagePlugin

from community.models import Photo
from safety import csp, media
from tests.community.helpers import upload

MARKER = b"original-bytes-marker-7f3a"


def _png_with_marker() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARKER.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def _stored() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def uploaded(member, community, client_for):
    """A photo uploaded through the web form, as a member would."""
    data = _png_with_marker()
    response = client_for(member).post(
        "/c/roasters/photos/new/",
        {"image": upload(data, name="holiday.png", content_type="image/png"), "caption": "Cup"},
    )
    assert response.status_code == 302
    return Photo.objects.get(), data


def test_originals_are_never_stored(uploaded):
    photo, original = uploaded
    files = _stored()
    assert [p.relative_to(settings.MEDIA_ROOT).as_posix() for p in files] == sorted(
        [photo.image.name, photo.thumbnail.name]
    )
    for path in files:
        data = path.read_bytes()
        assert data != original and MARKER not in data
        with Image.open(path) as stored:
            assert stored.format == "JPEG"


def test_served_photos_say_nosniff_and_run_nothing(uploaded, client):
    photo, _ = uploaded
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == media.MEDIA_POLICY
    assert client.get(photo.thumbnail.url)["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name",
    [
        "original_images/upload.png",  # Wagtail keeps originals: never served
        "avatars/2026/11/a.html",
        "photos/2026/11/page.html",
        "photos/2026/11/script.svg",
        "notes.txt",
    ],
)
def test_anything_but_re_encoded_images_is_not_served(db, client, name):
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"<script>alert(1)</script>")
    assert client.get(f"/media/{name}").status_code == 404


def test_path_traversal_is_refused(db, client):
    assert client.get("/media/photos/../../config/settings.py").status_code == 404


def test_media_on_a_separate_domain(settings):
    settings.MEDIA_URL = "https://media.example.com/"
    assert csp.media_source() == "https://media.example.com"
    assert "img-src 'self' data: blob: https://media.example.com;" in csp.build_policy()
    settings.MEDIA_URL = "//cdn.example.net/m/"
    assert "img-src 'self' data: blob: cdn.example.net;" in csp.build_policy()
    settings.MEDIA_URL = "/media/"
    assert csp.media_source() == ""


def test_photo_urls_follow_media_url(settings, uploaded):
    photo, _ = uploaded
    settings.MEDIA_URL = "https://media.example.com/"
    assert Photo.objects.get().image.url.startswith("https://media.example.com/photos/")
