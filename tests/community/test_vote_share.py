"""The vote-share cap: at most half of a member's helpful votes earn points for one recipient."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import HelpfulVote, Topic
from community.services import moderation, topics, votes
from gamification import actions
from gamification.models import ActionCount, LedgerEntry, Score
from tenancy.models import Membership
from tests.community.helpers import join, topic
from tests.threads import postgres_only


@pytest.fixture
def setup(make_user, community):
    """A voter (staff, so no newcomer allowance gets in the way) and five authors."""
    community.vote_share_min_votes = 4
    community.vote_share_window_days = 30
    community.save()
    voter = make_user("voter")
    join(voter, community, Membership.Role.MODERATOR)
    authors = []
    for name in ("ann", "ben", "cat", "dan", "eve"):
        author = make_user(name)
        join(author, community)
        authors.append(author)
    return voter, authors


def _opening(author, community, n=0):
    """A fresh post by ``author``: their first topic's opening post, then replies in it."""
    first = Topic.objects.filter(author=author, community=community).first()
    if first is None:
        return topic(author, community, title=f"By {author.username}", body="Hi").posts.get()
    return topics.reply(user=author, topic=first, body=f"Reply {n}")


def _counted(recipient) -> int:
    return LedgerEntry.objects.filter(
        member=recipient, action=actions.HELPFUL_VOTE_RECEIVED, points__gt=0
    ).count()


def test_votes_below_the_minimum_all_count(setup, community):
    voter, (ann, *_) = setup
    for n in range(3):
        votes.vote_helpful(user=voter, post=_opening(ann, community, n))
    assert _counted(ann) == 3


def test_over_half_to_one_recipient_is_recorded_but_earns_nothing(setup, community):
    voter, (ann, ben, *_) = setup
    # 3 votes for ann (all count: under the minimum of 4), then one for ben: 4 votes, ann has 3.
    for n in range(3):
        votes.vote_helpful(user=voter, post=_opening(ann, community, n))
    votes.vote_helpful(user=voter, post=_opening(ben, community))
    # A 5th vote for ann would make 4 of 5 counted: over half, so it earns nothing.
    post = _opening(ann, community, 9)
    score_before = Score.objects.get(member=ann, community=community).lifetime
    vote = votes.vote_helpful(user=voter, post=post)
    assert HelpfulVote.objects.filter(pk=vote.pk, voter=voter).exists()
    assert not LedgerEntry.objects.filter(source_id=vote.pk, action=actions.HELPFUL_VOTE_RECEIVED)
    assert Score.objects.get(member=ann, community=community).lifetime == score_before
    assert ActionCount.objects.get(member=ann, action=actions.HELPFUL_VOTE_RECEIVED).count == 3, (
        "a capped vote counts toward no badge or challenge"
    )
    # The voter still sees the vote; withdrawing it is fine and reverses nothing.
    votes.unvote_helpful(user=voter, post=post)
    assert not LedgerEntry.objects.filter(reverses__isnull=False).exists()


def test_exactly_half_still_counts(setup, community):
    """Boundary: 2 of 4 votes to one recipient is half, not over it."""
    voter, (ann, ben, cat, _dan, _eve) = setup
    votes.vote_helpful(user=voter, post=_opening(ann, community, 1))
    votes.vote_helpful(user=voter, post=_opening(ben, community))
    votes.vote_helpful(user=voter, post=_opening(cat, community))
    votes.vote_helpful(user=voter, post=_opening(ann, community, 2))  # 4 votes, ann 2: half
    assert _counted(ann) == 2
    votes.vote_helpful(user=voter, post=_opening(ann, community, 3))  # 5 votes, ann 3: over
    assert _counted(ann) == 2
    votes.vote_helpful(user=voter, post=_opening(ben, community, 2))
    votes.vote_helpful(user=voter, post=_opening(ann, community, 4))  # 7 votes, ann 3: under
    assert _counted(ann) == 3


def test_votes_outside_the_window_are_not_counted(setup, community):
    voter, (ann, ben, *_) = setup
    for n in range(4):
        votes.vote_helpful(user=voter, post=_opening(ann, community, n))
    assert _counted(ann) == 3  # the 4th vote was over the share
    HelpfulVote.objects.filter(voter=voter).update(created_at=timezone.now() - timedelta(days=31))
    vote = votes.vote_helpful(user=voter, post=_opening(ann, community, 8))
    assert LedgerEntry.objects.filter(source_id=vote.pk, points__gt=0).exists()


def test_reversed_votes_free_up_the_share(setup, community):
    voter, (ann, ben, cat, *_) = setup
    posts = [_opening(ann, community, n) for n in range(2)]
    for post in posts:
        votes.vote_helpful(user=voter, post=post)
    votes.vote_helpful(user=voter, post=_opening(ben, community))
    votes.vote_helpful(user=voter, post=_opening(cat, community))
    moderation.hide(
        user=voter, community=community, target_type="post", target_id=posts[1].pk, reason="spam"
    )
    # 5 votes, ann's counted ones: 1 (the hidden post's was reversed), so a 2nd one is allowed.
    vote = votes.vote_helpful(user=voter, post=_opening(ann, community, 5))
    assert LedgerEntry.objects.filter(source_id=vote.pk, points__gt=0).exists()


def test_zero_window_turns_the_cap_off(setup, community):
    voter, (ann, *_) = setup
    community.vote_share_window_days = 0
    community.save()
    for n in range(6):
        votes.vote_helpful(user=voter, post=_opening(ann, community, n))
    assert _counted(ann) == 6


def test_double_submit_of_a_capped_vote_stays_one_vote(setup, community):
    voter, (ann, *_) = setup
    for n in range(4):
        votes.vote_helpful(user=voter, post=_opening(ann, community, n))
    post = _opening(ann, community, 7)
    first = votes.vote_helpful(user=voter, post=post)
    again = votes.vote_helpful(user=voter, post=post)
    assert first.pk == again.pk
    assert HelpfulVote.objects.filter(post=post).count() == 1


def test_api_vote_over_the_share_looks_like_any_vote(setup, community, client_for):
    voter, (ann, *_) = setup
    for n in range(4):
        votes.vote_helpful(user=voter, post=_opening(ann, community, n))
    post = _opening(ann, community, 6)
    response = client_for(voter).post(f"/api/v1/posts/{post.pk}/helpful/")
    assert response.status_code in (200, 201)
    assert response.json() == {"post_id": post.pk, "voted": True, "helpful_count": 1}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_racing_votes_for_one_recipient_cannot_both_slip_under(make_user, community):
    """4 earlier votes (2 to ann, 2 to ben); 4 racing votes for ann: only the first may count."""
    community.vote_share_min_votes = 4
    community.save()
    voter = make_user("voter")
    join(voter, community, Membership.Role.MODERATOR)
    ann, ben = make_user("ann"), make_user("ben")
    join(ann, community)
    join(ben, community)
    for n in range(2):
        votes.vote_helpful(user=voter, post=_opening(ann, community, n))
        votes.vote_helpful(user=voter, post=_opening(ben, community, n))
    posts = [_opening(ann, community, 10 + n) for n in range(4)]
    barrier = threading.Barrier(len(posts))
    errors = []

    def run(post):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            votes.vote_helpful(user=voter, post=post)
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(post,)) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert HelpfulVote.objects.filter(voter=voter).count() == 8
    # Whatever the order, ann may hold at most half of the votes counted when each was cast.
    # Counted one after the other, ann ends with exactly half of the 8 (the 6th and 8th count).
    assert _counted(ann) == 4
