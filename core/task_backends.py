"""The RQ task backend, made safe around transactions and a Redis outage.

When ``REDIS_URL`` is set, tasks go to RQ. Two things differ from the plain backend:

- **After commit.** A task queued inside a transaction goes to Redis only once the transaction
  commits, so a worker never looks for rows that are not there yet (the search index of a new
  review, the notification rows of a challenge). Inside a transaction ``enqueue`` returns a
  placeholder result; its id is not the job's. A rolled-back transaction queues nothing.
- **Redis down.** If Redis cannot take a task, the caller must not fail: the reply, the review
  or the published page is already written. The task then runs at once in this process, as the
  immediate backend would run it, and a warning is logged (at most once a minute). A task with a
  delay (a notification e-mail waiting to see whether the member reads it on the site) therefore
  runs early during an outage; every task checks its own conditions when it runs, so running
  early is never wrong, only sooner.
"""

import logging
import time
from dataclasses import replace

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from django_tasks_rq import RQBackend
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60
_last_warning = 0.0


class ResilientRQBackend(RQBackend):
    def __init__(self, alias, params):
        super().__init__(alias, params)
        self._fallback = ImmediateBackend(alias, params)

    def enqueue(self, task, args, kwargs):
        if not transaction.get_connection().in_atomic_block:
            return self._enqueue_now(task, args, kwargs)
        self.validate_task(task)
        transaction.on_commit(lambda: self._enqueue_now(task, args, kwargs), robust=True)
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    def _enqueue_now(self, task, args, kwargs):
        try:
            return super().enqueue(task, args, kwargs)
        except RedisError as exc:
            _warn(task, exc)
            return self._fallback.enqueue(replace(task, run_after=None), args, kwargs)


def _warn(task, exc) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("task queue unreachable (%s); running %s in place", exc, task.module_path)
