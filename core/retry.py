"""The last line against lock conflicts: run a whole service call again when PostgreSQL aborted
it on a deadlock (SQLSTATE 40P01) or a serialization failure (40001).

Every write path takes its row locks in the one order of ``docs/architecture.md`` ("Lock
order"), so a deadlock should not happen; this is what keeps a user from seeing a 500 if one
does. ``@retry_on_conflict`` goes on a service entry point, outside its ``transaction.atomic``:
a conflict rolls the whole transaction back (and drops its ``on_commit`` callbacks), so the
call is repeated from its first statement. Inside an outer atomic block the call is never
repeated: the transaction is already broken and only its owner can start it again, so the
error goes up to the outermost decorated call. Each retry is logged as a warning.
"""

import functools
import logging
import random
import time

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

DEADLOCK = "40P01"
SERIALIZATION_FAILURE = "40001"
RETRYABLE = frozenset({DEADLOCK, SERIALIZATION_FAILURE})

ATTEMPTS = 3
BASE_DELAY = 0.05  # seconds; attempt n waits a random time up to BASE_DELAY * 2 ** (n - 1)


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a database error (Django wraps the driver's error as its cause)."""
    seen = 0
    while error is not None and seen < 5:
        code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if code:
            return code
        error, seen = error.__cause__, seen + 1
    return None


def is_retryable(error: BaseException) -> bool:
    return isinstance(error, DatabaseError) and sqlstate(error) in RETRYABLE


def retry_on_conflict(func=None, *, attempts: int = ATTEMPTS, base_delay: float = BASE_DELAY):
    """Decorate a service entry point: retry it up to ``attempts`` times in all on a deadlock or
    serialization failure, with jittered exponential backoff; other errors pass through."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if transaction.get_connection().in_atomic_block:
                return func(*args, **kwargs)
            attempt = 1
            while True:
                try:
                    return func(*args, **kwargs)
                except DatabaseError as error:
                    if attempt >= attempts or not is_retryable(error):
                        raise
                    delay = random.uniform(0, base_delay * 2 ** (attempt - 1))
                    attempt += 1
                    logger.warning(
                        "%s: %s (SQLSTATE %s), retrying in %.3f s (attempt %d of %d)",
                        func.__qualname__,
                        type(error).__name__,
                        sqlstate(error),
                        delay,
                        attempt,
                        attempts,
                    )
                    time.sleep(delay)

        return wrapper

    return decorate(func) if func is not None else decorate
