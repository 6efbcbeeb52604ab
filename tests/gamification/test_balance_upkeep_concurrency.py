"""Racing the balance jobs on PostgreSQL: a release against a moderator hiding the content,
and an expiry against the member spending."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from community.services import catalogue, moderation
from core import errors as core_errors
from gamification import actions, awards, rebuild, setup, upkeep
from gamification.balance import spend_points
from gamification.models import CommunityGameSettings, LedgerEntry, Score
from tests.factories import MembershipFactory, ProductFactory
from tests.threads import POSTGRES_ONLY, failures, race

pytestmark = POSTGRES_ONLY


@pytest.mark.django_db(transaction=True)
def test_a_hold_ends_once_when_release_and_hide_race(community, make_user):
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(pending_days=3)
    author = make_user("author")
    moderator = make_user("mod")
    MembershipFactory(user=author, community=community)
    MembershipFactory(user=moderator, community=community, role="moderator")
    product = ProductFactory(community=community, name="Beans", slug="beans")
    review = catalogue.write_review(
        user=author, product=product, rating=5, title="Take one", body="Good."
    )
    later = timezone.now() + timedelta(days=4)

    def work(i):
        if i == 0:
            return upkeep.release_due_points(now=later).rows
        return moderation.hide(
            user=moderator,
            community=community,
            target_type="review",
            target_id=review.pk,
            reason="off-topic",
        )

    assert failures(race(2, work)) == []
    ends = LedgerEntry.objects.filter(action=actions.POINTS_HELD, points__gt=0)
    assert ends.count() == 2  # one end per hold (review + first-contribution bonus)
    score = Score.objects.get(member=author)
    assert (score.lifetime, score.pending) == (0, 0)
    assert score.balance >= 0
    assert rebuild.verify(community).drift == []


@pytest.mark.django_db(transaction=True)
def test_expiry_and_a_spend_racing_never_overdraw(community, make_user):
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(expiry_months=1)
    member = make_user("quiet")
    MembershipFactory(user=member, community=community)
    long_ago = timezone.now() - timedelta(days=90)
    with transaction.atomic():
        awards.award(member, community, actions.TOPIC_CREATED, member, at=long_ago)
    now = timezone.now()
    upkeep.send_expiry_notices(now=now)

    def work(i):
        if i == 0:
            return upkeep.expire_idle_points(now=now + timedelta(days=15)).points
        with transaction.atomic():
            return spend_points(
                member=member, community=community, points=10, key="spend", source=None
            )

    outcomes = race(2, work)
    errors = failures(outcomes)
    assert all(isinstance(e, core_errors.AppError) for e in errors)
    score = Score.objects.get(member=member)
    assert score.balance >= 0
    expired = LedgerEntry.objects.filter(action=actions.POINTS_EXPIRED)
    spent = LedgerEntry.objects.filter(action=actions.REWARD_SPENT)
    # Either the spend came first (activity: nothing expires) or the expiry did (nothing left).
    assert expired.exists() != spent.exists()
    assert rebuild.verify(community).drift == []
