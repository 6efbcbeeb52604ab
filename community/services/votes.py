"""Helpful votes, and the share of a member's votes any one recipient may earn from.

Lock order (``docs/architecture.md``): the post voted for, then the voter's allowance row, then
the recipient's score row. Entry points are retried as a whole on a deadlock.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import (
    HelpfulVote,
    Post,
)
from community.services.gate import ensure_can_contribute, pace
from community.services.locking import lock_post
from community.services.topics import CONTENT_HIDDEN
from core.errors import Invalid
from core.retry import retry_on_conflict
from gamification import actions
from gamification import recognitions as rec
from gamification.awards import record_action
from gamification.balance import lock_balance
from gamification.corrections import reverse_for_object
from gamification.selectors.ledger import standing_award_count

logger = logging.getLogger(__name__)

OWN_POST_VOTE = "You can't vote your own post helpful."


@retry_on_conflict
@transaction.atomic
def vote_helpful(*, user, post: Post) -> HelpfulVote:
    """Vote once; voting again returns the existing vote and awards nothing more.

    The post is locked first, so a moderator hiding it and a vote are one after the other.
    """
    post = lock_post(post.pk)
    community = post.topic.community
    ensure_can_contribute(user=user, community=community, kind="vote")
    if post.author_id == user.pk:
        raise Invalid(OWN_POST_VOTE)
    if post.is_hidden or post.topic.is_hidden or post.is_deleted_by_author:
        raise Invalid(CONTENT_HIDDEN)
    existing = HelpfulVote.objects.filter(post=post, voter=user).first()
    if existing is not None:
        return existing
    pace(user, community, "vote")
    try:
        with transaction.atomic():
            vote = HelpfulVote.objects.create(post=post, voter=user)
    except IntegrityError:
        return HelpfulVote.objects.get(post=post, voter=user)
    record_helpful_vote(vote=vote, voter=user, recipient=post.author, community=community)
    return vote


@retry_on_conflict
@transaction.atomic
def unvote_helpful(*, user, post: Post) -> None:
    """Withdraw a vote and the award it gave; withdrawing twice does nothing."""
    post = lock_post(post.pk)
    ensure_can_contribute(user=user, community=post.topic.community, kind="vote")
    vote = HelpfulVote.objects.filter(post=post, voter=user).first()
    if vote is None:
        return
    reverse_for_object(vote, reason="helpful vote withdrawn", actor=user)
    vote.delete()


def record_helpful_vote(*, vote: HelpfulVote, voter, recipient, community) -> rec.Recognitions:
    """Award ``recipient`` for ``vote`` unless the vote is over the one-recipient share.

    At most half of the helpful votes a member gave in the community's window
    (``Community.vote_share_window_days``) earn points for any one recipient, once the voter
    gave ``vote_share_min_votes`` there. A vote over the share stays recorded (the voter sees
    it) but writes no ledger row: no points, counts, badge or challenge progress, and nobody is
    told. The recipient's score row is locked before counting, so concurrent votes for one
    recipient are counted one after the other and cannot both slip under the share.
    """
    with transaction.atomic():
        lock_balance(member=recipient, community=community)
        if voter.pk != recipient.pk and over_vote_share(
            voter=voter, recipient=recipient, community=community
        ):
            logger.info("helpful vote %s over the share: %s -> %s", vote.pk, voter, recipient)
            return rec.Recognitions()
        return record_action(recipient, community, actions.HELPFUL_VOTE_RECEIVED, vote, actor=voter)


def over_vote_share(*, voter, recipient, community) -> bool:
    """Whether one more counted vote from ``voter`` would give ``recipient`` over half.

    The vote being decided must already be stored: it is one of the voter's votes in the window.
    Votes that earned nothing (over the share, trimmed by a daily cap, reversed) don't count
    toward the recipient's share.
    """
    if not community.vote_share_window_days:
        return False
    since = timezone.now() - timedelta(days=community.vote_share_window_days)
    given = HelpfulVote.objects.filter(
        voter=voter, post__topic__community=community, created_at__gte=since
    )
    total = given.count()
    if total < max(community.vote_share_min_votes, 1):
        return False
    counted = standing_award_count(
        community=community,
        member=recipient,
        action=actions.HELPFUL_VOTE_RECEIVED,
        sources=given.filter(post__author=recipient),
    )
    return 2 * (counted + 1) > total
