"""Demo recognition for ``manage.py seed_demo``: four weeks of believable activity.

Every award goes through the engine (backdated), so points, counts, weeks, months, streaks,
levels and badges come out exactly as real use would leave them. Keys are deterministic, so a
second run writes nothing new.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.services import recognition
from gamification import actions, awards, periods, setup
from gamification.models import Badge, CommunityGameSettings, Kudos, Level
from tenancy.models import Community, Membership

DAYS = 28

# How busy each demo member is: chance of contributing on a day, and the longest recent run.
ACTIVITY = {
    "alice": (0.9, 12),
    "bob": (0.75, 5),
    "fatima": (0.6, 3),
    "dev": (0.5, 2),
    "carmen": (0.55, 4),
    "eli": (0.45, 2),
    "gus": (0.3, 0),
}
CONTRIBUTIONS = [
    (actions.REPLY_POSTED, 5),
    (actions.ANSWER_POSTED, 3),
    (actions.TOPIC_CREATED, 2),
    (actions.QUESTION_ASKED, 2),
    (actions.REVIEW_WRITTEN, 2),
    (actions.PHOTO_UPLOADED, 2),
]
RECEIVED = [actions.HELPFUL_VOTE_RECEIVED, actions.ANSWER_ACCEPTED, actions.PHOTO_FEATURED]
# Members from this level on see new challenges a day early (a level perk).
EARLY_ACCESS_LEVEL = "Insider"
# The optional loyalty settings, switched on in two demo communities to show them off.
LOYALTY = {
    "ember-roasters": {"pending_days": 3},
    "glow-lab": {"pending_days": 7, "expiry_months": 12},
}


@transaction.atomic
def seed(communities: list[Community]) -> None:
    now = timezone.now()
    for community in communities:
        setup.ensure_defaults(community)
        CommunityGameSettings.objects.filter(
            community=community, pending_days=0, expiry_months__isnull=True
        ).update(**LOYALTY.get(community.slug, {"pending_days": 0}))
        Level.objects.filter(
            community=community, name=EARLY_ACCESS_LEVEL, early_access_hours=0
        ).update(early_access_hours=24)
        members = list(
            Membership.objects.filter(community=community, role=Membership.Role.MEMBER)
            .select_related("user")
            .order_by("user__username")
        )
        users = [m.user for m in members]
        for user in users:
            _seed_member(community, user, users, now)
        _seed_recognition(community, users)


def _seed_member(community, user, everyone, now) -> None:
    chance, run = ACTIVITY.get(user.username, (0.4, 1))
    rng = random.Random(f"{community.slug}:{user.username}")  # noqa: S311 (demo data)
    others = [u for u in everyone if u.pk != user.pk]
    local_now = timezone.localtime(now, periods.community_zone(community))
    n = 0
    for days_ago in range(DAYS, -1, -1):
        if days_ago > run and rng.random() > chance:
            continue
        if days_ago == 0 and run == 0:
            continue
        morning = local_now.replace(hour=8, minute=0) - timedelta(days=days_ago)
        day = morning + timedelta(hours=rng.randint(0, 10))
        for _ in range(rng.randint(1, 3)):
            n += 1
            action = rng.choices(*zip(*CONTRIBUTIONS, strict=True))[0]
            at = min(day + timedelta(minutes=n), now - timedelta(minutes=90 - n % 60))
            awards.award(
                user, community, action, None, key=f"demo:{community.pk}:{user.pk}:{n}", at=at
            )
            if others and rng.random() < 0.5:
                awards.award(
                    user,
                    community,
                    rng.choice(RECEIVED),
                    None,
                    actor=rng.choice(others),
                    key=f"demo:{community.pk}:{user.pk}:{n}:received",
                    at=at + timedelta(minutes=20),
                )


def _seed_recognition(community, users) -> None:
    moderator = (
        Membership.objects.filter(community=community, role=Membership.Role.MODERATOR)
        .select_related("user")
        .first()
    )
    if moderator is None or not users or Kudos.objects.filter(community=community).exists():
        return
    hero = Badge.objects.filter(community=community, criterion=Badge.Criterion.MANUAL).first()
    recognition.give_kudos(
        giver=moderator.user,
        community=community,
        recipient_username=users[0].username,
        message="Thanks for the brilliant brew-guide thread; it answered a dozen questions.",
        points=25,
        badge=hero,
    )
    if len(users) > 1:
        recognition.give_kudos(
            giver=moderator.user,
            community=community,
            recipient_username=users[1].username,
            message="Your honest review helped a lot of people choose.",
        )
