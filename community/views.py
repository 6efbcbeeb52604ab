from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community import selectors, services


def home(request):
    communities = selectors.visible_communities(request.user).order_by("name")
    return render(request, "community/home.html", {"communities": communities})


def community_detail(request, slug):
    community = get_object_or_404(selectors.visible_communities(request.user), slug=slug)
    context = {
        "community": community,
        "membership": selectors.membership(request.user, community),
        "staff": selectors.staff_of(community),
    }
    return render(request, "community/community_detail.html", context)


@login_required
@require_POST
def join(request, slug):
    community = get_object_or_404(selectors.visible_communities(request.user), slug=slug)
    services.join_community(user=request.user, community=community)
    messages.success(request, f"Welcome to {community.name}!")
    return redirect(community)


@login_required
@require_POST
def leave(request, slug):
    community = get_object_or_404(selectors.visible_communities(request.user), slug=slug)
    try:
        services.leave_community(user=request.user, community=community)
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, f"You left {community.name}.")
    return redirect(community)
