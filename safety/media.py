"""Serving uploaded media from this process (``make run``, a single machine).

Only re-encoded images ever leave: member photos under ``photos/`` and avatars under
``avatars/`` (both re-encoded to JPEG by ``safety.images``) and Wagtail renditions under
``images/``. Wagtail's originals
(``original_images/``), anything else under ``MEDIA_ROOT`` and any other file type answer 404.
Every response says ``X-Content-Type-Options: nosniff`` and carries a policy that runs nothing,
so a file that was somehow not an image could never execute as a page on our origin.

In production ``MEDIA_URL`` points at a separate domain or CDN that must send the same headers
and serve the same prefixes (README, "Uploaded media").
"""

from django.conf import settings
from django.http import Http404
from django.views import static

SERVED_PREFIXES = ("photos/", "avatars/", "images/")
SERVED_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif")
MEDIA_POLICY = "default-src 'none'; sandbox"


def serve(request, path: str):
    if not path.startswith(SERVED_PREFIXES) or not path.lower().endswith(SERVED_EXTENSIONS):
        raise Http404("Not a served media file.")
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response
