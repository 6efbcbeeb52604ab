from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cms.models import CommunityHomePage
from community import selectors, services
from community.models import Topic
from community.views.base import scope_for
from gamification.selectors import WEEK, leaderboard

SIDEBAR_PHOTOS = 6
SIDEBAR_LEADERS = 5


def home(request):
    communities = selectors.visible_communities(request.user).order_by("name")
    return render(request, "community/home.html", {"communities": communities})


def community_detail(request, slug):
    scope = scope_for(request, slug)
    kind = request.GET.get("kind")
    kind = kind if kind in Topic.Kind.values else None
    page = selectors.topics_page(scope.community, page=request.GET.get("page"), kind=kind)
    context = scope.context(
        tab="topics",
        page=page,
        kind=kind,
        staff=selectors.staff_of(scope.community),
        recent_photos=list(selectors.photos(scope.community)[:SIDEBAR_PHOTOS]),
        top_week=leaderboard(scope.community, period=WEEK, viewer=request.user).entries[
            :SIDEBAR_LEADERS
        ],
        home_page=CommunityHomePage.objects.live().filter(community=scope.community).first(),
    )
    return render(request, "community/community_detail.html", context)


@login_required
@require_POST
def join(request, slug):
    scope = scope_for(request, slug)
    services.join_community(user=request.user, community=scope.community)
    messages.success(request, f"Welcome to {scope.community.name}!")
    return redirect(scope.community)


@login_required
@require_POST
def leave(request, slug):
    scope = scope_for(request, slug)
    try:
        services.leave_community(user=request.user, community=scope.community)
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, f"You left {scope.community.name}.")
    return redirect(scope.community)
