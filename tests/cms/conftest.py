from datetime import timedelta
from itertools import count

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cms import demo
from cms.access import sync_brand_manager_access
from cms.models import ChallengeIndexPage, ChallengePage, CommunityHomePage
from gamification import actions, awards
from tenancy.models import Membership

_names = count(1)


@pytest.fixture
def pages(community):
    """The demo page tree of ``community``: a home and a challenge index (no challenge)."""
    demo.seed([community])
    home = CommunityHomePage.objects.get(community=community)
    for challenge in ChallengePage.objects.descendant_of(home):
        challenge.delete()
    return home


@pytest.fixture
def make_challenge(pages):
    """Publish a challenge under ``community``'s index; open now unless told otherwise."""

    def make(
        *,
        home=None,
        title="Photo week",
        goal_action=actions.PHOTO_UPLOADED,
        publish=True,
        **fields,
    ):
        now = timezone.now()
        fields.setdefault("starts_at", now - timedelta(hours=1))
        fields.setdefault("ends_at", now + timedelta(days=3))
        fields.setdefault("goal_count", 2)
        fields.setdefault("reward_points", 40)
        index = ChallengeIndexPage.objects.child_of(home or pages).get()
        challenge = ChallengePage(
            title=title,
            slug=f"challenge-{next(_names)}",
            summary="Do the thing.",
            goal_action=goal_action,
            live=publish,
            **fields,
        )
        index.add_child(instance=challenge)
        revision = challenge.save_revision()
        if publish:
            revision.publish()
        return ChallengePage.objects.get(pk=challenge.pk)

    return make


@pytest.fixture
def act():
    """Record ``action`` by ``member`` on a fresh source object carrying ``tags``."""

    def do(member, community, action=actions.PHOTO_UPLOADED, *, tags=(), source=None):
        if source is None:
            source = Group.objects.create(name=f"source-{next(_names)}")
            source.challenge_tags = lambda: list(tags)
        awards.record_action(member, community, action, source)
        return source

    return do


@pytest.fixture
def brand(community, make_member):
    """A brand manager of ``community`` with the Wagtail access that role grants."""
    user = make_member("brand", role=Membership.Role.BRAND_MANAGER)
    sync_brand_manager_access(community)
    return user
