"""Racing referral payouts on PostgreSQL: the referrer's monthly cap holds under threads."""

import threading

import pytest
from django.db import connection, transaction

from community import services as community_services
from community.models import Membership
from gamification import actions, services
from gamification.models import CommunityGameSettings, LedgerEntry, Referral

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer, so threads cannot race; run on PostgreSQL.",
    ),
]


def _race(count, work):
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=20)
            with transaction.atomic():
                work(i)
        except Exception as exc:  # noqa: BLE001 - a failed thread is reported by the test
            errors.append(repr(exc))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_ten_friends_posting_at_once_pay_the_referrer_up_to_the_cap(community, make_user):
    referrer = make_user("host")
    Membership.objects.create(user=referrer, community=community)
    services.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(referral_monthly_cap=3)
    code = services.invite_code(member=referrer, community=community).code
    friends = [make_user(f"friend{i}") for i in range(10)]
    for friend in friends:
        community_services.join_community(user=friend, community=community, referral_code=code)

    errors = _race(
        10,
        lambda i: services.record_action(friends[i], community, actions.REVIEW_WRITTEN, friends[i]),
    )

    assert errors == []
    paid = LedgerEntry.objects.filter(member=referrer, action=actions.REFERRAL_COMPLETED)
    assert paid.count() == 3
    assert Referral.objects.filter(referrer_paid=True).count() == 3
    assert Referral.objects.filter(paid_at__isnull=False).count() == 10
    assert LedgerEntry.objects.filter(action=actions.REFERRAL_WELCOME).count() == 10
