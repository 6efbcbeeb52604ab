"""Writes of the CMS: announcing published challenges and reminding members before the end.

Announcing is two steps: the publishing request records the announcement and queues
``cms.tasks.deliver_announcement``; the task writes a notification per member in batches
(``deliver_announcement`` below), so an editor publishing to 100,000 members is not kept
waiting. Challenge progress is not written here: ``cms.progress`` owns it.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cms import notifications, tasks
from cms.models import ChallengeAnnouncement, ChallengePage, ChallengeProgress, ChallengeReminder
from gamification import recognitions as rec
from realtime import event_types, events
from tenancy.models import Membership

CHALLENGE_PUBLISHED = "challenge.published"
PUBLISHED_VERB = "published a new challenge"
DEFAULT_REMINDER_WINDOW = timedelta(hours=24)


def _challenge_fields(challenge: ChallengePage) -> dict:
    return {
        "challenge_id": challenge.pk,
        "title": challenge.title,
        "summary": challenge.summary,
        "url": challenge.get_url(),
        "starts_at": challenge.starts_at.isoformat(),
        "ends_at": challenge.ends_at.isoformat(),
    }


@transaction.atomic
def announce_challenge(*, challenge: ChallengePage, published_by=None) -> bool:
    """Queue the announcement that ``challenge`` is out to its members; once per challenge.

    Returns whether it was queued: not when it was announced before (republishing, or
    publishing a new revision on schedule, never notifies again) and not while it is not live
    (Wagtail signals ``page_published`` also when a revision is only scheduled for later). The
    task is queued after commit, so it sees the published page.
    """
    if not challenge.live:
        return False
    _, created = ChallengeAnnouncement.objects.get_or_create(
        challenge=challenge, defaults={"announced_at": timezone.now(), "recipients": 0}
    )
    if not created:
        return False
    publisher_id = published_by.pk if published_by is not None else None
    transaction.on_commit(
        lambda: tasks.deliver_announcement.enqueue(challenge.pk, publisher_id), robust=True
    )
    return True


@transaction.atomic
def deliver_announcement(*, challenge_id: int, published_by_id: int | None = None) -> int:
    """Write the announcement of a challenge to every member but its publisher (the task's work).

    Returns how many members were notified; 0 if it was delivered before (a retried task).
    """
    announcement = (
        ChallengeAnnouncement.objects.select_for_update()
        .select_related("challenge")
        .filter(challenge_id=challenge_id, delivered_at__isnull=True)
        .first()
    )
    if announcement is None:
        return 0
    challenge = announcement.challenge.specific
    members = Membership.objects.filter(community_id=challenge.community_id)
    if published_by_id is not None:
        members = members.exclude(user_id=published_by_id)
    sent = notifications.publish_community_event(
        community=challenge.community,
        event={"type": CHALLENGE_PUBLISHED, **_challenge_fields(challenge)},
        recipient_ids=members.order_by("user_id").values_list("user_id", flat=True).iterator(),
        verb=PUBLISHED_VERB,
        target=challenge,
        except_user_id=published_by_id,
    )
    announcement.recipients = sent
    announcement.delivered_at = timezone.now()
    announcement.save(update_fields=["recipients", "delivered_at"])
    return sent


@transaction.atomic
def remind_ending_challenges(
    *, now: datetime | None = None, within: timedelta = DEFAULT_REMINDER_WINDOW
) -> int:
    """Remind members who joined a challenge ending within ``within`` and haven't finished.

    Each member is reminded at most once per challenge (a ``ChallengeReminder`` row, unique per
    member and challenge). Returns how many reminders were sent.
    """
    now = now or timezone.now()
    already = ChallengeReminder.objects.filter(
        challenge=OuterRef("challenge"), member=OuterRef("member")
    )
    due = list(
        ChallengeProgress.objects.filter(
            challenge__live=True,
            challenge__ends_at__gt=now,
            challenge__ends_at__lte=now + within,
            completed_at__isnull=True,
        )
        .exclude(Exists(already))
        .select_related("challenge")
        .order_by("challenge_id", "member_id")
    )
    ChallengeReminder.objects.bulk_create(
        [ChallengeReminder(challenge=p.challenge, member_id=p.member_id, sent_at=now) for p in due]
    )
    recognitions = rec.Recognitions()
    fields = {}
    for progress in due:
        challenge = progress.challenge
        if challenge.pk not in fields:
            fields[challenge.pk] = _challenge_fields(challenge)
        recognitions.add(
            event_types.CHALLENGE_ENDING,
            user_id=progress.member_id,
            community_id=challenge.community_id,
            count=progress.count,
            goal=challenge.goal_count,
            **fields[challenge.pk],
        )
    events.publish_on_commit(recognitions)
    return len(due)
