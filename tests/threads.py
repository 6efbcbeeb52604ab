"""Run the same work in real threads released at once, for the PostgreSQL race tests, and the
marks that skip those tests on SQLite."""

import threading

import pytest
from django.db import connection

# A module of race tests sets ``pytestmark = POSTGRES_ONLY``; a single test uses ``postgres_only``.
POSTGRES_ONLY = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer (one database lock), so threads cannot race; "
        "run with DATABASE_URL=postgres://... to exercise row locks and unique keys.",
    ),
]


def postgres_only(test):
    for mark in POSTGRES_ONLY:
        test = mark(test)
    return test


def race(count: int, work, *, timeout: float = 20) -> list:
    """Call ``work(i)`` for ``i`` in ``range(count)``, each in its own thread and connection.

    The threads wait at a barrier so they hit the database together. Returns each thread's
    outcome in completion order: what ``work`` returned, or the exception it raised.
    """
    barrier = threading.Barrier(count)
    outcomes = []

    def run(i):
        from django.db import connection

        try:
            barrier.wait(timeout=timeout)
            outcomes.append(work(i))
        except Exception as exc:  # noqa: BLE001 - handed to the test to assert on
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * timeout)
    return outcomes


def failures(outcomes: list) -> list[Exception]:
    return [outcome for outcome in outcomes if isinstance(outcome, Exception)]
