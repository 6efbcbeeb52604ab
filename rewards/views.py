"""Pages of the rewards app: the catalog, redeeming, my redemptions, and the manager's list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.services.recognition import REASON_REQUIRED
from core.errors import AppError, Invalid
from gamification.selectors import ledger
from gamification.selectors.progress import level_flair
from rewards import perks, selectors, services
from rewards.forms import CancelForm, FlairForm, RedeemForm
from rewards.models import Redemption
from tenancy import access
from tenancy.access import membership as membership_of
from tenancy.models import Membership

PAGE_SIZE = 50


def _community(request, slug):
    community = access.readable_community(request.user, slug)
    if community is None:
        raise Http404("No such community.")
    return community


def _manager_community(request, slug):
    community = _community(request, slug)
    member = membership_of(request.user, community)
    if member is None or member.role != Membership.Role.BRAND_MANAGER:
        raise PermissionDenied(services.NOT_BRAND_MANAGER)
    return community


def catalog(request, slug):
    community = _community(request, slug)
    rewards = list(selectors.catalog(community))
    context = {
        "community": community,
        "rewards": rewards,
        "wallet": ledger.balance_outlook(request.user, community),
        "membership": membership_of(request.user, community),
    }
    return render(request, "rewards/catalog.html", context)


@login_required
def redeem(request, slug, pk):
    """GET: what redeeming costs, to confirm (and where to ship a parcel); POST: redeem."""
    community = _community(request, slug)
    reward = selectors.reward_in(community, pk)
    if reward is None:
        raise Http404("No such reward.")
    if request.method != "POST":
        wallet = ledger.balance_outlook(request.user, community)
        context = {
            "community": community,
            "reward": reward,
            "wallet": wallet,
            "after": max(wallet.balance - reward.cost, 0),
            "short": wallet.balance < reward.cost,
            "form": RedeemForm(prefix=f"r{reward.pk}"),
        }
        return render(request, "rewards/confirm.html", context)
    form = RedeemForm(request.POST, prefix=f"r{reward.pk}")
    if not form.is_valid():
        messages.error(request, "Please reload the page and try again.")
        return redirect("rewards:catalog", slug=community.slug)
    try:
        redemption, _ = services.redeem(
            member=request.user,
            reward=reward,
            idempotency_key=f"form:{form.cleaned_data['token']}",
            shipping_note=form.cleaned_data["shipping_note"],
        )
    except AppError as error:
        messages.error(request, str(error))
        return redirect("rewards:catalog", slug=community.slug)
    messages.success(request, f"You redeemed {reward.name}.")
    return redirect("rewards:redemption", slug=community.slug, pk=redemption.pk)


def _flair_form(request, community, data=None):
    """The flair chooser, or None while the member owns no flair reward."""
    owned = perks.owned_flairs(request.user, community)
    if not owned:
        return None
    membership = membership_of(request.user, community)
    return FlairForm(
        data,
        owned=owned,
        level_flair=level_flair(community, request.user),
        initial={"flair": membership.flair if membership else ""},
    )


@login_required
def mine(request, slug):
    community = _community(request, slug)
    page = Paginator(selectors.redemptions_of(request.user, community), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "community": community,
        "page": page,
        "wallet": ledger.balance_outlook(request.user, community),
        "flair_form": _flair_form(request, community),
    }
    return render(request, "rewards/mine.html", context)


@login_required
@require_POST
def choose_flair(request, slug):
    community = _community(request, slug)
    form = _flair_form(request, community, request.POST)
    if form is None or not form.is_valid():
        messages.error(request, perks.NOT_YOUR_FLAIR)
        return redirect("rewards:mine", slug=community.slug)
    try:
        perks.choose_flair(
            member=request.user, community=community, flair=form.cleaned_data["flair"]
        )
    except AppError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your flair is updated.")
    return redirect("rewards:mine", slug=community.slug)


@login_required
def redemption_detail(request, slug, pk):
    community = _community(request, slug)
    redemption = get_object_or_404(selectors.redemptions_of(request.user, community), pk=pk)
    return render(
        request, "rewards/redemption.html", {"community": community, "redemption": redemption}
    )


@login_required
def manage(request, slug):
    community = _manager_community(request, slug)
    status = request.GET.get("status", Redemption.Status.PENDING)
    if status not in Redemption.Status.values:
        status = Redemption.Status.PENDING
    page = Paginator(selectors.community_redemptions(community, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "community": community,
        "page": page,
        "status": status,
        "statuses": Redemption.Status.choices,
        "rate": selectors.redemption_rate(community),
        "cancel_form": CancelForm(),
    }
    return render(request, "rewards/manage.html", context)


def _handle(request, slug, pk, action):
    community = _manager_community(request, slug)
    redemption = get_object_or_404(selectors.community_redemptions(community), pk=pk)
    try:
        action(redemption)
    except AppError as error:
        messages.error(request, str(error))
    return redirect("rewards:manage", slug=community.slug)


@login_required
@require_POST
def fulfil(request, slug, pk):
    def act(redemption):
        services.fulfil_redemption(redemption=redemption, by=request.user)
        messages.success(request, f"Marked {redemption.reward} for {redemption.member} fulfilled.")

    return _handle(request, slug, pk, act)


@login_required
@require_POST
def cancel(request, slug, pk):
    def act(redemption):
        form = CancelForm(request.POST)
        if not form.is_valid():
            raise Invalid(REASON_REQUIRED)
        services.cancel_redemption(
            redemption=redemption, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Cancelled; {redemption.cost} points went back.")

    return _handle(request, slug, pk, act)
