"""Racing referral payouts on PostgreSQL: the referrer's monthly cap holds under threads."""

import pytest
from django.db import transaction

from community.services import membership
from gamification import actions, awards, referrals, setup
from gamification.models import CommunityGameSettings, LedgerEntry, Referral
from tests.factories import MembershipFactory
from tests.threads import POSTGRES_ONLY, failures, race

pytestmark = POSTGRES_ONLY


@pytest.mark.django_db(transaction=True)
def test_ten_friends_posting_at_once_pay_the_referrer_up_to_the_cap(community, make_user):
    referrer = make_user("host")
    MembershipFactory(user=referrer, community=community)
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(referral_monthly_cap=3)
    code = referrals.invite_code(member=referrer, community=community).code
    friends = [make_user(f"friend{i}") for i in range(10)]
    for friend in friends:
        membership.join_community(user=friend, community=community, referral_code=code)

    def first_contribution(i):
        with transaction.atomic():
            awards.record_action(friends[i], community, actions.REVIEW_WRITTEN, friends[i])

    errors = failures(race(10, first_contribution))

    assert errors == []
    paid = LedgerEntry.objects.filter(member=referrer, action=actions.REFERRAL_COMPLETED)
    assert paid.count() == 3
    assert Referral.objects.filter(referrer_paid=True).count() == 3
    assert Referral.objects.filter(paid_at__isnull=False).count() == 10
    assert LedgerEntry.objects.filter(action=actions.REFERRAL_WELCOME).count() == 10
