"""Pages of the engine: leaderboards, points history, how points work, progress, recognition."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.services import recognition
from core import errors
from gamification import actions, preferences, referrals
from gamification.forms import BulkBadgeForm, KudosForm, RevokeForm
from gamification.models import BadgeAward, Kudos
from gamification.selectors import feed, invites, rules
from gamification.selectors import leaderboard as boards
from gamification.selectors.ledger import balance_outlook, ledger_for, ledger_label
from gamification.selectors.progress import member_progress
from tenancy import access
from tenancy import access as tenancy_access
from tenancy.access import membership as membership_of

LEDGER_PAGE_SIZE = 50


def _community(request, slug):
    community = tenancy_access.readable_community(request.user, slug)
    if community is None:
        raise Http404("No such community.")
    return community


def _staff_community(request, slug):
    community = _community(request, slug)
    if not tenancy_access.is_staff(request.user, community):
        raise PermissionDenied(access.STAFF_ONLY)
    return community


FRAGMENT_MAX = 50


def leaderboard(request, slug):
    community = _community(request, slug)
    period = request.GET.get("period", boards.WEEK)
    if period not in boards.PERIODS:
        period = boards.WEEK
    board = boards.leaderboard(community, period=period, viewer=request.user)
    context = {
        "community": community,
        "board": board,
        "periods": boards.PERIODS,
        "membership": membership_of(request.user, community),
    }
    return render(request, "gamification/leaderboard.html", context)


def leaderboard_fragment(request, slug):
    """The board alone, as HTML, for pages that refresh it live on ``leaderboard.changed``."""
    community = _community(request, slug)
    period = request.GET.get("period", boards.WEEK)
    if period not in boards.PERIODS:
        period = boards.WEEK
    try:
        limit = min(max(int(request.GET.get("limit", FRAGMENT_MAX)), 1), FRAGMENT_MAX)
    except ValueError:
        limit = FRAGMENT_MAX
    board = boards.leaderboard(community, period=period, viewer=request.user)
    context = {"community": community, "board": board, "entries": board.entries[:limit]}
    return render(request, "gamification/_board.html", context)


@login_required
@require_POST
def leaderboard_visibility(request, slug):
    community = _community(request, slug)
    if membership_of(request.user, community) is None:
        raise PermissionDenied(recognition.NOT_A_MEMBER.format(username=request.user.username))
    public = request.POST.get("public") == "1"
    preferences.set_leaderboard_visibility(member=request.user, community=community, public=public)
    if public:
        messages.success(request, "You're back on the public leaderboard.")
    else:
        messages.info(request, "You're hidden from public leaderboards; only you see your rank.")
    return redirect("gamification:leaderboard", slug=community.slug)


@login_required
def ledger(request, slug):
    community = _community(request, slug)
    page = Paginator(ledger_for(request.user, community), LEDGER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(entry, ledger_label(entry)) for entry in page.object_list]
    progress = member_progress(request.user, community)
    context = {
        "community": community,
        "page": page,
        "rows": rows,
        "progress": progress,
        "outlook": balance_outlook(request.user, community),
        "held": actions.POINTS_HELD,
    }
    return render(request, "gamification/ledger.html", context)


def how_points_work(request, slug):
    community = _community(request, slug)
    context = {"community": community, "how": rules.how_points_work(community)}
    return render(request, "gamification/how.html", context)


def progress(request, slug, username):
    """Progress lives on the member's community profile now; old links land there."""
    return redirect("community:member", slug=slug, username=username)


def recognition_feed(request, slug):
    community = _community(request, slug)
    context = {
        "community": community,
        "feed": feed.recognition_feed(community),
        "is_staff": tenancy_access.is_staff(request.user, community),
        "revoke_form": RevokeForm(),
    }
    return render(request, "gamification/feed.html", context)


@login_required
def give_kudos(request, slug):
    community = _staff_community(request, slug)
    badges = rules.manual_badges(community)
    retry_after = None
    if request.method == "POST":
        form = KudosForm(request.POST, badges=badges)
        if form.is_valid():
            try:
                kudos = recognition.give_kudos(
                    giver=request.user,
                    community=community,
                    recipient_username=form.cleaned_data["recipient"],
                    message=form.cleaned_data["message"],
                    points=form.cleaned_data["points"],
                    badge=form.cleaned_data["badge"],
                    form_token=form.cleaned_data["token"],
                )
            except errors.TooSoon as exc:
                form.add_error(None, str(exc))
                retry_after = exc.retry_after
            except errors.AppError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Kudos sent to {kudos.recipient.username}.")
                return redirect(_safe_next(request, community))
    else:
        initial = {"recipient": request.GET.get("to", ""), "token": uuid.uuid4().hex}
        form = KudosForm(initial=initial, badges=badges)
    context = {"community": community, "form": form, "next": request.GET.get("next", "")}
    if retry_after is None:
        return render(request, "gamification/kudos_form.html", context)
    # Refused by the rate limit: a 429 with the seconds left, like the community forms.
    response = render(request, "gamification/kudos_form.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _safe_next(request, community) -> str:
    target = request.POST.get("next") or ""
    if target.startswith(f"/c/{community.slug}/") and "//" not in target:
        return target
    return reverse("gamification:feed", kwargs={"slug": community.slug})


@login_required
def grant_badge(request, slug):
    community = _staff_community(request, slug)
    badges = rules.manual_badges(community)
    members = tenancy_access.plain_members(community)
    if request.method == "POST":
        form = BulkBadgeForm(request.POST, badges=badges, members=members)
        if form.is_valid():
            try:
                granted = recognition.grant_badge(
                    granted_by=request.user,
                    community=community,
                    badge=form.cleaned_data["badge"],
                    usernames=form.cleaned_data["all_usernames"],
                    reason=form.cleaned_data["reason"],
                )
            except errors.AppError as exc:
                form.add_error(None, str(exc))
            else:
                count = len(granted)
                messages.success(
                    request,
                    f"{form.cleaned_data['badge'].name} granted to {count} "
                    f"member{'s' if count != 1 else ''}.",
                )
                return redirect("gamification:feed", slug=community.slug)
    else:
        form = BulkBadgeForm(badges=badges, members=members)
    return render(request, "gamification/grant_form.html", {"community": community, "form": form})


@login_required
@require_POST
def revoke_kudos(request, slug, pk):
    community = _staff_community(request, slug)
    kudos = get_object_or_404(Kudos, pk=pk, community=community)
    return _revoke(request, community, recognition.revoke_kudos, kudos=kudos)


@login_required
@require_POST
def revoke_badge(request, slug, pk):
    community = _staff_community(request, slug)
    award = get_object_or_404(
        BadgeAward.objects.select_related("badge"), pk=pk, community=community
    )
    return _revoke(request, community, recognition.revoke_badge_award, award=award)


def _revoke(request, community, service, **target):
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, recognition.REASON_REQUIRED)
    else:
        try:
            service(by=request.user, reason=form.cleaned_data["reason"], **target)
        except errors.AppError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Revoked. The record stays in the feed with your reason.")
    return redirect("gamification:feed", slug=community.slug)


@login_required
def invite(request, slug):
    """The member's invite link to copy, and who joined through it (paid out or not yet)."""
    community = _community(request, slug)
    if membership_of(request.user, community) is None:
        messages.info(request, "Join the community to invite friends.")
        return redirect(community)
    code = referrals.invite_code(member=request.user, community=community)
    join_url = reverse("community:join", kwargs={"slug": community.slug})
    context = {
        "community": community,
        "invite_url": request.build_absolute_uri(f"{join_url}?ref={code.code}"),
        "summary": invites.invite_summary(request.user, community),
    }
    return render(request, "gamification/invite.html", context)
