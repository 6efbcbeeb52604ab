"""Invites and referrals: a member's invite link, the first join, and the payout.

A referral counts only for someone who never joined the community before (``FirstJoin``
survives a membership's deletion) and is not the invite's owner. It pays when the newcomer's
first contribution lands (an ``on_award_applied`` subscriber, inside that award's transaction):
the newcomer always, the referrer within the community's monthly cap. When that first
contribution is reversed (hidden junk from a throwaway account), the payout is reversed with it
(an ``on_awards_corrected`` subscriber), and restored with it.
"""

import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gamification import actions, engine, hooks, periods
from gamification import recognitions as rec
from gamification.awards import award
from gamification.corrections import restore_for_object, reverse_for_object
from gamification.models import FirstJoin, InviteCode, Referral
from gamification.selectors.ledger import game_settings
from gamification.welcomes import record_profile_completed
from tenancy.models import Membership

INVITE_UNKNOWN = "That invite link is not valid for this community. You can still join."
INVITE_OWN = "That is your own invite link: share it with friends instead."
INVITE_ALREADY_MEMBER = "You are already a member, so this invite does not count."
INVITE_NOT_NEW = "You have been a member before, so this invite does not count."


def invite_problem(*, code: str, community, user) -> str | None:
    """Why ``user`` can't join ``community`` through invite ``code``, or ``None`` if they can."""
    invite = InviteCode.objects.filter(code=code, community=community).first() if code else None
    if invite is None:
        return INVITE_UNKNOWN
    if invite.member_id == user.pk:
        return INVITE_OWN
    if Membership.objects.filter(user=user, community=community).exists():
        return INVITE_ALREADY_MEMBER
    if FirstJoin.objects.filter(community=community, member=user).exists():
        return INVITE_NOT_NEW
    return None


def invite_code(*, member, community) -> InviteCode:
    """The member's invite code in ``community``, created on first use and stable after."""
    found = InviteCode.objects.filter(community=community, member=member).first()
    if found is not None:
        return found
    with transaction.atomic():
        InviteCode.objects.bulk_create(
            [InviteCode(community=community, member=member, code=secrets.token_urlsafe(12))],
            ignore_conflicts=True,
        )
    return InviteCode.objects.get(community=community, member=member)


def member_joined(*, member, community, referral_code: str = "") -> Referral | None:
    """Record a new membership: the first join, a referral if the invite counts, a welcome.

    Called by ``community.services.join_community`` in its transaction, only when the
    membership was created. An invite counts only for someone who never joined before (no
    ``FirstJoin`` row) and is not its owner; an invite that doesn't count is ignored here (the
    view has already told the member why, from ``invite_problem``).
    """
    now = timezone.now()
    with transaction.atomic():
        new = not FirstJoin.objects.filter(community=community, member=member).exists()
        referral = None
        if new:
            FirstJoin.objects.bulk_create(
                [FirstJoin(community=community, member=member, joined_at=now)],
                ignore_conflicts=True,
            )
            invite = (
                InviteCode.objects.filter(code=referral_code, community=community).first()
                if referral_code
                else None
            )
            if invite is not None and invite.member_id != member.pk:
                referral, _ = Referral.objects.get_or_create(
                    community=community,
                    newcomer=member,
                    defaults={"referrer_id": invite.member_id, "joined_at": now},
                )
        record_profile_completed(member=member, community=community)
    return referral


def pay_referral(*, newcomer, community, at: datetime) -> rec.Recognitions:
    """Pay a referral when its newcomer's first contribution lands (inside that award).

    The newcomer always gets their bonus; the referrer gets theirs within the community's
    monthly cap. The referrer's score row is locked before counting, so racing payouts can't
    both squeeze under the cap. ``awards.award_applied`` has already locked both score rows in
    ascending member id before the newcomer's award (the lock order of
    ``docs/architecture.md``), so the lock here is one this transaction holds; the referral row
    is locked alone (``of=("self",)``), never the referrer's user row it joins.
    """
    recognitions = rec.Recognitions()
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .filter(community=community, newcomer=newcomer, paid_at__isnull=True)
        .select_related("referrer")
        .first()
    )
    if referral is None:
        return recognitions
    referrer = referral.referrer
    engine.lock_score(community_id=community.pk, member_id=referrer.pk, at=at)
    cap = game_settings(community).referral_monthly_cap
    month = periods.month_start(periods.local_day(community, at))
    paid_this_month = Referral.objects.filter(
        community=community, referrer=referrer, referrer_paid=True, paid_month=month
    ).count()
    still_member = Membership.objects.filter(user=referrer, community=community).exists()
    referral.referrer_paid = still_member and paid_this_month < cap
    referral.paid_at, referral.paid_month = at, month
    referral.save(update_fields=["paid_at", "paid_month", "referrer_paid"])
    recognitions.extend(
        award(
            newcomer,
            community,
            actions.REFERRAL_WELCOME,
            referral,
            key=f"referral:{referral.pk}:newcomer",
            at=at,
        )
    )
    if referral.referrer_paid:
        recognitions.extend(
            award(
                referrer,
                community,
                actions.REFERRAL_COMPLETED,
                referral,
                actor=newcomer,
                key=f"referral:{referral.pk}:referrer",
                at=at,
            )
        )
        recognitions.add(
            rec.REFERRAL_PAID,
            user_id=referrer.pk,
            community_id=community.pk,
            friend=newcomer.username,
            community=community.name,
            url=reverse("gamification:invite", kwargs={"slug": community.slug}),
        )
    return recognitions


def on_award_applied(applied: hooks.AppliedAward) -> None:
    """A newcomer's first contribution pays their referral, if they came through one."""
    if applied.action == actions.FIRST_CONTRIBUTION:
        applied.recognitions.extend(
            pay_referral(newcomer=applied.member, community=applied.community, at=applied.at)
        )


def on_awards_corrected(correction: hooks.Correction) -> list:
    """A reversed (restored) first contribution takes its referral payout back (gives it back)."""
    further = []
    for referral in _referrals_paid_by(correction.entries):
        if correction.restored:
            further += restore_for_object(
                referral, reason=correction.reason, actor=correction.actor
            )
        else:
            further += reverse_for_object(
                referral, reason=correction.reason, actor=correction.actor
            )
    return further


def _referrals_paid_by(entries) -> list[Referral]:
    """The paid referrals whose payout a first-contribution row among ``entries`` triggered."""
    newcomers = Q()
    for entry in entries:
        if entry.action == actions.FIRST_CONTRIBUTION:
            newcomers |= Q(community_id=entry.community_id, newcomer_id=entry.member_id)
    if not newcomers:
        return []
    return list(Referral.objects.filter(newcomers, paid_at__isnull=False))
