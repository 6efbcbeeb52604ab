"""Reports, hiding and restoring, locks, features, serial-vote reversals and the
moderation log (``log_moderation`` is the one writer of ``ModerationAction``).

Lock order (``docs/architecture.md``): a post's topic, then the item (post, review, photo), then
the score rows of every member whose awards are reversed or restored (ascending id, taken by
``gamification.corrections``). Entry points are retried as a whole on a deadlock.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import (
    HelpfulVote,
    ModerationAction,
    Photo,
    Post,
    Report,
    Review,
    TargetType,
    Topic,
)
from community.services import notices
from community.services.gate import ensure_can_contribute, ensure_can_moderate, pace
from community.services.locking import lock_post
from community.services.messages import CONTENT_NOT_FOUND, REASON_REQUIRED
from community.services.topics import CONTENT_HIDDEN
from core.errors import Invalid
from core.retry import retry_on_conflict
from gamification import actions
from gamification.awards import record_action
from gamification.corrections import SERIAL_VOTES_REASON, restore_for_object, reverse_for_object
from tenancy.models import Community

ALREADY_REPORTED = "You already reported this. A moderator will look at it soon."


ALREADY_HIDDEN = "That content is already hidden."


NOT_HIDDEN = "That content is not hidden."


NO_OPEN_REPORTS = "There are no open reports about that item."


CANNOT_FEATURE = "Only reviews and photos can be featured."


SERIAL_VOTES_NOTE = (
    "Serial voting: {count} helpful votes from {voter} to {recipient} came in bursts"
    " ({min_votes} or more within {minutes} minutes); {points} points were reversed."
)


TARGET_MODELS = {TargetType.POST: Post, TargetType.REVIEW: Review, TargetType.PHOTO: Photo}


def find_target(*, community: Community, target_type: str, target_id: int):
    """The reportable item ``target_type``/``target_id`` of ``community``, or a clear error."""
    model = TARGET_MODELS.get(target_type)
    if model is None:
        raise Invalid(CONTENT_NOT_FOUND)
    in_community = {"topic__community": community} if model is Post else {"community": community}
    target = model.objects.filter(pk=target_id, **in_community).first()
    if target is None:
        raise Invalid(CONTENT_NOT_FOUND)
    return target


@retry_on_conflict
@transaction.atomic
def report(*, user, community: Community, target_type: str, target_id: int, reason: str) -> Report:
    ensure_can_contribute(user=user, community=community, kind="report")
    if not reason.strip():
        raise Invalid(REASON_REQUIRED)
    target = find_target(community=community, target_type=target_type, target_id=target_id)
    if Report.objects.filter(
        reporter=user, target_type=target_type, target_id=target_id, status=Report.Status.OPEN
    ).exists():
        raise Invalid(ALREADY_REPORTED)
    pace(user, community, "report")
    try:
        with transaction.atomic():
            filed = Report.objects.create(
                community=community,
                reporter=user,
                target_type=target_type,
                target_id=target_id,
                reason=reason.strip(),
            )
    except IntegrityError as exc:
        raise Invalid(ALREADY_REPORTED) from exc
    notices.report_filed(filed, target)
    return filed


def log_moderation(
    *, user, community, action, reason, target_type=None, target_id=None, member=None
) -> ModerationAction:
    """Write one entry of the community's moderation log (its only writer).

    An action about a member rather than an item (kudos, badges) names the member as its target.
    ``user`` is the moderator, or ``None`` for an automatic action.
    """
    if target_type is None and member is not None:
        target_type, target_id = "member", member.pk
    return ModerationAction.objects.create(
        community=community,
        moderator=user,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason[:500],
        member=member,
    )


def _close_reports(*, community, target_type, target_id, status) -> int:
    return Report.objects.filter(
        community=community,
        target_type=target_type,
        target_id=target_id,
        status=Report.Status.OPEN,
    ).update(status=status, closed_at=timezone.now())


def awarded_objects(target) -> list:
    """Everything whose awards stand or fall with ``target``: itself, votes on it, acceptance."""
    objects = [target]
    if isinstance(target, Post):
        objects += list(target.helpful_votes.all())
        objects += list(target.acceptances.all())
    return objects


def _set_hidden(target, hidden: bool) -> None:
    target.is_hidden = hidden
    target.save(update_fields=["is_hidden"])
    if isinstance(target, Post) and target.is_opening:
        Topic.objects.filter(pk=target.topic_id).update(is_hidden=hidden)


def _moderation_start(*, user, community, target_type, target_id, reason):
    ensure_can_moderate(user=user, community=community)
    if not reason.strip():
        raise Invalid(REASON_REQUIRED)
    target = find_target(community=community, target_type=target_type, target_id=target_id)
    if isinstance(target, Post):
        # Hiding the opening post hides its topic: the topic is locked first.
        return lock_post(target.pk, topic_id=target.topic_id)
    return type(target).objects.select_for_update(no_key=True, of=("self",)).get(pk=target.pk)


@retry_on_conflict
@transaction.atomic
def hide(*, user, community: Community, target_type: str, target_id: int, reason: str):
    """Hide an item, take back every point it earned, close its reports, log why, and tell
    the author."""
    return _change_visibility(
        user=user,
        community=community,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        hidden=True,
    )


@retry_on_conflict
@transaction.atomic
def restore(*, user, community: Community, target_type: str, target_id: int, reason: str):
    """Show a hidden item again, re-award what hiding took back, close review requests, log
    why, and tell the author."""
    return _change_visibility(
        user=user,
        community=community,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        hidden=False,
    )


def _change_visibility(*, user, community, target_type, target_id, reason, hidden: bool):
    target = _moderation_start(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )
    if target.is_hidden == hidden:
        raise Invalid(ALREADY_HIDDEN if hidden else NOT_HIDDEN)
    _set_hidden(target, hidden)
    for obj in awarded_objects(target):
        if hidden:
            reverse_for_object(obj, reason=f"hidden by a moderator: {reason}"[:200], actor=user)
        else:
            restore_for_object(
                obj,
                reason=f"restored by a moderator: {reason}"[:200],
                actor=user,
                # The author's own points from a review or a photo are held again, from now.
                hold=isinstance(obj, Review | Photo),
            )
    _close_reports(
        community=community,
        target_type=target_type,
        target_id=target_id,
        status=Report.Status.RESOLVED,
    )
    log_moderation(
        user=user,
        community=community,
        action=ModerationAction.Action.HIDE if hidden else ModerationAction.Action.RESTORE,
        target_type=target_type,
        target_id=target_id,
        reason=reason.strip(),
    )
    notices.visibility_changed(
        target, community=community, hidden=hidden, reason=reason.strip(), by=user
    )
    return target


@retry_on_conflict
@transaction.atomic
def dismiss_reports(
    *, user, community: Community, target_type: str, target_id: int, reason: str
) -> int:
    """Close the open reports about an item without acting on it."""
    _moderation_start(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )
    closed = _close_reports(
        community=community,
        target_type=target_type,
        target_id=target_id,
        status=Report.Status.DISMISSED,
    )
    if not closed:
        raise Invalid(NO_OPEN_REPORTS)
    log_moderation(
        user=user,
        community=community,
        action=ModerationAction.Action.DISMISS,
        target_type=target_type,
        target_id=target_id,
        reason=reason.strip(),
    )
    return closed


@retry_on_conflict
@transaction.atomic
def set_topic_locked(*, user, topic: Topic, locked: bool, reason: str) -> Topic:
    community = topic.community
    ensure_can_moderate(user=user, community=community)
    if not reason.strip():
        raise Invalid(REASON_REQUIRED)
    Topic.objects.filter(pk=topic.pk).update(is_locked=locked)  # locks the topic row only
    topic.is_locked = locked
    action = ModerationAction.Action.LOCK if locked else ModerationAction.Action.UNLOCK
    log_moderation(
        user=user,
        community=community,
        action=action,
        target_type="topic",
        target_id=topic.pk,
        reason=reason.strip(),
    )
    return topic


@retry_on_conflict
@transaction.atomic
def set_featured(
    *, user, community: Community, target_type: str, target_id: int, featured: bool, reason: str
):
    """Feature (or unfeature) a photo or review; a featured photo earns its author an award."""
    if target_type not in (TargetType.PHOTO, TargetType.REVIEW):
        raise Invalid(CANNOT_FEATURE)
    target = _moderation_start(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )
    if target.is_hidden:
        raise Invalid(CONTENT_HIDDEN)
    if target.is_featured == featured:
        return target
    target.is_featured = featured
    target.save(update_fields=["is_featured"])
    if featured and isinstance(target, Photo):
        record_action(
            target.author,
            community,
            actions.PHOTO_FEATURED,
            target,
            actor=user,
            key=f"photo-featured:{target.pk}",
        )
    action = ModerationAction.Action.FEATURE if featured else ModerationAction.Action.UNFEATURE
    log_moderation(
        user=user,
        community=community,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason.strip(),
    )
    return target


@retry_on_conflict
@transaction.atomic
def reverse_serial_votes(
    *,
    community: Community,
    voter,
    recipient,
    votes: list[HelpfulVote],
    min_votes: int,
    minutes: int,
) -> int:
    """Take back what one voter's serial votes earned one recipient; log it, alert moderators.

    Reversals go through ``gamification.corrections`` (reversal rows, never deletions). Votes whose
    awards are already reversed, or that earned nothing, add nothing: when nothing new is
    reversed, nothing is logged or sent, so a second run is a no-op. Returns the points taken.
    """
    reversals = []
    for vote in votes:
        reversals += reverse_for_object(vote, reason=SERIAL_VOTES_REASON)
    points = -sum(row.points for row in reversals)
    if not reversals:
        return 0
    note = SERIAL_VOTES_NOTE.format(
        count=len(votes),
        voter=voter.username,
        recipient=recipient.username,
        min_votes=min_votes,
        minutes=minutes,
        points=points,
    )
    log_moderation(
        user=None,
        community=community,
        action=ModerationAction.Action.REVERSE_VOTES,
        target_type="member",
        target_id=recipient.pk,
        reason=note[:500],
        member=recipient,
    )
    notices.alert_staff(community=community, message=note)
    return points
