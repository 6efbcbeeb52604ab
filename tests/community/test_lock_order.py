"""The lock order under load (PostgreSQL): many members writing to one topic of one community at
once, through the public services, never deadlock and lose nothing; and the reply path locks
only the topic row.

Run with ``DATABASE_URL=postgres://...``; on SQLite these tests are skipped (one writer at a time).
"""

import logging
import time
from collections import Counter
from contextlib import contextmanager
from itertools import count

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from cms import demo
from cms.models import ChallengePage, ChallengeProgress
from community.models import Acceptance, HelpfulVote, Post, Topic
from community.services import topics, votes
from gamification import actions, awards, rebuild, setup
from gamification.models import LedgerEntry, LevelPrivilege, Referral, Score
from gamification.referrals import invite_code
from rewards import services as rewards
from rewards.models import Redemption, Reward
from tenancy.models import Membership
from tests.factories import MembershipFactory, UserFactory, join_via_service
from tests.threads import POSTGRES_ONLY, failures, race

pytestmark = POSTGRES_ONLY

THREADS = 24
ROUNDS = 8  # operations per thread
MEMBERS = 16


def _unlimited(settings, community):
    """No pace, allowance or vote share gets in the way: every call must do its write."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (10**6, 60), "vote": (10**6, 60)}
    community.vote_share_window_days = 0
    community.save(update_fields=["vote_share_window_days"])
    setup.ensure_defaults(community)
    LevelPrivilege.objects.filter(level__community=community).delete()


def _answers_challenge(community) -> ChallengePage:
    """The community's demo challenge, made to count answers: two complete it, first three
    finishers get a bonus (so finish ranks race)."""
    if Page.get_first_root_node() is None:  # a transactional test starts from an empty database
        Locale.objects.get_or_create(language_code="en")
        Page.add_root(instance=Page(title="Root", slug="root"))
    demo.seed([community])
    ChallengePage.objects.filter(community=community).update(
        goal_action=actions.ANSWER_POSTED, goal_count=2, first_finishers=3, first_finishers_bonus=10
    )
    return ChallengePage.objects.get(community=community)


def _referred_newcomers(community, *, pairs: int) -> list:
    """Newcomers who joined through an invite and haven't contributed: their first answer pays
    the referral under two score locks. Half the referrers have a higher id than their
    newcomer, half a lower one."""
    newcomers = []
    for i in range(pairs):
        early = UserFactory(username=f"early{i}")
        late = UserFactory(username=f"late{i}")
        referrer, newcomer = (late, early) if i % 2 else (early, late)
        MembershipFactory(user=referrer, community=community)
        code = invite_code(member=referrer, community=community).code
        join_via_service(newcomer, community, referral_code=code)
        newcomers.append(newcomer)
    return newcomers


@pytest.mark.django_db(transaction=True)
def test_many_members_writing_to_one_topic_never_deadlock(settings, community, caplog):
    _unlimited(settings, community)
    challenge = _answers_challenge(community)
    asker = UserFactory(username="asker")
    MembershipFactory(user=asker, community=community)
    moderator = UserFactory(username="mod")
    MembershipFactory(user=moderator, community=community, role=Membership.Role.MODERATOR)
    members = [UserFactory(username=f"m{i}") for i in range(MEMBERS)]
    for member in members:
        MembershipFactory(user=member, community=community)
    newcomers = _referred_newcomers(community, pairs=4)
    members += newcomers
    for member in members:  # something to spend (not a contribution: referrals stay unpaid)
        awards.award(
            member, community, actions.KUDOS_RECEIVED, member, key=f"start:{member.pk}", points=500
        )
    topic = topics.create_topic(
        user=asker, community=community, kind=Topic.Kind.QUESTION, title="Grind?", body="How fine?"
    )
    for member in members[:6]:
        topics.reply(user=member, topic=topic, body=f"Seed answer by {member.username}")
    reward = Reward.objects.create(community=community, name="Sticker", cost=5)
    bodies = count()

    def one(i: int, k: int):
        """Operation ``k`` of thread ``i``: a reply, a vote, an accept or a redemption."""
        member = members[(i * 5 + k) % len(members)]
        answers = list(Post.objects.filter(topic=topic, is_opening=False).order_by("pk"))
        kinds = ("accept", "reply", "vote", "redeem") if i < 4 else ("reply", "vote", "redeem")
        kind = kinds[(i + k) % len(kinds)]
        if kind == "accept":
            chosen = answers[(i * 7 + k) % len(answers)]
            return kind, topics.accept_answer(user=asker if i % 2 else moderator, post=chosen)
        if kind == "reply":
            return kind, topics.reply(user=member, topic=topic, body=f"Answer {next(bodies)}")
        if kind == "vote":
            theirs = [answer for answer in answers if answer.author_id != member.pk]
            return kind, votes.vote_helpful(user=member, post=theirs[(i * 3 + k) % len(theirs)])
        key = f"thread-{i}-{k}"
        return kind, rewards.redeem(member=member, reward=reward, idempotency_key=key)[0]

    def work(i: int) -> list:
        done = []
        for k in range(ROUNDS):
            try:
                done.append(one(i, k))
            except Exception as error:  # noqa: BLE001 - collected for the assertion below
                done.append(("error", error))
            finally:
                connection.close()  # like a request: the connection goes back to the pool
        return done

    deadlocks_before = _deadlocks()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.retry"), _pool_of(THREADS + 2):
        outcomes = race(THREADS, work, timeout=120)
    elapsed = time.monotonic() - started
    retries = [record for record in caplog.records if record.name == "core.retry"]

    assert failures(outcomes) == []
    results = [result for outcome in outcomes for result in outcome]
    assert len(results) == THREADS * ROUNDS
    errors = [result for kind, result in results if kind == "error"]
    assert errors == []
    done = Counter(kind for kind, _ in results)

    # Every reply is there with its award.
    replies = {post.pk for kind, post in results if kind == "reply"}
    assert len(replies) == done["reply"]
    assert Post.objects.filter(topic=topic, is_opening=False).count() == 6 + len(replies)
    post_type = ContentType.objects.get_for_model(Post)
    answered = LedgerEntry.objects.filter(
        action=actions.ANSWER_POSTED, source_type=post_type, source_id__in=replies
    )
    assert answered.count() == len(replies)
    # Every new vote is there with its award (a repeated vote returns the first one).
    voted = {vote.pk for kind, vote in results if kind == "vote"}
    assert HelpfulVote.objects.count() == len(voted)
    vote_type = ContentType.objects.get_for_model(HelpfulVote)
    assert LedgerEntry.objects.filter(
        action=actions.HELPFUL_VOTE_RECEIVED, source_type=vote_type, source_id__in=voted
    ).count() == len(voted)
    # One acceptance stands, and exactly one award for it.
    assert Acceptance.objects.filter(topic=topic).count() == 1
    standing = LedgerEntry.objects.filter(
        action=actions.ANSWER_ACCEPTED, reverses__isnull=True, reversed_by__isnull=True
    )
    assert standing.count() == 1
    # Every redemption spent its points once.
    assert Redemption.objects.count() == done["redeem"]
    assert LedgerEntry.objects.filter(action=actions.REWARD_SPENT).count() == done["redeem"]
    # The newcomers' first answers paid their referrals (both sides).
    answering = {post.author_id for kind, post in results if kind == "reply"}
    paid = set(Referral.objects.filter(paid_at__isnull=False).values_list("newcomer_id", flat=True))
    assert paid == {newcomer.pk for newcomer in newcomers if newcomer.pk in answering}
    assert paid
    # Challenge finishers got distinct ranks 1..n.
    ranks = sorted(
        ChallengeProgress.objects.filter(
            challenge=challenge, completed_at__isnull=False
        ).values_list("finish_rank", flat=True)
    )
    assert ranks == list(range(1, len(ranks) + 1))
    assert ranks
    # Nothing overdrawn, nothing drifted, no deadlock even detected.
    assert not Score.objects.filter(balance__lt=0).exists()
    assert rebuild.verify(community).drift == []
    deadlocks = _deadlocks() - deadlocks_before
    print(  # the figures of this run, shown with ``pytest -s``
        f"\n{THREADS} threads, {len(results)} operations {dict(done)} in {elapsed:.1f} s; "
        f"{len(retries)} retries, {deadlocks} deadlocks detected by PostgreSQL"
    )
    assert deadlocks == 0


@contextmanager
def _pool_of(size: int):
    """One worker whose connection pool has room for every thread at once (the settings' pool
    is sized for requests, not for this many threads holding a transaction together)."""
    pool = connection.pool
    before = (pool.min_size, pool.max_size)
    pool.resize(min_size=before[0], max_size=max(size, before[1]))
    try:
        yield
    finally:
        pool.resize(*before)


def _deadlocks() -> int:
    """Deadlocks PostgreSQL detected in this database so far (its cumulative statistics)."""
    time.sleep(1.1)  # a backend's counters reach the statistics at most once a second
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_reply_locks_the_topic_row_only(settings, community):
    _unlimited(settings, community)
    asker = UserFactory(username="asker")
    MembershipFactory(user=asker, community=community)
    topic = topics.create_topic(
        user=asker, community=community, kind=Topic.Kind.QUESTION, title="Grind?", body="How fine?"
    )
    with CaptureQueriesContext(connection) as captured:
        topics.reply(user=asker, topic=topic, body="Finer.")
    locking = [query["sql"] for query in captured if " FOR " in query["sql"]]
    assert len(locking) == 1
    sql = locking[0]
    assert 'FROM "community_topic"' in sql
    assert sql.endswith('FOR NO KEY UPDATE OF "community_topic"')
    assert "community_community" in sql  # joined to read, but not locked
