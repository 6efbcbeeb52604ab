from django.shortcuts import render

from cms.selectors import challenges_for_member
from community import selectors
from community.views.base import or_404, scope_for
from gamification.selectors.progress import member_progress
from rewards.selectors import rewards_unlocked_at


def member_profile(request, slug, username):
    """One profile per member and community: contributions, game progress and challenges.

    Activity is left out for readers the member chose not to show it to (see the selector).
    """
    scope = scope_for(request, slug)
    profile = or_404(
        selectors.member_profile(
            scope.community,
            username,
            viewer_is_member=scope.membership is not None,
            viewer=request.user if request.user.is_authenticated else None,
        )
    )
    person = profile["profile_user"]
    context = scope.context(**profile, can_recognise=scope.is_staff and person != request.user)
    if profile["show_activity"]:
        progress = member_progress(person, scope.community)
        context["progress"] = progress
        context["next_level_rewards"] = rewards_unlocked_at(
            scope.community, progress.level.next_name
        )
        context["challenges"] = challenges_for_member(person, scope.community)
    return render(request, "community/member_profile.html", context)
