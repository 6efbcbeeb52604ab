"""Writes of the CMS: announcing published challenges and reminding members before the end.

Challenge progress is not written here: ``cms.progress`` owns it.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cms import notifications
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
def announce_challenge(*, challenge: ChallengePage, published_by=None) -> int:
    """Notify the community's members that ``challenge`` is out; once per challenge.

    Returns how many members were notified: 0 when it was announced before (republishing, or
    publishing a new revision on schedule, never notifies again) and 0 while it is not live
    (Wagtail signals ``page_published`` also when a revision is only scheduled for later).
    """
    if not challenge.live:
        return 0
    _, created = ChallengeAnnouncement.objects.get_or_create(
        challenge=challenge, defaults={"announced_at": timezone.now(), "recipients": 0}
    )
    if not created:
        return 0
    members = Membership.objects.filter(community_id=challenge.community_id)
    if published_by is not None:
        members = members.exclude(user_id=published_by.pk)
    recipient_ids = list(members.order_by("user_id").values_list("user_id", flat=True))
    sent = notifications.publish_community_event(
        community=challenge.community,
        event={"type": CHALLENGE_PUBLISHED, **_challenge_fields(challenge)},
        recipient_ids=recipient_ids,
        verb=PUBLISHED_VERB,
        target=challenge,
        except_user_id=published_by.pk if published_by is not None else None,
    )
    ChallengeAnnouncement.objects.filter(challenge=challenge).update(recipients=sent)
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
