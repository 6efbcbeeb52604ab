"""Level privileges: what a member's level lets them do per day, checked by the community app.

``check(member, community, kind)`` is the one call: it raises ``PrivilegeDenied`` (whose message
is shown to the member as is) when today's limit for ``kind`` at the member's level is used up,
and otherwise counts the use. It runs in the caller's transaction, so a contribution that fails
later gives the use back. Moderators and brand managers have no limits.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from gamification import periods
from gamification.defaults import PRIVILEGE_KINDS
from gamification.models import Level, LevelPrivilege, PrivilegeUse, Score
from tenancy.models import Membership

LIMIT_REACHED = (
    "As a {level} you can add {limit} {noun} a day, and you've reached that for today. "
    "Earn points to reach {next_level} and the limit goes up."
)
LIMIT_REACHED_TOP = "You can add {limit} {noun} a day, and you've reached that for today."
NOT_ALLOWED = "Reach {next_level} to unlock {noun}."
UNKNOWN_KIND = "Unknown privilege kind: {kind}"

NOUNS = {"topic": "topics", "photo": "photos", "link": "links", "vote": "votes"}


class PrivilegeDenied(Exception):
    """The member's level doesn't allow this (today); ``str(exc)`` is the message to show."""


def check(member, community, kind: str, *, count: int = 1) -> None:
    """Allow ``count`` more uses of ``kind`` today at the member's level, or raise."""
    if kind not in PRIVILEGE_KINDS:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    if Membership.objects.filter(
        user=member,
        community=community,
        role__in=[Membership.Role.MODERATOR, Membership.Role.BRAND_MANAGER],
    ).exists():
        return
    lifetime = (
        Score.objects.filter(community=community, member=member)
        .values_list("lifetime", flat=True)
        .first()
    ) or 0
    levels = list(Level.objects.filter(community=community).order_by("min_points"))
    if not levels:  # a community's first contribution: its defaults don't exist yet
        from gamification.setup import ensure_defaults

        ensure_defaults(community)
        levels = list(Level.objects.filter(community=community).order_by("min_points"))
    current = [level for level in levels if level.min_points <= lifetime]
    if not current:
        return
    level = current[-1]
    limit = (
        LevelPrivilege.objects.filter(level=level, kind=kind)
        .values_list("daily_limit", flat=True)
        .first()
    )
    if limit is None:
        return
    higher = [lv for lv in levels if lv.min_points > level.min_points]
    noun = NOUNS[kind]
    if limit == 0:
        raise PrivilegeDenied(NOT_ALLOWED.format(next_level=_name(higher), noun=noun))
    day = periods.local_day(community)
    with transaction.atomic():
        try:
            with transaction.atomic():
                PrivilegeUse.objects.get_or_create(
                    community=community, member=member, kind=kind, day=day
                )
        except IntegrityError:
            pass
        claimed = PrivilegeUse.objects.filter(
            community=community, member=member, kind=kind, day=day, used__lte=limit - count
        ).update(used=F("used") + count)
    if not claimed:
        if higher:
            message = LIMIT_REACHED.format(
                level=level.name, limit=limit, noun=noun, next_level=higher[0].name
            )
        else:
            message = LIMIT_REACHED_TOP.format(limit=limit, noun=noun)
        raise PrivilegeDenied(message)


def is_newcomer(member, community) -> bool:
    """Whether the member is at the community's lowest level (staff never are): what per-post
    limits for new members (how many people a post may mention) ask."""
    if Membership.objects.filter(
        user=member,
        community=community,
        role__in=[Membership.Role.MODERATOR, Membership.Role.BRAND_MANAGER],
    ).exists():
        return False
    lifetime = (
        Score.objects.filter(community=community, member=member)
        .values_list("lifetime", flat=True)
        .first()
    ) or 0
    second = list(
        Level.objects.filter(community=community)
        .order_by("min_points")
        .values_list("min_points", flat=True)[1:2]
    )
    return not second or lifetime < second[0]


def _name(levels: list[Level]) -> str:
    return levels[0].name if levels else "a higher level"
