"""Racing awards on PostgreSQL: real threads, real connections, committed data."""

import pytest

from gamification import actions, awards, corrections, setup
from gamification.models import ActionCount, LedgerEntry, Score
from tests.threads import POSTGRES_ONLY, failures, race

pytestmark = POSTGRES_ONLY


@pytest.mark.django_db(transaction=True)
def test_threads_racing_the_same_award_write_it_once(member, community, make_obj):
    setup.ensure_defaults(community)
    review = make_obj()

    def award(i):
        return awards.record_action(member, community, actions.REVIEW_WRITTEN, review)

    assert failures(race(8, award, timeout=10)) == []
    assert LedgerEntry.objects.filter(action=actions.REVIEW_WRITTEN).count() == 1
    assert LedgerEntry.objects.filter(action=actions.FIRST_CONTRIBUTION).count() == 1
    assert Score.objects.get(member=member).lifetime == 20
    assert ActionCount.objects.get(action=actions.REVIEW_WRITTEN).count == 1


@pytest.mark.django_db(transaction=True)
def test_racing_votes_respect_the_daily_cap(member, community, make_obj, make_member):
    setup.ensure_defaults(community)
    voter = make_member("voter")
    votes = [make_obj() for _ in range(16)]
    outcomes = race(
        16,
        lambda i: awards.record_action(
            member, community, actions.HELPFUL_VOTE_RECEIVED, votes[i], actor=voter
        ),
        timeout=10,
    )
    assert failures(outcomes) == []
    assert LedgerEntry.objects.count() == 16
    assert Score.objects.get(member=member).lifetime == 30  # cap, not 16 x 3


@pytest.mark.django_db(transaction=True)
def test_racing_reversals_reverse_once(member, community, make_obj):
    setup.ensure_defaults(community)
    post = make_obj()
    awards.record_action(member, community, actions.TOPIC_CREATED, post)

    def hide(i):
        return corrections.reverse_for_object(post, reason="hidden")

    assert failures(race(6, hide, timeout=10)) == []
    assert LedgerEntry.objects.filter(reverses__isnull=False).count() == 2  # topic + first bonus
    assert Score.objects.get(member=member).lifetime == 0
