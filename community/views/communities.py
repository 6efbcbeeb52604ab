from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cms.models import CommunityHomePage
from community import selectors
from community.models import Topic
from community.services.membership import join_community, leave_community
from community.views.base import scope_for
from core import errors
from gamification.referrals import invite_problem
from gamification.selectors.leaderboard import WEEK, leaderboard
from tenancy import access

SIDEBAR_PHOTOS = 6
SIDEBAR_LEADERS = 5
INVITES_SESSION_KEY = "invites"
MAX_INVITE_CODE = 64


def home(request):
    communities = selectors.visible_communities(request.user).order_by("name")
    return render(request, "community/home.html", {"communities": communities})


def community_detail(request, slug):
    scope = scope_for(request, slug)
    kind = request.GET.get("kind")
    kind = kind if kind in Topic.Kind.values else None
    sort = request.GET.get("sort")
    sort = sort if sort in selectors.TOPIC_SORTS else "latest"
    page = selectors.topics_page(
        scope.community, page=request.GET.get("page"), kind=kind, sort=sort
    )
    context = scope.context(
        tab="topics",
        page=page,
        kind=kind,
        sort=sort,
        sorts=selectors.TOPIC_SORTS,
        staff=access.staff_of(scope.community),
        recent_photos=list(selectors.photos(scope.community)[:SIDEBAR_PHOTOS]),
        top_week=leaderboard(scope.community, period=WEEK, viewer=request.user).entries[
            :SIDEBAR_LEADERS
        ],
        home_page=CommunityHomePage.objects.live().filter(community=scope.community).first(),
    )
    return render(request, "community/community_detail.html", context)


@require_http_methods(["GET", "POST"])
def join(request, slug):
    """GET follows an invite link (``?ref=<code>``); POST joins, with the invite if one is kept.

    The invite code waits in the session, per community, so it survives sign-up and log-in.
    """
    scope = scope_for(request, slug)
    if request.method == "GET":
        return _follow_invite(request, scope)
    if not request.user.is_authenticated:
        return redirect_to_login(scope.community.get_absolute_url())
    code = request.session.get(INVITES_SESSION_KEY, {}).pop(slug, "")
    request.session.modified = True
    if code and scope.membership is None:
        problem = invite_problem(code=code, community=scope.community, user=request.user)
        if problem:
            messages.warning(request, problem)
            code = ""
    join_community(user=request.user, community=scope.community, referral_code=code)
    messages.success(request, f"Welcome to {scope.community.name}!")
    return redirect(scope.community)


def _follow_invite(request, scope):
    code = request.GET.get("ref", "").strip()[:MAX_INVITE_CODE]
    community = scope.community
    if not code:
        return redirect(community)
    if request.user.is_authenticated:
        problem = invite_problem(code=code, community=community, user=request.user)
        if problem:
            messages.warning(request, problem)
            return redirect(community)
    request.session[INVITES_SESSION_KEY] = {
        **request.session.get(INVITES_SESSION_KEY, {}),
        community.slug: code,
    }
    if not request.user.is_authenticated:
        messages.info(
            request, f"You're invited to {community.name}: create an account (or log in) to join."
        )
        signup = reverse("accounts:signup")
        return redirect(f"{signup}?{urlencode({'next': community.get_absolute_url()})}")
    messages.info(request, f"You're invited to {community.name}: join below.")
    return redirect(community)


@login_required
def leave(request, slug):
    """GET: what leaving means, to confirm; POST: leave."""
    scope = scope_for(request, slug)
    if request.method != "POST":
        if scope.membership is None:
            return redirect(scope.community)
        return render(request, "community/leave_confirm.html", scope.context())
    try:
        leave_community(user=request.user, community=scope.community)
    except errors.AppError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, f"You left {scope.community.name}.")
    return redirect(scope.community)
