"""Small builders for community tests: content is created through the services."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from PIL import Image

from community.services import topics
from gamification.models import LedgerEntry
from tenancy.models import Membership
from tests.factories import MembershipFactory


def join(user, community, role=Membership.Role.MEMBER) -> Membership:
    """The membership row only, like every fixture; see ``tests.factories.join_via_service``."""
    return MembershipFactory(user=user, community=community, role=role)


def points(user, community) -> int:
    total = LedgerEntry.objects.filter(member=user, community=community).aggregate(t=Sum("points"))
    return total["t"] or 0


def topic(user, community, *, kind="discussion", title="Brewing tips", body="Share yours"):
    return topics.create_topic(user=user, community=community, kind=kind, title=title, body=body)


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 80, 40), **save) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" and save.pop("alpha", False) else "RGB"
    Image.new(mode, size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
