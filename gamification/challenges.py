"""Challenge progress: count a member's qualifying actions and complete challenges, once each.

``record_progress`` is called by ``gamification.services`` for every new award, inside the
award's transaction (the member's score row is already locked, so one member's progress never
races with itself). It is the only writer of ``cms.ChallengeProgress``.

An action counts toward a challenge when the challenge is live and belongs to the award's
community, the action is the challenge's goal action, the award happened inside the window
(``starts_at <= at < ends_at``), for a challenge with a tag the source object carries it, and
for a challenge with a product the source object concerns that product.

Tag protocol (for the apps whose objects are the sources of awards): an object exposes its tags
either as a method ``challenge_tags()`` returning an iterable of strings (preferred), or as a
``tags`` attribute that is an iterable of strings or a django-taggit manager (its ``names()``).
Tags compare case-insensitively and without a leading ``#``; an object exposing neither carries
no tags. The community app implements it: posts carry their hashtags (the opening post also its
topic title's), reviews their hashtags and their product's slug, photos their caption's hashtags
and their product's slug, helpful votes the tags of the post voted for.

Product protocol: an object concerns the product whose id its ``challenge_product_id()`` method
returns, else its ``product_id`` attribute (reviews, photos); otherwise it concerns none.

Completing: the member's row gets the next ``finish_rank`` (unique per challenge), and the
engine records one ``challenge.completed`` ledger row (its idempotency key is per member and
challenge) worth the reward points plus, for the first N finishers, the bonus; then the optional
reward badge.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max

from gamification import actions, engine
from gamification import recognitions as rec

RANK_ATTEMPTS = 5


def source_tags(obj) -> set[str]:
    """The tags ``obj`` exposes under the protocol above, lower-cased."""
    if obj is None:
        return set()
    getter = getattr(obj, "challenge_tags", None)
    if callable(getter):
        tags = getter()
    else:
        tags = getattr(obj, "tags", None) or ()
        names = getattr(tags, "names", None)
        if callable(names):
            tags = names()
    if isinstance(tags, str):
        tags = [tags]
    return {normal_tag(tag) for tag in tags}


def normal_tag(tag) -> str:
    """How tags compare: ``#LatteArt`` and ``latteart`` are the same tag."""
    return str(tag).strip().lstrip("#").lower()


def source_product_id(obj) -> int | None:
    """The id of the product ``obj`` concerns under the product protocol above, if any."""
    getter = getattr(obj, "challenge_product_id", None)
    if callable(getter):
        return getter()
    return getattr(obj, "product_id", None)


def record_progress(
    *, member, community, action: str, obj, at: datetime, recognitions: rec.Recognitions
) -> None:
    """Advance every open challenge of ``community`` this award counts toward."""
    from cms.models import GOAL_ACTIONS, ChallengePage

    if action not in GOAL_ACTIONS:
        return
    challenges = ChallengePage.objects.filter(
        community_id=community.pk,
        live=True,
        goal_action=action,
        starts_at__lte=at,
        ends_at__gt=at,
    ).select_related("reward_badge", "community")
    for challenge in challenges:
        if counts_toward(challenge, obj):
            _advance(challenge=challenge, member=member, at=at, recognitions=recognitions)


def counts_toward(challenge, obj) -> bool:
    """Whether ``obj`` passes ``challenge``'s product and tag filters (window and action aside)."""
    if challenge.product_id is not None and source_product_id(obj) != challenge.product_id:
        return False
    return not challenge.tag or normal_tag(challenge.tag) in source_tags(obj)


def _advance(*, challenge, member, at: datetime, recognitions: rec.Recognitions) -> None:
    from cms.models import ChallengeProgress

    progress, created = ChallengeProgress.objects.get_or_create(
        challenge=challenge, member=member, defaults={"count": 1, "joined_at": at, "updated_at": at}
    )
    if not created:
        ChallengeProgress.objects.filter(pk=progress.pk).update(count=F("count") + 1, updated_at=at)
        progress.refresh_from_db(fields=["count", "completed_at"])
    if progress.completed_at is not None:
        return
    recognitions.add(
        rec.CHALLENGE_PROGRESS,
        user_id=member.pk,
        community_id=challenge.community_id,
        challenge_id=challenge.pk,
        challenge=challenge.title,
        progress=min(progress.count, challenge.goal_count),
        target=challenge.goal_count,
        url=challenge.url,
    )
    if progress.count >= challenge.goal_count:
        _complete(
            challenge=challenge, member=member, progress=progress, at=at, recognitions=recognitions
        )


def _take_rank(progress, at: datetime) -> int:
    """Give ``progress`` the next finish rank; the unique (challenge, rank) settles races."""
    from cms.models import ChallengeProgress

    for _ in range(RANK_ATTEMPTS):
        taken = ChallengeProgress.objects.filter(challenge_id=progress.challenge_id).aggregate(
            top=Max("finish_rank")
        )["top"]
        rank = (taken or 0) + 1
        try:
            with transaction.atomic():
                ChallengeProgress.objects.filter(pk=progress.pk).update(
                    completed_at=at, finish_rank=rank
                )
        except IntegrityError:
            continue
        return rank
    raise RuntimeError(f"could not rank a finisher of challenge {progress.challenge_id}")


def _complete(*, challenge, member, progress, at: datetime, recognitions: rec.Recognitions) -> None:
    from gamification import services

    rank = _take_rank(progress, at)
    bonus = challenge.first_finishers_bonus if rank <= challenge.first_finishers else 0
    recognitions.extend(
        services._record(
            member,
            challenge.community,
            actions.CHALLENGE_COMPLETED,
            challenge,
            at=at,
            points=challenge.reward_points + bonus,
        )
    )
    if challenge.reward_badge is not None:
        engine.award_tier(
            challenge.reward_badge,
            member.pk,
            engine.Tier.BRONZE,
            at,
            recognitions,
            reason=f"Completed the challenge “{challenge.title}”"[:300],
        )
    recognitions.add(
        rec.CHALLENGE_COMPLETED,
        user_id=member.pk,
        community_id=challenge.community_id,
        challenge_id=challenge.pk,
        challenge=challenge.title,
        url=challenge.url,
        rank=rank,
        points=challenge.reward_points,
        bonus=bonus,
    )
