"""Run the same work in real threads released at once, for the PostgreSQL race tests."""

import threading


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
