import pytest

from gamification import actions, awards, setup
from rewards.models import Reward


@pytest.fixture
def give_points(make_obj=None):
    def give(member, community, points):
        from django.contrib.contenttypes.models import ContentType

        setup.ensure_defaults(community)
        source = ContentType.objects.get_for_model(Reward)
        awards.award(
            member,
            community,
            actions.KUDOS_RECEIVED,
            source,
            key=f"test-points:{member.pk}:{points}",
            points=points,
        )

    return give


@pytest.fixture
def make_reward(community):
    def make(**extra):
        extra.setdefault("name", f"Reward {Reward.objects.count() + 1}")
        extra.setdefault("cost", 50)
        return Reward.objects.create(community=community, **extra)

    return make


@pytest.fixture
def rich_member(member, community, give_points):
    give_points(member, community, 200)
    return member
