"""The only door for writes to points, badges, levels, streaks, challenges and rewards.

``record_action``, ``reverse_for_object`` and ``restore_for_object`` keep the signatures the
community app calls; every other service takes keyword-only arguments. All of them run in a
transaction and publish what they produced only after it commits.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from community.models import HelpfulVote, ModerationAction, Photo, Review
from gamification import actions, challenges, engine, periods, selectors
from gamification import recognitions as rec
from gamification.defaults import DEFAULT_BADGES, DEFAULT_DAILY_CAPS, DEFAULT_LEVELS
from gamification.models import (
    Badge,
    BadgeAward,
    CommunityGameSettings,
    FirstJoin,
    InviteCode,
    Kudos,
    LedgerEntry,
    Level,
    LevelPrivilege,
    PeriodScore,
    PointRule,
    Referral,
    Score,
)
from realtime import events
from safety import ratelimit
from tenancy.models import Community, Membership

logger = logging.getLogger("gamification.audit")

NOT_STAFF = "Only moderators and brand managers can do that."
NOT_A_MEMBER = "{username} is not a member of this community."
NO_SELF_KUDOS = "You can't give kudos to yourself."
KUDOS_POINTS_RANGE = "Kudos points must be between 0 and {max}."
BADGE_NOT_MANUAL = "Only manual badges can be granted by hand."
ALREADY_REVOKED = "This was already revoked."
REASON_REQUIRED = "Please give a reason."
UNKNOWN_ACTION = "Unknown action: {action}"
NOT_ENOUGH_POINTS = "You don't have enough points for this."

MAX_KUDOS_POINTS = 100
# The reason on reversals of serial votes (what the recipient reads in their points history).
# Restoring hidden content never gives these back.
SERIAL_VOTES_REASON = "Helpful votes one member gave in a quick burst earn no points"
# The reasons on the two ways a hold on pending points ends.
HOLD_RELEASED_REASON = "Now spendable"
HOLD_CANCELLED_REASON = "Hidden before the points became spendable"


class GamificationError(Exception):
    """A request the engine refuses; the message is meant for the person who asked."""


class TooSoon(GamificationError):
    """A rate limit was hit: a form error, or a 429 with Retry-After."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


# --- Configuration --------------------------------------------------------------------------


@transaction.atomic
def ensure_defaults(community: Community) -> None:
    """Give a community the default rules, levels, privileges, badges and settings (idempotent).

    Only fills in what is missing: a brand manager's edits are never overwritten.
    """
    CommunityGameSettings.objects.get_or_create(community=community)
    existing_rules = set(
        PointRule.objects.filter(community=community).values_list("action", flat=True)
    )
    PointRule.objects.bulk_create(
        [
            PointRule(
                community=community,
                action=action,
                points=points,
                daily_cap=DEFAULT_DAILY_CAPS.get(action),
            )
            for action, points in actions.DEFAULT_POINTS.items()
            if action not in existing_rules
        ],
        ignore_conflicts=True,
    )
    if not Level.objects.filter(community=community).exists():
        for spec in DEFAULT_LEVELS:
            level, _ = Level.objects.get_or_create(
                community=community, name=spec.name, defaults={"min_points": spec.min_points}
            )
            LevelPrivilege.objects.bulk_create(
                [
                    LevelPrivilege(level=level, kind=kind, daily_limit=limit)
                    for kind, limit in spec.daily_limits.items()
                ],
                ignore_conflicts=True,
            )
    existing_badges = set(Badge.objects.filter(community=community).values_list("slug", flat=True))
    Badge.objects.bulk_create(
        [
            Badge(community=community, **spec.__dict__)
            for spec in DEFAULT_BADGES
            if spec.slug not in existing_badges
        ],
        ignore_conflicts=True,
    )


def _rule(community: Community, action: str) -> tuple[int, int | None, int]:
    """Points, daily cap and the community's pending days (``engine.rule``)."""
    rule = engine.rule(community.pk, action)
    if rule is None and not PointRule.objects.filter(community=community).exists():
        ensure_defaults(community)
        return _rule(community, action)
    return rule or (0, None, 0)


# --- Awards ---------------------------------------------------------------------------------


def _holdable(action: str, source_model) -> bool:
    """Whether a community with pending days holds this award's points: the author's own
    points from a review or a photo (the award, its welcome and first-contribution bonuses),
    not what others give (a feature, kudos)."""
    return (
        source_model is not None
        and issubclass(source_model, Review | Photo)
        and action not in actions.RECEIVED_FROM_OTHERS
    )


def _hold_until(action: str, obj, at: datetime, pending_days: int) -> datetime | None:
    """When an award's points become spendable, if the community holds them for a while."""
    if not pending_days or not _holdable(action, type(obj)):
        return None
    return at + timedelta(days=pending_days)


def _source(obj) -> tuple[int | None, int | None]:
    if obj is None:
        return None, None
    return ContentType.objects.get_for_model(obj).pk, obj.pk


def _default_key(member, community, action: str, obj) -> str:
    if action == actions.FIRST_CONTRIBUTION:
        return f"first:{community.pk}:{member.pk}"
    if obj is None:
        raise ValueError("An award without a source object needs an explicit key.")
    ct_id, obj_id = _source(obj)
    return f"{community.pk}:{member.pk}:{action}:{ct_id}:{obj_id}"


def record_action(member, community, action: str, obj, *, actor=None, key=None) -> rec.Recognitions:
    """Award ``member`` for ``action`` on ``obj`` in ``community``, once per ``key``.

    Runs in the caller's transaction. A second call with the same key (a retry or a race) writes
    nothing and returns empty recognitions, and so does an award for something received from
    others when ``actor`` is the member (voting one's own answer helpful). What the award earned
    (points, badge tiers, a level, a streak milestone) is returned and published after commit.
    """
    recognitions = _record(member, community, action, obj, actor=actor, key=key)
    events.publish_on_commit(recognitions)
    return recognitions


def _record(
    member, community, action, obj, *, actor=None, key=None, at=None, points=None
) -> rec.Recognitions:
    """``record_action`` without publishing: seeding and composite services use it directly."""
    recognitions, _applied = _record_applied(
        member, community, action, obj, actor=actor, key=key, at=at, points=points
    )
    return recognitions


def _record_applied(
    member, community, action, obj, *, actor=None, key=None, at=None, points=None
) -> tuple[rec.Recognitions, engine.Applied | None]:
    """``_record`` that also says whether a ledger row was written (``None``: key already used)."""
    if action not in actions.LABELS:
        raise ValueError(UNKNOWN_ACTION.format(action=action))
    recognitions = rec.Recognitions()
    if action in actions.RECEIVED_FROM_OTHERS and actor is not None and actor.pk == member.pk:
        return recognitions, None
    if action == actions.FIRST_CONTRIBUTION or key is None:
        key = _default_key(member, community, action, obj)
    at = at or timezone.now()
    rule_points, cap, pending_days = _rule(community, action)
    ct_id, obj_id = _source(obj)
    entry = engine.Entry(
        action=action,
        points=rule_points if points is None else points,
        key=key,
        source_type_id=ct_id,
        source_id=obj_id,
        actor_id=actor.pk if actor is not None else None,
    )
    with transaction.atomic():
        applied = engine.apply(
            community=community,
            member_id=member.pk,
            entry=entry,
            count_delta=1,
            at=at,
            recognitions=recognitions,
            daily_cap=cap,
            contribution=action in actions.CONTRIBUTIONS,
            hold_until=_hold_until(action, obj, at, pending_days),
        )
        if applied is not None and applied.count == 1 and action in actions.CONTRIBUTIONS:
            # A member's first time doing this kind of contribution may be their first at all;
            # the fixed key makes the bonus once per member per community.
            first, first_applied = _record_applied(
                member, community, actions.FIRST_CONTRIBUTION, obj, at=at
            )
            recognitions.extend(first)
            welcome = actions.WELCOME_FOR_CONTRIBUTION[action]
            if first_applied is not None:
                # The first-contribution bonus is this kind's welcome: thank, don't pay twice.
                _thank(recognitions, member, community, welcome, first_applied)
                recognitions.extend(_pay_referral(newcomer=member, community=community, at=at))
            elif welcome != _kind_of_first_contribution(member, community):
                recognitions.extend(_welcome(member, community, welcome, obj, at=at))
        if applied is not None:
            challenges.record_progress(
                member=member,
                community=community,
                action=action,
                obj=obj,
                at=at,
                recognitions=recognitions,
            )
    return recognitions, applied


# --- First-action welcomes ------------------------------------------------------------------


def _welcome(member, community: Community, action: str, obj, *, at=None) -> rec.Recognitions:
    """A one-time welcome bonus and a thank-you, once per member, community and kind.

    The key names only the kind, the community and the member: a second "first" (after the
    first post was hidden or deleted, or a double submit racing the first) writes nothing.
    Its source is the contribution, so hiding that contribution reverses the bonus with it.
    """
    key = f"welcome:{action}:{community.pk}:{member.pk}"
    recognitions, applied = _record_applied(member, community, action, obj, key=key, at=at)
    if applied is not None:
        _thank(recognitions, member, community, action, applied)
    return recognitions


def _thank(recognitions, member, community: Community, action: str, applied) -> None:
    """The thank-you notification for a welcome (``action`` names the kind welcomed)."""
    points = LedgerEntry.objects.filter(pk=applied.entry_id).values_list("points", flat=True)
    recognitions.add(
        rec.WELCOME,
        user_id=member.pk,
        community_id=community.pk,
        action=action,
        what=actions.WELCOME_WHAT[action],
        community=community.name,
        points=points.get(),
        url=community.get_absolute_url(),
    )


def _kind_of_first_contribution(member, community: Community) -> str | None:
    """The welcome kind the member's very first contribution here was (its bonus welcomed it).

    The first-contribution row shares its source with the contribution that earned it.
    """
    first = LedgerEntry.objects.filter(
        key=_default_key(member, community, actions.FIRST_CONTRIBUTION, None)
    ).first()
    if first is None:
        return None
    action = (
        LedgerEntry.objects.filter(
            member=member,
            community=community,
            source_type_id=first.source_type_id,
            source_id=first.source_id,
            action__in=actions.WELCOME_FOR_CONTRIBUTION,
        )
        .values_list("action", flat=True)
        .first()
    )
    return actions.WELCOME_FOR_CONTRIBUTION.get(action)


def profile_is_complete(member) -> bool:
    """A completed profile: a display name, a bio and an avatar."""
    return bool(member.first_name.strip() and member.bio.strip() and member.avatar)


def record_profile_completed(*, member, community: Community | None = None) -> rec.Recognitions:
    """Welcome a completed profile once in each community the member belongs to.

    Called when the member saves their profile (every community) and when they join one
    (that community only); does nothing while the profile is incomplete.
    """
    recognitions = rec.Recognitions()
    if not profile_is_complete(member):
        return recognitions
    communities = Community.objects.filter(memberships__user=member)
    if community is not None:
        communities = communities.filter(pk=community.pk)
    with transaction.atomic():
        for joined in communities.order_by("pk"):
            recognitions.extend(_welcome(member, joined, actions.WELCOME_PROFILE, member))
        events.publish_on_commit(recognitions)
    return recognitions


# --- Joining and referrals ------------------------------------------------------------------

INVITE_UNKNOWN = "That invite link is not valid for this community. You can still join."
INVITE_OWN = "That is your own invite link: share it with friends instead."
INVITE_ALREADY_MEMBER = "You are already a member, so this invite does not count."
INVITE_NOT_NEW = "You have been a member before, so this invite does not count."


def invite_problem(*, code: str, community: Community, user) -> str | None:
    """Why ``user`` can't join ``community`` through invite ``code``, or ``None`` if they can."""
    invite = InviteCode.objects.filter(code=code, community=community).first() if code else None
    if invite is None:
        return INVITE_UNKNOWN
    if invite.member_id == user.pk:
        return INVITE_OWN
    if Membership.objects.filter(user=user, community=community).exists():
        return INVITE_ALREADY_MEMBER
    if FirstJoin.objects.filter(community=community, member=user).exists():
        return INVITE_NOT_NEW
    return None


def invite_code(*, member, community: Community) -> InviteCode:
    """The member's invite code in ``community``, created on first use and stable after."""
    found = InviteCode.objects.filter(community=community, member=member).first()
    if found is not None:
        return found
    with transaction.atomic():
        InviteCode.objects.bulk_create(
            [InviteCode(community=community, member=member, code=secrets.token_urlsafe(12))],
            ignore_conflicts=True,
        )
    return InviteCode.objects.get(community=community, member=member)


def member_joined(*, member, community: Community, referral_code: str = "") -> Referral | None:
    """Record a new membership: the first join, a referral if the invite counts, a welcome.

    Called by ``community.services.join_community`` in its transaction, only when the
    membership was created. An invite counts only for someone who never joined before (no
    ``FirstJoin`` row) and is not its owner; an invite that doesn't count is ignored here (the
    view has already told the member why, from ``invite_problem``).
    """
    now = timezone.now()
    with transaction.atomic():
        new = not FirstJoin.objects.filter(community=community, member=member).exists()
        referral = None
        if new:
            FirstJoin.objects.bulk_create(
                [FirstJoin(community=community, member=member, joined_at=now)],
                ignore_conflicts=True,
            )
            invite = (
                InviteCode.objects.filter(code=referral_code, community=community).first()
                if referral_code
                else None
            )
            if invite is not None and invite.member_id != member.pk:
                referral, _ = Referral.objects.get_or_create(
                    community=community,
                    newcomer=member,
                    defaults={"referrer_id": invite.member_id, "joined_at": now},
                )
        record_profile_completed(member=member, community=community)
    return referral


def _pay_referral(*, newcomer, community: Community, at: datetime) -> rec.Recognitions:
    """Pay a referral when its newcomer's first contribution lands (inside that award).

    The newcomer always gets their bonus; the referrer gets theirs within the community's
    monthly cap. The referrer's score row is locked before counting, so racing payouts can't
    both squeeze under the cap. Locks are always taken newcomer first, then referrer, and a
    referrer joined before their newcomer, so two payouts can't wait on each other.
    """
    recognitions = rec.Recognitions()
    referral = (
        Referral.objects.select_for_update()
        .filter(community=community, newcomer=newcomer, paid_at__isnull=True)
        .select_related("referrer")
        .first()
    )
    if referral is None:
        return recognitions
    referrer = referral.referrer
    engine.lock_score(community_id=community.pk, member_id=referrer.pk, at=at)
    cap = selectors.game_settings(community).referral_monthly_cap
    month = periods.month_start(periods.local_day(community, at))
    paid_this_month = Referral.objects.filter(
        community=community, referrer=referrer, referrer_paid=True, paid_month=month
    ).count()
    still_member = Membership.objects.filter(user=referrer, community=community).exists()
    referral.referrer_paid = still_member and paid_this_month < cap
    referral.paid_at, referral.paid_month = at, month
    referral.save(update_fields=["paid_at", "paid_month", "referrer_paid"])
    recognitions.extend(
        _record(
            newcomer,
            community,
            actions.REFERRAL_WELCOME,
            referral,
            key=f"referral:{referral.pk}:newcomer",
            at=at,
        )
    )
    if referral.referrer_paid:
        recognitions.extend(
            _record(
                referrer,
                community,
                actions.REFERRAL_COMPLETED,
                referral,
                actor=newcomer,
                key=f"referral:{referral.pk}:referrer",
                at=at,
            )
        )
        recognitions.add(
            rec.REFERRAL_PAID,
            user_id=referrer.pk,
            community_id=community.pk,
            friend=newcomer.username,
            community=community.name,
            url=reverse("gamification:invite", kwargs={"slug": community.slug}),
        )
    return recognitions


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
        engine.lock_score(community_id=community.pk, member_id=recipient.pk, at=timezone.now())
        if voter.pk != recipient.pk and over_vote_share(
            voter=voter, recipient=recipient, community=community
        ):
            logger.info("helpful vote %s over the share: %s -> %s", vote.pk, voter, recipient)
            return rec.Recognitions()
        return record_action(recipient, community, actions.HELPFUL_VOTE_RECEIVED, vote, actor=voter)


def over_vote_share(*, voter, recipient, community: Community) -> bool:
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
    counted = LedgerEntry.objects.filter(
        community=community,
        member=recipient,
        action=actions.HELPFUL_VOTE_RECEIVED,
        source_type=ContentType.objects.get_for_model(HelpfulVote),
        source_id__in=given.filter(post__author=recipient).values("pk"),
        points__gt=0,
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).count()
    return 2 * (counted + 1) > total


def reverse_action(member, community, action: str, obj, *, reason: str, actor=None):
    """Take back one award (made with the default key), e.g. when a helpful vote is withdrawn."""
    key = _default_key(member, community, action, obj)
    award = LedgerEntry.objects.filter(key=key).first()
    if award is None:
        return []
    return _reverse([award], reason=reason, actor=actor)


def reverse_for_object(obj, *, reason: str, actor=None) -> list[LedgerEntry]:
    """Write a reversal row for every not-yet-reversed award whose source is ``obj``.

    Hiding a newcomer's first contribution also takes back the referral it paid (both sides),
    so a throwaway account posting junk earns its referrer nothing.
    """
    ct_id, obj_id = _source(obj)
    awards = (
        LedgerEntry.objects.filter(
            source_type_id=ct_id, source_id=obj_id, reverses__isnull=True, reversed_by__isnull=True
        )
        .exclude(action__in=actions.BALANCE_ONLY)
        .order_by("pk")
    )
    reversals = _reverse(list(awards), reason=reason, actor=actor)
    for referral in _referrals_paid_by(reversals):
        reversals += reverse_for_object(referral, reason=reason, actor=actor)
    return reversals


def _referrals_paid_by(entries: list[LedgerEntry]) -> list[Referral]:
    """The paid referrals whose payout a first-contribution row among ``entries`` triggered."""
    newcomers = Q()
    for entry in entries:
        if entry.action == actions.FIRST_CONTRIBUTION:
            newcomers |= Q(community_id=entry.community_id, newcomer_id=entry.member_id)
    if not newcomers:
        return []
    return list(Referral.objects.filter(newcomers, paid_at__isnull=False))


def _reverse(awards: list[LedgerEntry], *, reason: str, actor) -> list[LedgerEntry]:
    at = timezone.now()
    written = []
    community_ids = {award.community_id for award in awards}
    communities = {c.pk: c for c in Community.objects.filter(pk__in=community_ids)}
    with transaction.atomic():
        for award in awards:
            _end_hold(award, at=at, reason=HOLD_CANCELLED_REASON)
            entry = engine.Entry(
                action=award.action,
                points=-award.points,
                key=f"reversal:{award.pk}",
                source_type_id=award.source_type_id,
                source_id=award.source_id,
                actor_id=actor.pk if actor is not None else None,
                reverses_id=award.pk,
                reason=reason[:200],
            )
            applied = engine.apply(
                community=communities[award.community_id],
                member_id=award.member_id,
                entry=entry,
                count_delta=-1,
                at=at,
                recognitions=rec.Recognitions(),
            )
            if applied is not None:
                written.append(applied.entry_id)
        reversals = list(LedgerEntry.objects.filter(pk__in=written).order_by("pk"))
        _resync_challenges(reversals, at)
    return reversals


def _end_hold(award: LedgerEntry, *, at: datetime, reason: str) -> int:
    """End the hold on ``award``'s points, if it has one still running."""
    source_type = award.source_type_id and ContentType.objects.get_for_id(award.source_type_id)
    if not source_type or not _holdable(award.action, source_type.model_class()):
        return 0  # no lookup for all the awards that are never held
    hold = LedgerEntry.objects.filter(key=engine.hold_key(award.pk)).first()
    return 0 if hold is None else end_hold(hold, at=at, reason=reason)


def end_hold(hold: LedgerEntry, *, at: datetime, reason: str) -> int:
    """Release or cancel a hold on pending points (a reversal of the hold), at most once;
    returns the points moved back to the balance.

    Both a release and a cancellation use the key ``release:<hold id>``, so whichever comes
    first wins and the other writes nothing (0). Runs in the caller's transaction, under the
    member's score lock.
    """
    if hold.action != actions.POINTS_HELD or hold.reverses_id is not None:
        raise ValueError("Only a hold can be released.")
    engine.lock_score(community_id=hold.community_id, member_id=hold.member_id, at=at)
    entry = engine.Entry(
        action=actions.POINTS_HELD,
        points=-hold.points,
        key=f"release:{hold.pk}",
        reverses_id=hold.pk,
        reason=reason,
    )
    entry_id = engine.move_balance(
        community_id=hold.community_id,
        member_id=hold.member_id,
        entry=entry,
        at=at,
        pending_delta=hold.points,
    )
    return 0 if entry_id is None else entry.points


def _resync_challenges(entries: list[LedgerEntry], at) -> None:
    """Challenge progress follows corrections (hidden or restored content); see
    ``gamification.challenges``. A member completing again after a restore is told after commit."""
    if not entries:
        return
    recognitions = rec.Recognitions()
    challenges.resync(entries=entries, at=at, recognitions=recognitions)
    events.publish_on_commit(recognitions)


def restore_for_object(obj, *, reason: str, actor=None) -> list[LedgerEntry]:
    """Re-award what ``reverse_for_object`` took back: one new award per reversal, once each.

    The restored row is a fresh award (``reverses`` is empty), so a later reversal takes it back
    again: reverse -> restore -> reverse -> restore stays consistent.
    """
    ct_id, obj_id = _source(obj)
    reversals = (
        LedgerEntry.objects.filter(source_type_id=ct_id, source_id=obj_id, reverses__isnull=False)
        .exclude(reason=SERIAL_VOTES_REASON)
        .exclude(action__in=actions.BALANCE_ONLY)
        .select_related("reverses", "community")
    )
    at = timezone.now()
    written = []
    reversals = list(reversals.order_by("pk"))
    # One object lives in one community: one read of its pending days for every row.
    pending_days = selectors.game_settings(reversals[0].community).pending_days if reversals else 0
    with transaction.atomic():
        for reversal in reversals:
            original = reversal.reverses
            entry = engine.Entry(
                action=original.action,
                points=original.points,
                key=f"restore:{reversal.pk}",
                source_type_id=original.source_type_id,
                source_id=original.source_id,
                actor_id=actor.pk if actor is not None else None,
                reason=reason[:200],
            )
            applied = engine.apply(
                community=reversal.community,
                member_id=original.member_id,
                entry=entry,
                count_delta=1,
                at=at,
                recognitions=rec.Recognitions(),
                hold_until=_hold_until(original.action, obj, at, pending_days),
            )
            if applied is not None:
                written.append(applied.entry_id)
        restored = list(LedgerEntry.objects.filter(pk__in=written).order_by("pk"))
        _resync_challenges(restored, at)
        for referral in _referrals_paid_by(restored):
            restored += restore_for_object(referral, reason=reason, actor=actor)
    return restored


# --- Leaderboard preference -----------------------------------------------------------------


@transaction.atomic
def set_leaderboard_visibility(*, member, community: Community, public: bool) -> None:
    """Show or hide the member on public boards; they keep a private rank either way.

    Open boards refresh through the coalesced ``leaderboard.changed`` push after commit.
    """
    engine.lock_score(community_id=community.pk, member_id=member.pk, at=timezone.now())
    Score.objects.filter(community=community, member=member).update(public=public)
    PeriodScore.objects.filter(community=community, member=member).update(public=public)
    events.leaderboard_changed(community.pk)


# --- Moderator recognition ------------------------------------------------------------------


def _require_staff(user, community: Community) -> None:
    is_staff = Membership.objects.filter(
        user=user,
        community=community,
        role__in=[Membership.Role.MODERATOR, Membership.Role.BRAND_MANAGER],
    ).exists()
    if not is_staff:
        raise GamificationError(NOT_STAFF)


def _members_by_username(community: Community, usernames: list[str]) -> list:
    """The community's members with these usernames (any case); unknown names are an error."""
    wanted = {name.strip().lower() for name in usernames if name.strip()}
    found = {
        m.user.username.lower(): m.user
        for m in Membership.objects.filter(community=community)
        .annotate(username_lower=Lower("user__username"))
        .filter(username_lower__in=wanted)
        .select_related("user")
    }
    missing = sorted(wanted - set(found))
    if missing or not wanted:
        raise GamificationError(NOT_A_MEMBER.format(username=", ".join(missing) or "Nobody"))
    return [found[name] for name in sorted(found)]


def give_kudos(
    *,
    giver,
    community: Community,
    recipient_username: str,
    message: str,
    points: int | None = None,
    badge: Badge | None = None,
    form_token: str | None = None,
) -> Kudos:
    """A moderator thanks a member: a message, points and optionally a manual badge.

    ``form_token`` (one per form shown) makes a double submit return the first kudos.
    """
    _require_staff(giver, community)
    if form_token:
        sent = Kudos.objects.filter(form_token=form_token, giver=giver).first()
        if sent is not None:
            return sent
    message = message.strip()
    if not message:
        raise GamificationError(REASON_REQUIRED)
    (recipient,) = _members_by_username(community, [recipient_username])
    if recipient.pk == giver.pk:
        raise GamificationError(NO_SELF_KUDOS)
    try:
        ratelimit.enforce("kudos", f"user:{giver.pk}")
    except ratelimit.RateLimited as exc:
        raise TooSoon(str(exc), retry_after=exc.retry_after) from exc
    if points is None:
        points = _rule(community, actions.KUDOS_RECEIVED)[0]
    if not 0 <= points <= MAX_KUDOS_POINTS:
        raise GamificationError(KUDOS_POINTS_RANGE.format(max=MAX_KUDOS_POINTS))
    if badge is not None and (badge.community_id != community.pk or not badge.is_manual):
        raise GamificationError(BADGE_NOT_MANUAL)
    recognitions = rec.Recognitions()
    with transaction.atomic():
        kudos = Kudos.objects.create(
            community=community,
            giver=giver,
            recipient=recipient,
            message=message,
            points=points,
            form_token=form_token or None,
        )
        recognitions.add(
            rec.KUDOS_RECEIVED,
            user_id=recipient.pk,
            community_id=community.pk,
            kudos_id=kudos.pk,
            giver=giver.username,
            message=message,
            points=points,
        )
        recognitions.extend(
            _record(recipient, community, actions.KUDOS_RECEIVED, kudos, actor=giver, points=points)
        )
        if badge is not None:
            award, created = engine.award_tier(
                badge,
                recipient.pk,
                engine.Tier.BRONZE,
                kudos.created_at,
                recognitions,
                granted_by_id=giver.pk,
                reason=message[:300],
            )
            if created:
                kudos.badge_award = award
                kudos.save(update_fields=["badge_award"])
        badge_note = f", {badge.name} badge" if badge is not None else ""
        _log_moderation(
            by=giver,
            community=community,
            action=ModerationAction.Action.KUDOS,
            member=recipient,
            reason=f"{message} (+{points} points{badge_note})",
        )
        events.publish_on_commit(recognitions)
    logger.info("kudos %s: %s -> %s (%s points)", kudos.pk, giver, recipient, points)
    return kudos


def revoke_kudos(*, kudos: Kudos, by, reason: str) -> Kudos:
    """Take kudos back: its points are reversed, its badge revoked, the record kept."""
    _require_staff(by, kudos.community)
    reason = reason.strip()
    if not reason:
        raise GamificationError(REASON_REQUIRED)
    with transaction.atomic():
        kudos = Kudos.objects.select_for_update().get(pk=kudos.pk)
        if kudos.revoked_at is not None:
            raise GamificationError(ALREADY_REVOKED)
        reverse_for_object(kudos, reason=f"Kudos revoked: {reason}", actor=by)
        if kudos.badge_award_id and kudos.badge_award.revoked_at is None:
            _mark_revoked(kudos.badge_award, by=by, reason=reason)
        _mark_revoked(kudos, by=by, reason=reason)
        _log_moderation(
            by=by,
            community=kudos.community,
            action=ModerationAction.Action.REVOKE_KUDOS,
            member=kudos.recipient,
            reason=reason,
        )
    logger.info("kudos %s revoked by %s: %s", kudos.pk, by, reason)
    return kudos


def grant_badge(
    *, granted_by, community: Community, badge: Badge, usernames: list[str], reason: str
) -> list[BadgeAward]:
    """Grant a manual badge to one or many members; those already holding it are skipped."""
    _require_staff(granted_by, community)
    reason = reason.strip()
    if not reason:
        raise GamificationError(REASON_REQUIRED)
    if badge.community_id != community.pk or not badge.is_manual:
        raise GamificationError(BADGE_NOT_MANUAL)
    members = _members_by_username(community, usernames)
    recognitions = rec.Recognitions()
    granted = []
    now = timezone.now()
    with transaction.atomic():
        for member in members:
            award, created = engine.award_tier(
                badge,
                member.pk,
                engine.Tier.BRONZE,
                now,
                recognitions,
                granted_by_id=granted_by.pk,
                reason=reason[:300],
            )
            if created:
                granted.append(award)
                _log_moderation(
                    by=granted_by,
                    community=community,
                    action=ModerationAction.Action.GRANT_BADGE,
                    member=member,
                    reason=f"{badge.name}: {reason}",
                )
        events.publish_on_commit(recognitions)
    logger.info("badge %s granted by %s to %d members", badge.slug, granted_by, len(granted))
    return granted


def revoke_badge_award(*, award: BadgeAward, by, reason: str) -> BadgeAward:
    """Revoke a manually granted badge; the award stays on record with who and why."""
    _require_staff(by, award.community)
    reason = reason.strip()
    if not reason:
        raise GamificationError(REASON_REQUIRED)
    if not award.badge.is_manual:
        raise GamificationError(BADGE_NOT_MANUAL)
    with transaction.atomic():
        award = BadgeAward.objects.select_for_update().get(pk=award.pk)
        if award.revoked_at is not None:
            raise GamificationError(ALREADY_REVOKED)
        _mark_revoked(award, by=by, reason=reason)
        _log_moderation(
            by=by,
            community=award.community,
            action=ModerationAction.Action.REVOKE_BADGE,
            member=award.member,
            reason=f"{award.badge.name}: {reason}",
        )
    logger.info("badge award %s revoked by %s: %s", award.pk, by, reason)
    return award


def _log_moderation(*, by, community: Community, action: str, member, reason: str) -> None:
    """Recognition given or taken back by hand goes into the community's moderation log too."""
    ModerationAction.objects.create(
        community=community,
        moderator=by,
        action=action,
        target_type="member",
        target_id=member.pk,
        member=member,
        reason=reason[:500],
    )


def _mark_revoked(record: Kudos | BadgeAward, *, by, reason: str) -> None:
    record.revoked_at = timezone.now()
    record.revoked_by = by
    record.revoke_reason = reason[:300]
    record.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])


def complete_challenge(*, member, community: Community, challenge, at: datetime | None = None):
    """Record a completed challenge (points and challenge badges); once per challenge."""
    recognitions = _record(member, community, actions.CHALLENGE_COMPLETED, challenge, at=at)
    events.publish_on_commit(recognitions)
    return recognitions


# --- Spending ---------------------------------------------------------------------------------


def lock_balance(*, member, community: Community) -> tuple[int, int]:
    """Lock the member's score row for this transaction; returns (lifetime, balance).

    Everything done after it in the same transaction (checks, spends) is serialised with every
    other award or spend of this member in this community.
    """
    return engine.locked_balance(community_id=community.pk, member_id=member.pk, at=timezone.now())


def spend_points(
    *, member, community: Community, points: int, key: str, source, at: datetime | None = None
) -> LedgerEntry | None:
    """Spend ``points`` of the member's balance (lifetime never drops), once per ``key``.

    Runs in the caller's transaction and locks the member's score row first, so concurrent
    spends are serialised and the balance never goes negative. Returns ``None`` when ``key``
    was already used. Raises ``GamificationError(NOT_ENOUGH_POINTS)``.
    """
    if points <= 0:
        raise ValueError("Spending needs a positive number of points.")
    at = at or timezone.now()
    with transaction.atomic():
        _lifetime, balance = engine.locked_balance(
            community_id=community.pk, member_id=member.pk, at=at
        )
        if LedgerEntry.objects.filter(key=key).exists():
            return None
        if balance < points:
            raise GamificationError(NOT_ENOUGH_POINTS)
        ct_id, obj_id = _source(source)
        entry = engine.Entry(
            action=actions.REWARD_SPENT,
            points=-points,
            key=key,
            source_type_id=ct_id,
            source_id=obj_id,
        )
        entry_id = engine.move_balance(
            community_id=community.pk, member_id=member.pk, entry=entry, at=at, active=True
        )
    return LedgerEntry.objects.get(pk=entry_id)


def refund_points(*, spend: LedgerEntry, reason: str, actor=None) -> LedgerEntry | None:
    """Give back a spend through a reversal row (balance only); ``None`` if already refunded."""
    if spend.action not in actions.SPENDING or spend.reverses_id is not None:
        raise ValueError("Only a spend can be refunded.")
    at = timezone.now()
    with transaction.atomic():
        engine.locked_balance(community_id=spend.community_id, member_id=spend.member_id, at=at)
        entry = engine.Entry(
            action=spend.action,
            points=-spend.points,
            key=f"reversal:{spend.pk}",
            source_type_id=spend.source_type_id,
            source_id=spend.source_id,
            actor_id=actor.pk if actor is not None else None,
            reverses_id=spend.pk,
            reason=reason[:200],
        )
        entry_id = engine.move_balance(
            community_id=spend.community_id, member_id=spend.member_id, entry=entry, at=at
        )
    return None if entry_id is None else LedgerEntry.objects.get(pk=entry_id)
