"""Orders of customers who are not members yet: kept, never anyone else's, attributed on joining;
members see their orders' points in their points history."""

import pytest

from commerce.models import Customer
from gamification import actions
from gamification.models import LedgerEntry, Score
from tests.commerce.payloads import generic_order, post_generic
from tests.factories import UserFactory, join_via_service

pytestmark = pytest.mark.django_db


def lifetime(user, community) -> int:
    score = Score.objects.filter(member=user, community=community).first()
    return score.lifetime if score else 0


def test_orders_placed_before_joining_are_attributed_and_awarded_on_join(shop):
    post_generic(shop.slug, generic_order("1", email="Newcomer@Example.com"))
    post_generic(shop.slug, generic_order("2", email="newcomer@example.com", total="10.00"))
    post_generic(shop.slug, generic_order("3", email="newcomer@example.com", status="refunded"))
    assert not LedgerEntry.objects.exists()

    newcomer = UserFactory(username="newcomer", email="newcomer@example.com")
    join_via_service(newcomer, shop)

    assert Customer.objects.get().member == newcomer
    # Orders 1 and 2 (10 each, 42 + 10 for the amounts, 25 once); the refunded one earns nothing.
    purchase_points = LedgerEntry.objects.filter(
        member=newcomer, action__startswith="purchase."
    ).values_list("points", flat=True)
    assert sum(purchase_points) == 10 + 42 + 10 + 10 + 25


def test_joining_again_or_a_replayed_order_does_not_pay_twice(shop):
    post_generic(shop.slug, generic_order(email="newcomer@example.com"))
    newcomer = UserFactory(username="newcomer", email="newcomer@example.com")
    join_via_service(newcomer, shop)
    earned = lifetime(newcomer, shop)

    join_via_service(newcomer, shop)
    post_generic(shop.slug, generic_order(email="newcomer@example.com"))

    assert lifetime(newcomer, shop) == earned


def test_someone_else_joining_gets_nothing(shop):
    post_generic(shop.slug, generic_order(email="newcomer@example.com"))

    other = UserFactory(username="other", email="other@example.com")
    join_via_service(other, shop)

    assert Customer.objects.get().member is None
    assert not LedgerEntry.objects.filter(member=other, action__startswith="purchase.").exists()


def test_joining_another_community_does_not_take_the_orders(shop, make_community):
    post_generic(shop.slug, generic_order(email="newcomer@example.com"))
    newcomer = UserFactory(username="newcomer", email="newcomer@example.com")

    join_via_service(newcomer, make_community("elsewhere"))

    assert Customer.objects.get().member is None


def test_a_members_orders_are_in_their_points_history(shop, alice, client_for):
    post_generic(shop.slug, generic_order("1"))
    post_generic(shop.slug, generic_order("1", status="refunded"))

    page = client_for(alice).get(f"/c/{shop.slug}/points/").content.decode()

    assert actions.LABELS[actions.PURCHASE_ORDER] in page
    assert actions.LABELS[actions.PURCHASE_FIRST_ORDER] in page
    assert "Reversed: Placed an order (Order refunded)" in page
