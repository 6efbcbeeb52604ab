"""What moderation tells people: moderators hear of new reports and review requests, authors
hear when their content is hidden or restored (with the reason and how to ask for a review).

Everything goes through the realtime publisher after commit: a stored notification (bell and
inbox) and a live toast. Nobody is told about their own action.
"""

from django.db import transaction
from django.urls import reverse

from community.models import Post, Report, TargetType
from community.services.gate import ensure_can_contribute
from community.services.messages import CONTENT_NOT_FOUND, REASON_REQUIRED
from core.errors import Invalid, NotAllowed
from gamification import recognitions as rec
from realtime import event_types, events
from tenancy.models import Community, Membership

NOT_YOUR_CONTENT = "Only the author can ask for a review of a hidden item."
NOT_HIDDEN_NOW = "That item is not hidden, so there is nothing to review."
REVIEW_ALREADY_ASKED = "You already asked for a review; a moderator will look at it soon."
REVIEW_PREFIX = "Review requested by the author: "


def describe(target) -> str:
    """How an item reads in a notice: "topic", "reply", "review" or "photo"."""
    if isinstance(target, Post):
        return "topic" if target.is_opening else "reply"
    return type(target).__name__.lower()


def _staff_ids(community: Community, *, besides=None) -> list[int]:
    staff = Membership.objects.filter(community=community).staff()
    if besides is not None:
        staff = staff.exclude(user_id=besides)
    return list(staff.values_list("user_id", flat=True))


def alert_staff(*, community: Community, message: str, besides=None, kind=None) -> None:
    """A notification (and a live toast after commit) to each moderator and brand manager."""
    url = reverse("community:moderation", kwargs={"slug": community.slug})
    alerts = rec.Recognitions()
    for user_id in _staff_ids(community, besides=besides):
        alerts.add(
            kind or event_types.MODERATION_ALERT,
            user_id=user_id,
            community_id=community.pk,
            community=community.name,
            message=message,
            url=url,
        )
    events.publish_on_commit(alerts)


def report_filed(report: Report, target) -> None:
    """Moderators (except the reporter) hear of a new report at once."""
    alert_staff(
        community=report.community,
        message=f"A {describe(target)} by {target.author.username}: “{report.reason}”",
        besides=report.reporter_id,
        kind=event_types.MODERATION_REPORT,
    )


def visibility_changed(target, *, community: Community, hidden: bool, reason: str, by) -> None:
    """Tell the author their item was hidden (and how to ask for a review) or restored."""
    if target.author_id == getattr(by, "pk", None):
        return
    what = describe(target)
    target_type = TargetType.POST if isinstance(target, Post) else what
    notice = rec.Recognitions()
    notice.add(
        event_types.CONTENT_HIDDEN if hidden else event_types.CONTENT_RESTORED,
        user_id=target.author_id,
        community_id=community.pk,
        community=community.name,
        what=what,
        reason=reason,
        url=(
            reverse("community:ask_review", args=[community.slug, target_type, target.pk])
            if hidden
            else target.get_absolute_url()
        ),
    )
    events.publish_on_commit(notice)


@transaction.atomic
def ask_for_review(*, user, community: Community, target, reason: str) -> Report:
    """The author of a hidden item asks the moderators to look again: an open report on the
    item, which puts it back in the queue, and an alert to the moderators."""
    ensure_can_contribute(user=user, community=community, kind="report")
    reason = reason.strip()
    if not reason:
        raise Invalid(REASON_REQUIRED)
    if target is None:
        raise Invalid(CONTENT_NOT_FOUND)
    if target.author_id != user.pk:
        raise NotAllowed(NOT_YOUR_CONTENT)
    if not target.is_hidden:
        raise Invalid(NOT_HIDDEN_NOW)
    target_type = TargetType.POST if isinstance(target, Post) else describe(target)
    open_report = Report.objects.filter(
        reporter=user, target_type=target_type, target_id=target.pk, status=Report.Status.OPEN
    )
    if open_report.exists():
        raise Invalid(REVIEW_ALREADY_ASKED)
    report = Report.objects.create(
        community=community,
        reporter=user,
        target_type=target_type,
        target_id=target.pk,
        reason=(REVIEW_PREFIX + reason)[:500],
    )
    alert_staff(
        community=community,
        message=f"{user.username} asks for a review of their hidden {describe(target)}: “{reason}”",
        besides=user.pk,
        kind=event_types.MODERATION_REPORT,
    )
    return report
