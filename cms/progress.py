"""Challenge progress: count a member's qualifying actions and complete challenges, once each.

``record_progress`` runs for every new award (an ``on_award_applied`` subscriber of the engine's
hooks, registered in ``CmsConfig.ready()``), inside the award's transaction (the member's score
row is already locked, so one member's progress never races with itself). Progress rows and
finish ranks come after the score rows in the lock order (``docs/architecture.md``), challenges
in ascending id; nothing here locks a score row the transaction does not already hold.
It is the only writer of ``cms.ChallengeProgress``.

An action counts toward a challenge when the challenge is live and belongs to the award's
community, the action is the challenge's goal action, the award happened inside the window
(``starts_at <= at < ends_at``; for a member whose level grants N hours of early access,
``starts_at - N h <= at``, see ``early_hours``), for a challenge with a tag the source object
carries it, and for a challenge with a product the source object concerns that product.

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

Corrections (``resync``, an ``on_awards_corrected`` subscriber: the engine reversed or restored
awards, e.g. when a moderator hides or restores content): while a challenge is running, a
member's progress is recounted from the ledger: a source counts when its first award fell inside
the window, an award of it still stands (not reversed) and it passes the filters. Below the
target, a completed row loses its completion: the ``challenge.completed`` award is reversed
(points never pay for hidden content, the first-finisher bonus included) and the rank is freed
(the next finisher takes the one after the highest held). With nothing counted, the row is
deleted (the member no longer counts as joined). Back at the target (a restore), the member
completes again: a new award keyed ``...:again:<n>``, with the next rank. The reward badge is a
recognition, not points, and stays; a moderator can revoke it by hand. Once a challenge has
ended its results are final.
"""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min, Q

from accounts.models import User
from cms.models import ChallengePage, ChallengeProgress
from gamification import actions, awards, corrections, engine, hooks
from gamification import recognitions as rec
from gamification.actions import GOAL_ACTIONS
from gamification.models import MAX_EARLY_ACCESS_HOURS, LedgerEntry

RANK_ATTEMPTS = 5


def on_award_applied(applied: hooks.AppliedAward) -> None:
    record_progress(
        member=applied.member,
        community=applied.community,
        action=applied.action,
        obj=applied.obj,
        at=applied.at,
        recognitions=applied.recognitions,
    )


def on_awards_corrected(correction: hooks.Correction) -> None:
    resync(entries=correction.entries, at=correction.at, recognitions=correction.recognitions)


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


def early_hours(*, community_id: int, member_id: int, at: datetime) -> int:
    """Hours of early access the member has at ``at``: the most of any level reached (by
    lifetime points) and of an early-access reward still in force. One query, cheap on the
    award path."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MAX(h) FROM ("
            " SELECT l.early_access_hours AS h FROM gamification_level l"
            " JOIN gamification_score s ON s.community_id = l.community_id"
            " WHERE s.community_id = %s AND s.member_id = %s AND l.min_points <= s.lifetime"
            " UNION ALL"
            " SELECT m.early_access_hours AS h FROM community_membership m"
            " WHERE m.community_id = %s AND m.user_id = %s AND m.early_access_until > %s"
            ") perks",
            [
                community_id,
                member_id,
                community_id,
                member_id,
                connection.ops.adapt_datetimefield_value(at),
            ],
        )
        row = cursor.fetchone()
    return (row[0] if row else None) or 0


def record_progress(
    *, member, community, action: str, obj, at: datetime, recognitions: rec.Recognitions
) -> None:
    """Advance every open challenge of ``community`` this award counts toward."""
    if action not in GOAL_ACTIONS:
        return
    challenges = list(
        ChallengePage.objects.filter(
            community_id=community.pk,
            live=True,
            goal_action=action,
            starts_at__lte=at + timedelta(hours=MAX_EARLY_ACCESS_HOURS),
            ends_at__gt=at,
        )
        .select_related("reward_badge", "community")
        .order_by("pk")  # the lock order: challenges' finish ranks in ascending id
    )
    if any(challenge.starts_at > at for challenge in challenges):
        # Only a challenge not yet open to everyone needs the member's early-access hours.
        opens = at + timedelta(
            hours=early_hours(community_id=community.pk, member_id=member.pk, at=at)
        )
        challenges = [challenge for challenge in challenges if challenge.starts_at <= opens]
    for challenge in challenges:
        if counts_toward(challenge, obj):
            _advance(challenge=challenge, member=member, at=at, recognitions=recognitions)


def counts_toward(challenge, obj) -> bool:
    """Whether ``obj`` passes ``challenge``'s product and tag filters (window and action aside)."""
    if challenge.product_id is not None and source_product_id(obj) != challenge.product_id:
        return False
    return not challenge.tag or normal_tag(challenge.tag) in source_tags(obj)


def _advance(*, challenge, member, at: datetime, recognitions: rec.Recognitions) -> None:
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


def _completion_awards(challenge, member):
    """Every ``challenge.completed`` award (not reversal) of ``member`` for ``challenge``."""
    return LedgerEntry.objects.filter(
        member_id=member.pk,
        action=actions.CHALLENGE_COMPLETED,
        source_type=ContentType.objects.get_for_model(challenge),
        source_id=challenge.pk,
        reverses__isnull=True,
    )


def _complete(*, challenge, member, progress, at: datetime, recognitions: rec.Recognitions) -> None:
    rank = _take_rank(progress, at)
    bonus = challenge.first_finishers_bonus if rank <= challenge.first_finishers else 0
    taken_back = _completion_awards(challenge, member).filter(reversed_by__isnull=False).count()
    key = None
    if taken_back:
        first = awards.award_key(
            member, challenge.community, actions.CHALLENGE_COMPLETED, challenge
        )
        key = f"{first}:again:{taken_back}"
    recognitions.extend(
        awards.award(
            member,
            challenge.community,
            actions.CHALLENGE_COMPLETED,
            challenge,
            at=at,
            points=challenge.reward_points + bonus,
            key=key,
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


def standing_count(challenge, member_id: int, hours_early: int = 0) -> int:
    """How many sources count toward ``challenge`` for the member: a source counts when its first
    award was inside the window (opened ``hours_early`` before ``starts_at`` for the member; a
    restore made later counts as of then) and an award of it still stands (not reversed), and it
    passes the challenge's filters."""
    opens_at = challenge.starts_at - timedelta(hours=hours_early)

    sources = (
        LedgerEntry.objects.filter(
            community_id=challenge.community_id,
            member_id=member_id,
            action=challenge.goal_action,
            reverses__isnull=True,
        )
        .values("source_type_id", "source_id")
        .annotate(first=Min("created_at"), standing=Count("pk", filter=Q(reversed_by__isnull=True)))
        .filter(first__gte=opens_at, first__lt=challenge.ends_at, standing__gte=1)
    )
    if not challenge.tag and challenge.product_id is None:
        return sources.count()
    by_type: dict[int, list[int]] = {}
    for row in sources:
        by_type.setdefault(row["source_type_id"], []).append(row["source_id"])
    count = 0
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        objects = model._default_manager.filter(pk__in=ids) if model is not None else []
        count += sum(1 for obj in objects if counts_toward(challenge, obj))
    return count


def resync(*, entries, at: datetime, recognitions: rec.Recognitions) -> None:
    """Bring progress back in line with the ledger after ``entries`` (reversals or restores of
    contribution awards) were written; see "Corrections" above. Runs in the caller's
    transaction, which holds the members' score locks."""
    touched = set()
    hours: dict[tuple[int, int], int] = {}
    seen = set()
    for entry in entries:  # a reversal or a restore carries its award's action and member
        who = (entry.community_id, entry.member_id)
        if entry.action not in GOAL_ACTIONS or (who, entry.action) in seen:
            continue
        seen.add((who, entry.action))
        if who not in hours:
            hours[who] = early_hours(community_id=who[0], member_id=who[1], at=at)
        running = ChallengePage.objects.filter(
            community_id=entry.community_id,
            live=True,
            goal_action=entry.action,
            starts_at__lte=at + timedelta(hours=hours[who]),
            ends_at__gt=at,
        ).values_list("pk", flat=True)
        touched.update((challenge_id, who) for challenge_id in running)
    pages = ChallengePage.objects.select_related("community", "reward_badge").in_bulk(
        {challenge_id for challenge_id, _ in touched}
    )
    for challenge_id, who in sorted(touched):
        _resync_one(
            challenge=pages[challenge_id],
            member_id=who[1],
            hours_early=hours[who],
            at=at,
            recognitions=recognitions,
        )


def _resync_one(
    *, challenge, member_id: int, hours_early: int, at: datetime, recognitions: rec.Recognitions
) -> None:
    count = standing_count(challenge, member_id, hours_early)
    progress = ChallengeProgress.objects.filter(challenge=challenge, member_id=member_id).first()
    if progress is None and count == 0:
        return
    member = User.objects.get(pk=member_id)
    if progress is not None and progress.completed_at is not None and count < challenge.goal_count:
        awards = _completion_awards(challenge, member).filter(reversed_by__isnull=True)
        corrections.reverse_awards(
            list(awards),
            reason=f"below the target of “{challenge.title}” after a correction"[:200],
            actor=None,
        )
        ChallengeProgress.objects.filter(pk=progress.pk).update(completed_at=None, finish_rank=None)
        progress.completed_at = None
    if count == 0:
        ChallengeProgress.objects.filter(pk=progress.pk).delete()
        return
    if progress is None:
        progress = ChallengeProgress.objects.create(
            challenge=challenge, member=member, count=count, joined_at=at, updated_at=at
        )
    else:
        ChallengeProgress.objects.filter(pk=progress.pk).update(count=count, updated_at=at)
        progress.count = count
    if progress.completed_at is None and count >= challenge.goal_count:
        _complete(
            challenge=challenge, member=member, progress=progress, at=at, recognitions=recognitions
        )
