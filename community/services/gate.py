"""The one gate for contributions: membership, level allowances and the community's pace.

``ensure_can_contribute`` is called by every content service before it writes; allowances are
counted inside the caller's transaction, so a contribution that fails later gives them back.
"""

from datetime import timedelta

from django.utils import timezone

from community.markdown import count_links
from community.models import (
    Post,
)
from community.services.messages import BRAND_MANAGERS_ONLY, MODERATORS_ONLY
from core.errors import NotAllowed, TooSoon
from gamification import privileges
from safety import ratelimit
from tenancy.access import require_member
from tenancy.models import Community, Membership

POSTING_TOO_SOON = "This community asks members to wait between posts. Please try again in {wait}."


NEW_MEMBER_DAY = timedelta(days=1)


# Which shared rate limit (settings.RATE_LIMITS) each contribution counts against.
RATE_LIMIT_FOR = {
    "topic": "post",
    "reply": "post",
    "vote": "vote",
    "photo": "upload",
    "report": "report",
}


# What a member can do; level privileges from the engine will refine these per kind.
CONTRIBUTION_KINDS = frozenset(
    {"topic", "reply", "edit", "vote", "accept", "review", "photo", "report"}
)


# Contributions that count against a new member's daily allowance (gamification.privileges).
LEVEL_LIMITED_KINDS = frozenset({"topic", "photo", "vote"})


def ensure_can_contribute(*, user, community: Community, kind: str, body: str = "") -> Membership:
    """The one gate for "may this person contribute ``kind`` here now?"."""
    if kind not in CONTRIBUTION_KINDS:
        raise ValueError(f"Unknown contribution kind: {kind}")
    membership = require_member(user, community)
    claim_allowance(user, community, kind, body)
    return membership


def ensure_can_edit(*, user, community: Community, old: str, new: str) -> Membership:
    """The gate for an edit: membership, then the link allowance for what the edit adds only.

    An edit that keeps or removes links spends nothing; one that adds links counts the added
    ones, like a new contribution would (posts, reviews and captions alike).
    """
    membership = require_member(user, community)
    claim_links(user, community, added_links(old, new))
    return membership


def added_links(old: str, new: str) -> int:
    return max(count_links(new or "") - count_links(old or ""), 0)


def claim_links(user, community: Community, links: int) -> None:
    if not links:
        return
    try:
        privileges.check(user, community, "link", count=links)
    except privileges.PrivilegeDenied as exc:
        raise NotAllowed(str(exc)) from exc


def claim_allowance(user, community: Community, kind: str, body: str = "") -> None:
    """Count the contribution against the member's level privileges, or refuse it.

    New members have daily allowances of topics, photos, votes and links that higher levels
    lift (``gamification.privileges``). The engine counts the use inside the caller's
    transaction, so a contribution that fails later gives the allowance back.
    """
    try:
        if kind in LEVEL_LIMITED_KINDS:
            privileges.check(user, community, kind)
        links = count_links(body) if body else 0
        if links:
            privileges.check(user, community, "link", count=links)
    except privileges.PrivilegeDenied as exc:
        raise NotAllowed(str(exc)) from exc


def pace(user, community: Community, kind: str) -> None:
    """Refuse a contribution that comes too soon: the community's pace, then the shared limit.

    Call it once per new contribution, after double-submit detection, so that a repeated
    request neither counts twice nor is refused.
    """
    if RATE_LIMIT_FOR[kind] == "post":
        _enforce_post_interval(user, community)
    try:
        ratelimit.enforce(RATE_LIMIT_FOR[kind], f"user:{user.pk}")
    except ratelimit.RateLimited as exc:
        raise TooSoon(str(exc), retry_after=exc.retry_after) from exc


def _enforce_post_interval(user, community: Community) -> None:
    joined_at = (
        Membership.objects.filter(user=user, community=community)
        .values_list("joined_at", flat=True)
        .first()
    )
    now = timezone.now()
    first_day = joined_at is not None and now - joined_at < NEW_MEMBER_DAY
    interval = max(
        community.post_interval_seconds,
        community.first_day_post_interval_seconds if first_day else 0,
    )
    if not interval:
        return
    last = (
        Post.objects.filter(author=user, topic__community=community)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    wait = interval - int((now - last).total_seconds())
    if wait > 0:
        raise TooSoon(POSTING_TOO_SOON.format(wait=ratelimit.humanize_wait(wait)), retry_after=wait)


def ensure_can_moderate(*, user, community: Community) -> Membership:
    membership = ensure_can_contribute(user=user, community=community, kind="report")
    if not membership.is_staff_role:
        raise NotAllowed(MODERATORS_ONLY)
    return membership


def ensure_brand_manager(*, user, community: Community) -> Membership:
    membership = ensure_can_contribute(user=user, community=community, kind="edit")
    if membership.role != Membership.Role.BRAND_MANAGER:
        raise NotAllowed(BRAND_MANAGERS_ONLY)
    return membership
