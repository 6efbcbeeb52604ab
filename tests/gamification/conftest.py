import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from gamification import awards

_counter = itertools.count()


@pytest.fixture
def make_obj(db):
    """A fresh model instance to stand in for a post, review or vote (the engine takes any)."""

    def make():
        return ContentType.objects.create(app_label="fake", model=f"thing{next(_counter)}")

    return make


@pytest.fixture
def award(make_obj):
    """Record an action at a given moment (timezone-aware), like a backdated real award."""

    def record(member, community, action, *, at=None, obj=None, actor=None, points=None):
        return awards.award(
            member, community, action, obj or make_obj(), actor=actor, at=at, points=points
        )

    return record


def at(text: str, zone: str = "UTC") -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))
