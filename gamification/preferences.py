"""A member's engine-side preferences: whether they appear on public boards and the feed."""

from django.db import transaction
from django.utils import timezone

from gamification import engine, hooks
from gamification.models import PeriodScore, Score


@transaction.atomic
def set_leaderboard_visibility(*, member, community, public: bool) -> None:
    """Show or hide the member on public boards; they keep a private rank either way.

    Open boards refresh through the coalesced ``leaderboard.changed`` push after commit.
    """
    engine.lock_score(community_id=community.pk, member_id=member.pk, at=timezone.now())
    Score.objects.filter(community=community, member=member).update(public=public)
    PeriodScore.objects.filter(community=community, member=member).update(public=public)
    hooks.leaderboard_changed(community.pk)
