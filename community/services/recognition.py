"""Recognition by hand: moderators give kudos and grant manual badges, and take them back.

Points go through the engine (``gamification.awards``, reversed through
``gamification.corrections``); every grant and revocation is written to the moderation log.
Lock order (``docs/architecture.md``): the kudos or badge award revoked, then the recipient's
score row (the engine). Entry points are retried as a whole on a deadlock.
"""

import logging

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from community.models import ModerationAction
from community.services.moderation import log_moderation
from core.errors import Invalid, TooSoon
from core.retry import retry_on_conflict
from gamification import actions, engine, hooks
from gamification import recognitions as rec
from gamification.awards import award
from gamification.corrections import reverse_for_object
from gamification.models import Badge, BadgeAward, Kudos
from gamification.setup import rule_for
from safety import ratelimit
from tenancy.access import require_staff
from tenancy.models import Membership

logger = logging.getLogger(__name__)

NOT_A_MEMBER = "{username} is not a member of this community."
NO_SELF_KUDOS = "You can't give kudos to yourself."
KUDOS_POINTS_RANGE = "Kudos points must be between 0 and {max}."
BADGE_NOT_MANUAL = "Only manual badges can be granted by hand."
ALREADY_REVOKED = "This was already revoked."
REASON_REQUIRED = "Please give a reason."
MAX_KUDOS_POINTS = 100


def _members_by_username(community, usernames: list[str]) -> list:
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
        raise Invalid(NOT_A_MEMBER.format(username=", ".join(missing) or "Nobody"))
    return [found[name] for name in sorted(found)]


@retry_on_conflict
def give_kudos(
    *,
    giver,
    community,
    recipient_username: str,
    message: str,
    points: int | None = None,
    badge: Badge | None = None,
    form_token: str | None = None,
) -> Kudos:
    """A moderator thanks a member: a message, points and optionally a manual badge.

    ``form_token`` (one per form shown) makes a double submit return the first kudos.
    """
    require_staff(giver, community)
    if form_token:
        sent = Kudos.objects.filter(form_token=form_token, giver=giver).first()
        if sent is not None:
            return sent
    message = message.strip()
    if not message:
        raise Invalid(REASON_REQUIRED)
    (recipient,) = _members_by_username(community, [recipient_username])
    if recipient.pk == giver.pk:
        raise Invalid(NO_SELF_KUDOS)
    try:
        ratelimit.enforce("kudos", f"user:{giver.pk}")
    except ratelimit.RateLimited as exc:
        raise TooSoon(str(exc), retry_after=exc.retry_after) from exc
    if points is None:
        points = rule_for(community, actions.KUDOS_RECEIVED)[0]
    if not 0 <= points <= MAX_KUDOS_POINTS:
        raise Invalid(KUDOS_POINTS_RANGE.format(max=MAX_KUDOS_POINTS))
    if badge is not None and (badge.community_id != community.pk or not badge.is_manual):
        raise Invalid(BADGE_NOT_MANUAL)
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
            award(recipient, community, actions.KUDOS_RECEIVED, kudos, actor=giver, points=points)
        )
        if badge is not None:
            badge_award, created = engine.award_tier(
                badge,
                recipient.pk,
                engine.Tier.BRONZE,
                kudos.created_at,
                recognitions,
                granted_by_id=giver.pk,
                reason=message[:300],
            )
            if created:
                kudos.badge_award = badge_award
                kudos.save(update_fields=["badge_award"])
        badge_note = f", {badge.name} badge" if badge is not None else ""
        log_moderation(
            user=giver,
            community=community,
            action=ModerationAction.Action.KUDOS,
            member=recipient,
            reason=f"{message} (+{points} points{badge_note})",
        )
        hooks.publish_on_commit(recognitions)
    logger.info("kudos %s: %s -> %s (%s points)", kudos.pk, giver, recipient, points)
    return kudos


@retry_on_conflict
def revoke_kudos(*, kudos: Kudos, by, reason: str) -> Kudos:
    """Take kudos back: its points are reversed, its badge revoked, the record kept."""
    require_staff(by, kudos.community)
    reason = reason.strip()
    if not reason:
        raise Invalid(REASON_REQUIRED)
    with transaction.atomic():
        kudos = Kudos.objects.select_for_update(of=("self",)).get(pk=kudos.pk)
        if kudos.revoked_at is not None:
            raise Invalid(ALREADY_REVOKED)
        reverse_for_object(kudos, reason=f"Kudos revoked: {reason}", actor=by)
        if kudos.badge_award_id and kudos.badge_award.revoked_at is None:
            _mark_revoked(kudos.badge_award, by=by, reason=reason)
        _mark_revoked(kudos, by=by, reason=reason)
        log_moderation(
            user=by,
            community=kudos.community,
            action=ModerationAction.Action.REVOKE_KUDOS,
            member=kudos.recipient,
            reason=reason,
        )
    logger.info("kudos %s revoked by %s: %s", kudos.pk, by, reason)
    return kudos


@retry_on_conflict
def grant_badge(
    *, granted_by, community, badge: Badge, usernames: list[str], reason: str
) -> list[BadgeAward]:
    """Grant a manual badge to one or many members; those already holding it are skipped."""
    require_staff(granted_by, community)
    reason = reason.strip()
    if not reason:
        raise Invalid(REASON_REQUIRED)
    if badge.community_id != community.pk or not badge.is_manual:
        raise Invalid(BADGE_NOT_MANUAL)
    members = _members_by_username(community, usernames)
    recognitions = rec.Recognitions()
    granted = []
    now = timezone.now()
    with transaction.atomic():
        for member in members:
            badge_award, created = engine.award_tier(
                badge,
                member.pk,
                engine.Tier.BRONZE,
                now,
                recognitions,
                granted_by_id=granted_by.pk,
                reason=reason[:300],
            )
            if created:
                granted.append(badge_award)
                log_moderation(
                    user=granted_by,
                    community=community,
                    action=ModerationAction.Action.GRANT_BADGE,
                    member=member,
                    reason=f"{badge.name}: {reason}",
                )
        hooks.publish_on_commit(recognitions)
    logger.info("badge %s granted by %s to %d members", badge.slug, granted_by, len(granted))
    return granted


@retry_on_conflict
def revoke_badge_award(*, award: BadgeAward, by, reason: str) -> BadgeAward:
    """Revoke a manually granted badge; the award stays on record with who and why."""
    require_staff(by, award.community)
    reason = reason.strip()
    if not reason:
        raise Invalid(REASON_REQUIRED)
    if not award.badge.is_manual:
        raise Invalid(BADGE_NOT_MANUAL)
    with transaction.atomic():
        award = BadgeAward.objects.select_for_update(of=("self",)).get(pk=award.pk)
        if award.revoked_at is not None:
            raise Invalid(ALREADY_REVOKED)
        _mark_revoked(award, by=by, reason=reason)
        log_moderation(
            user=by,
            community=award.community,
            action=ModerationAction.Action.REVOKE_BADGE,
            member=award.member,
            reason=f"{award.badge.name}: {reason}",
        )
    logger.info("badge award %s revoked by %s: %s", award.pk, by, reason)
    return award


def _mark_revoked(record: Kudos | BadgeAward, *, by, reason: str) -> None:
    record.revoked_at = timezone.now()
    record.revoked_by = by
    record.revoke_reason = reason[:300]
    record.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
