"""Racing awards on PostgreSQL: real threads, real connections, committed data."""

import threading

import pytest
from django.db import connection

from gamification import actions, services
from gamification.models import ActionCount, LedgerEntry, Score

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer (one database lock), so threads cannot race; "
        "run with DATABASE_URL=postgres://... to exercise row locks and unique keys.",
    ),
]


def _race(count, work):
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            work(i)
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_threads_racing_the_same_award_write_it_once(member, community, make_obj):
    services.ensure_defaults(community)
    review = make_obj()
    _race(8, lambda i: services.record_action(member, community, actions.REVIEW_WRITTEN, review))
    assert LedgerEntry.objects.filter(action=actions.REVIEW_WRITTEN).count() == 1
    assert LedgerEntry.objects.filter(action=actions.FIRST_CONTRIBUTION).count() == 1
    assert Score.objects.get(member=member).lifetime == 20
    assert ActionCount.objects.get(action=actions.REVIEW_WRITTEN).count == 1


@pytest.mark.django_db(transaction=True)
def test_racing_votes_respect_the_daily_cap(member, community, make_obj, make_member):
    services.ensure_defaults(community)
    voter = make_member("voter")
    votes = [make_obj() for _ in range(16)]
    _race(
        16,
        lambda i: services.record_action(
            member, community, actions.HELPFUL_VOTE_RECEIVED, votes[i], actor=voter
        ),
    )
    assert LedgerEntry.objects.count() == 16
    assert Score.objects.get(member=member).lifetime == 30  # cap, not 16 x 3


@pytest.mark.django_db(transaction=True)
def test_racing_reversals_reverse_once(member, community, make_obj):
    services.ensure_defaults(community)
    post = make_obj()
    services.record_action(member, community, actions.TOPIC_CREATED, post)
    _race(6, lambda i: services.reverse_for_object(post, reason="hidden"))
    assert LedgerEntry.objects.filter(reverses__isnull=False).count() == 2  # topic + first bonus
    assert Score.objects.get(member=member).lifetime == 0
