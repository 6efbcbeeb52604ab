"""What an order earns a member, through the engine's one door (``record_action``), and its
exact reversal.

A paid order earns, each keyed by the order (so a replay writes nothing):

* ``purchase.order``: the rule's points per order;
* ``purchase.spend``: the rule's points per whole currency unit of the order's total;
* ``purchase.first_order``: the thank-you for the member's first order in the community (once
  per member: a refunded first order takes it back, and no later order earns it again).

A refund or cancellation reverses every award whose source is the order
(``corrections.reverse_for_object``); the engine never takes the balance below zero.
"""

from gamification import actions
from gamification.awards import record_action
from gamification.corrections import reverse_for_object
from gamification.setup import rule_for
from tenancy.models import Membership

REFUNDED_REASON = "Order refunded"
CANCELLED_REASON = "Order cancelled"


def first_order_key(community, member) -> str:
    return f"first-order:{community.pk}:{member.pk}"


def award_order(order, member) -> None:
    """Award ``member`` for a paid ``order`` (no-op when they are no longer a member)."""
    community = order.community
    if not Membership.objects.filter(user=member, community=community).exists():
        return
    record_action(member, community, actions.PURCHASE_ORDER, order)
    per_unit, _cap, _pending = rule_for(community, actions.PURCHASE_SPEND)
    units = int(order.total)
    if per_unit and units:
        record_action(member, community, actions.PURCHASE_SPEND, order, points=per_unit * units)
    record_action(
        member,
        community,
        actions.PURCHASE_FIRST_ORDER,
        order,
        key=first_order_key(community, member),
    )


def reverse_order(order, *, cancelled: bool = False) -> None:
    reverse_for_object(order, reason=CANCELLED_REASON if cancelled else REFUNDED_REASON)
