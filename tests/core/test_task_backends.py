"""The RQ backend queues after commit and, with Redis down, runs the task in place."""

import logging

import django_rq
import pytest
import redis
import rq
from django_tasks import task

from core import task_backends
from core.task_backends import ResilientRQBackend

pytestmark = pytest.mark.django_db

RAN: list[int] = []


@task()
def remember(value: int) -> int:
    RAN.append(value)
    return value


@pytest.fixture
def backend(monkeypatch):
    """The backend with its queue on a closed port: Redis is down."""
    down = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)

    def queue(name, job_class=None, **kwargs):
        return rq.Queue(name, connection=down, job_class=job_class)

    monkeypatch.setattr(django_rq, "get_queue", queue)
    monkeypatch.setattr(task_backends, "_last_warning", 0.0)
    RAN.clear()
    return ResilientRQBackend("default", {"QUEUES": ["default"]})


def test_with_redis_down_the_task_runs_in_place_and_it_is_logged(
    backend, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.WARNING, logger="core.task_backends"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        backend.enqueue(remember, [7], {})
        backend.enqueue(remember, [8], {})
    assert RAN == [7, 8]
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_inside_a_transaction_the_task_waits_for_the_commit(
    backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        placeholder = backend.enqueue(remember, [1], {})
    assert RAN == [] and placeholder.status == "READY"
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: Redis is still down, so it runs in place
    assert RAN == [1]
