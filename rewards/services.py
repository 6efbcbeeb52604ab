"""Writes of the rewards app: catalog codes, redemption, fulfilment and cancellation.

Points move only through ``gamification.balance`` (``lock_balance``, ``spend_points``,
``refund_points``). A redemption locks the member's score row first, so every check (idempotency
key, limit per member, level, balance) is made under that lock; stock is taken with a
conditional ``UPDATE ... WHERE stock > 0`` and pool codes with ``SELECT ... FOR UPDATE SKIP
LOCKED``, so concurrent members never oversell.

Lock order (``docs/architecture.md``): the member's score row, then the redemption, the reward's
stock and a pool code, last. Entry points are retried as a whole on a deadlock.
"""

import csv
import io
import logging
import secrets

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from community.services import recognition
from core import errors
from core.retry import retry_on_conflict
from gamification import balance as points
from gamification import recognitions as rec
from realtime import event_types, events
from rewards import perks
from rewards.models import Redemption, Reward, RewardCode
from tenancy.models import Membership

logger = logging.getLogger("gamification.audit")

OUT_OF_STOCK = "Sorry, this reward is out of stock."
NOT_ENOUGH_POINTS = points.NOT_ENOUGH_POINTS
LIMIT_REACHED = "You've already redeemed this reward as many times as allowed."
LEVEL_TOO_LOW = "This reward is reserved to members at level {level} and above."
NOT_YET_VALID = "This reward isn't available yet."
NO_LONGER_VALID = "This reward is no longer available."
NOT_A_MEMBER = "Join the community to redeem its rewards."
SHIPPING_NOTE_REQUIRED = "Please tell us where to ship it."
KEY_REQUIRED = "A redemption needs an idempotency key."
NOT_BRAND_MANAGER = "Only the community's brand managers can do that."
ALREADY_HANDLED = "This redemption was already {status}."
EMPTY_CSV = "The file has no codes."
BAD_CSV = "Please upload a UTF-8 CSV file with one code per line."
CODE_TOO_LONG = "Codes can be at most 64 characters."

GENERATED_CODE_BYTES = 6


class RedemptionError(errors.Conflict):
    """A redemption the rules refuse; the message is one of the constants above."""


def _check_window(reward: Reward, now) -> None:
    if not reward.active:
        raise RedemptionError(NO_LONGER_VALID)
    if reward.valid_from is not None and now < reward.valid_from:
        raise RedemptionError(NOT_YET_VALID)
    if reward.valid_until is not None and now >= reward.valid_until:
        raise RedemptionError(NO_LONGER_VALID)


def _take_stock(reward: Reward) -> None:
    if reward.stock is None:
        return
    taken = Reward.objects.filter(pk=reward.pk, stock__gt=0).update(stock=F("stock") - 1)
    if not taken:
        raise RedemptionError(OUT_OF_STOCK)


def _take_code(reward: Reward, redemption: Redemption) -> str:
    if reward.code_source == Reward.CodeSource.POOL:
        code = (
            RewardCode.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(reward=reward, redemption__isnull=True)
            .first()
        )
        if code is None:
            raise RedemptionError(OUT_OF_STOCK)
        code.redemption = redemption
        code.save(update_fields=["redemption"])
        return code.code
    return secrets.token_hex(GENERATED_CODE_BYTES).upper()


@retry_on_conflict
def redeem(
    *, member, reward: Reward, idempotency_key: str, shipping_note: str = ""
) -> tuple[Redemption, bool]:
    """Spend the member's points on ``reward``; returns the redemption and whether it is new.

    The same ``idempotency_key`` (an API header or the form's one-time token) returns the first
    redemption instead of redeeming twice. Raises ``RedemptionError`` with a message constant.
    """
    key = idempotency_key.strip()
    if not key or len(key) > 120:
        raise RedemptionError(KEY_REQUIRED)
    community = reward.community
    if not Membership.objects.filter(user=member, community=community).exists():
        raise RedemptionError(NOT_A_MEMBER)
    recognitions = rec.Recognitions()
    with transaction.atomic():
        lifetime, balance = points.lock_balance(member=member, community=community)
        done = Redemption.objects.filter(member=member, idempotency_key=key).first()
        if done is not None:
            return done, False
        reward = Reward.objects.select_related("min_level").get(pk=reward.pk)
        _check_window(reward, timezone.now())
        if reward.min_level is not None and lifetime < reward.min_level.min_points:
            raise RedemptionError(LEVEL_TOO_LOW.format(level=reward.min_level.name))
        if reward.limit_per_member is not None:
            taken = (
                Redemption.objects.filter(reward=reward, member=member)
                .exclude(status=Redemption.Status.CANCELLED)
                .count()
            )
            if taken >= reward.limit_per_member:
                raise RedemptionError(LIMIT_REACHED)
        if balance < reward.cost:
            raise RedemptionError(NOT_ENOUGH_POINTS)
        shipping_note = shipping_note.strip()
        if reward.kind == Reward.Kind.PHYSICAL_ITEM and not shipping_note:
            raise RedemptionError(SHIPPING_NOTE_REQUIRED)
        _take_stock(reward)
        spend = points.spend_points(
            member=member,
            community=community,
            points=reward.cost,
            key=f"redeem:{member.pk}:{key}",
            source=reward,
        )
        redemption = Redemption.objects.create(
            reward=reward,
            community=community,
            member=member,
            cost=reward.cost,
            shipping_note=shipping_note if reward.kind == Reward.Kind.PHYSICAL_ITEM else "",
            idempotency_key=key,
            spend=spend,
        )
        if reward.gives_code:
            redemption.code = _take_code(reward, redemption)
            redemption.save(update_fields=["code"])
        perks.grant(redemption)
        recognitions.add(
            event_types.REWARD_REDEEMED,
            user_id=member.pk,
            community_id=community.pk,
            reward=reward.name,
            cost=reward.cost,
            code=redemption.code,
            url=reverse("rewards:mine", kwargs={"slug": community.slug}),
        )
        events.publish_on_commit(recognitions)
    logger.info("redemption %s: %s redeemed %s", redemption.pk, member, reward)
    return redemption, True


def _require_brand_manager(user, community) -> None:
    if user.is_superuser:
        return
    if not Membership.objects.filter(
        user=user, community=community, role=Membership.Role.BRAND_MANAGER
    ).exists():
        raise errors.NotAllowed(NOT_BRAND_MANAGER)


def _lock_pending(redemption: Redemption) -> Redemption:
    redemption = Redemption.objects.select_for_update(of=("self",)).get(pk=redemption.pk)
    if redemption.status != Redemption.Status.PENDING:
        raise errors.Invalid(ALREADY_HANDLED.format(status=redemption.get_status_display().lower()))
    return redemption


@retry_on_conflict
@transaction.atomic
def fulfil_redemption(*, redemption: Redemption, by) -> Redemption:
    """A brand manager marks a redemption as delivered."""
    _require_brand_manager(by, redemption.community)
    redemption = _lock_pending(redemption)
    redemption.status = Redemption.Status.FULFILLED
    redemption.handled_at = timezone.now()
    redemption.handled_by = by
    redemption.save(update_fields=["status", "handled_at", "handled_by"])
    return redemption


@retry_on_conflict
@transaction.atomic
def cancel_redemption(*, redemption: Redemption, by, reason: str) -> Redemption:
    """Cancel a pending redemption: the points come back through a ledger reversal and the
    stock is returned. A pool code stays spent (the member has seen it). The member's score row
    is locked before the redemption, as the lock order asks."""
    _require_brand_manager(by, redemption.community)
    reason = reason.strip()
    if not reason:
        raise errors.Invalid(recognition.REASON_REQUIRED)
    points.lock_balance(member=redemption.member, community=redemption.community)
    redemption = _lock_pending(redemption)
    points.refund_points(spend=redemption.spend, reason=f"Redemption cancelled: {reason}", actor=by)
    Reward.objects.filter(pk=redemption.reward_id, stock__isnull=False).update(stock=F("stock") + 1)
    redemption.status = Redemption.Status.CANCELLED
    redemption.handled_at = timezone.now()
    redemption.handled_by = by
    redemption.save(update_fields=["status", "handled_at", "handled_by"])
    perks.withdraw(redemption)
    logger.info("redemption %s cancelled by %s: %s", redemption.pk, by, reason)
    return redemption


def parse_codes(csv_bytes: bytes) -> list[str]:
    """The codes of a CSV upload: first column, one per line, blanks and duplicates dropped."""
    try:
        rows = csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")))
        codes = sorted({row[0].strip() for row in rows if row and row[0].strip()})
    except (UnicodeDecodeError, csv.Error) as error:
        raise errors.Invalid(BAD_CSV) from error
    if not codes:
        raise errors.Invalid(EMPTY_CSV)
    if any(len(code) > 64 for code in codes):
        raise errors.Invalid(CODE_TOO_LONG)
    return codes


@retry_on_conflict
@transaction.atomic
def add_pool_codes(*, reward: Reward, by, codes: list[str]) -> int:
    """Add codes to the reward's pool; returns how many were new (known codes are skipped)."""
    _require_brand_manager(by, reward.community)
    before = RewardCode.objects.filter(reward=reward).count()
    RewardCode.objects.bulk_create(
        [RewardCode(reward=reward, code=code) for code in codes], ignore_conflicts=True
    )
    return RewardCode.objects.filter(reward=reward).count() - before
