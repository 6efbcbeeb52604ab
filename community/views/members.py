from django.shortcuts import render

from cms.selectors import challenges_for_member
from community import selectors
from community.views.base import or_404, scope_for
from gamification.selectors import member_progress
from rewards.selectors import rewards_unlocked_at


def member_profile(request, slug, username):
    """One profile per member and community: contributions, game progress and challenges."""
    scope = scope_for(request, slug)
    profile = or_404(selectors.member_profile(scope.community, username))
    person = profile["profile_user"]
    progress = member_progress(person, scope.community)
    context = scope.context(
        **profile,
        progress=progress,
        next_level_rewards=rewards_unlocked_at(scope.community, progress.level.next_name),
        challenges=challenges_for_member(person, scope.community),
        can_recognise=scope.is_staff and person != request.user,
    )
    return render(request, "community/member_profile.html", context)
