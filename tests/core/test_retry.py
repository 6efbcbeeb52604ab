"""The retry of a whole service call on a deadlock or serialization failure (``core.retry``)."""

import logging

import pytest
from django.db import IntegrityError, OperationalError, transaction

from core import retry


def _database_error(code: str | None, kind=OperationalError):
    """A database error as Django raises it: the driver's error, carrying the SQLSTATE, as cause."""
    cause = Exception(f"driver error {code}")
    cause.sqlstate = code
    error = kind(f"error {code}")
    error.__cause__ = cause
    return error


def _flaky(errors: list, result="done"):
    """A service that raises each of ``errors`` in turn, then returns ``result``; counts calls."""
    calls = []

    @retry.retry_on_conflict(attempts=3, base_delay=0)
    def service(value):
        calls.append(value)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    return service, calls


@pytest.mark.parametrize("code", [retry.DEADLOCK, retry.SERIALIZATION_FAILURE])
def test_a_deadlock_or_serialization_failure_is_retried_and_logged(code, caplog):
    service, calls = _flaky([_database_error(code)])
    with caplog.at_level(logging.WARNING, logger="core.retry"):
        assert service("x") == "done"
    assert calls == ["x", "x"]
    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    assert code in caplog.records[0].getMessage()
    assert "attempt 2 of 3" in caplog.records[0].getMessage()


def test_it_gives_up_after_the_last_attempt():
    errors = [_database_error(retry.DEADLOCK) for _ in range(5)]
    service, calls = _flaky(errors)
    with pytest.raises(OperationalError) as raised:
        service("x")
    assert raised.value is errors[2]
    assert len(calls) == 3


@pytest.mark.parametrize(
    "error",
    [
        _database_error("23505", kind=IntegrityError),  # unique violation
        _database_error("57014"),  # statement timeout
        _database_error(None),
        ValueError("not a database error"),
    ],
)
def test_other_errors_are_not_retried(error):
    service, calls = _flaky([error])
    with pytest.raises(type(error)):
        service("x")
    assert calls == ["x"]


@pytest.mark.django_db(transaction=True)
def test_it_never_retries_inside_an_outer_atomic_block():
    service, calls = _flaky([_database_error(retry.DEADLOCK), _database_error(retry.DEADLOCK)])
    with pytest.raises(OperationalError), transaction.atomic():
        service("x")
    assert calls == ["x"]
    # Outside any transaction the same service is retried.
    assert service("y") == "done"
    assert calls == ["x", "y", "y"]


def test_sqlstate_is_read_from_the_error_or_its_cause():
    assert retry.sqlstate(_database_error(retry.DEADLOCK)) == retry.DEADLOCK
    assert retry.sqlstate(OperationalError("no code")) is None
    assert retry.is_retryable(_database_error(retry.SERIALIZATION_FAILURE))
    assert not retry.is_retryable(_database_error("23505", kind=IntegrityError))
