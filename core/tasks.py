"""Background tasks on django-tasks (Django's Tasks API): retries with backoff, failed tasks.

django-tasks runs a task once. ``retrying`` makes a task that, when its function raises,
enqueues itself again with ``run_after`` (``backoff`` seconds, doubling each attempt) and the
attempt number in the ``_attempt`` keyword, then re-raises so the failed attempt is recorded
with its traceback. After ``attempts`` attempts it stops: that failure is final and
``failed_tasks`` lists it (``manage.py tasks failed``) until ``retry_failed`` runs it again
(``manage.py tasks retry <id>``). A backend that cannot defer (the immediate backend of the
tests) gets no retry.

The queue itself is either the database (django-tasks-db) or RQ (django-tasks-rq); both keep
failed results, and the two helpers below read and re-queue either.
"""

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

ATTEMPT = "_attempt"
# Task path -> attempts allowed, filled by ``retrying``.
_ATTEMPTS: dict[str, int] = {}


def retrying(*, attempts: int | None = None, backoff: int | None = None, **task_options):
    """``@task`` with retries; ``attempts`` and ``backoff`` default to the settings
    ``TASK_RETRY_ATTEMPTS`` and ``TASK_RETRY_BACKOFF`` (read when the task runs)."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, _attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                allowed = attempts or settings.TASK_RETRY_ATTEMPTS
                if _attempt < allowed and this.get_backend().supports_defer:
                    delay = (backoff or settings.TASK_RETRY_BACKOFF) * 2 ** (_attempt - 1)
                    this.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                        *args, _attempt=_attempt + 1, **kwargs
                    )
                    logger.warning(
                        "task %s failed (attempt %d of %d); retrying in %d s",
                        this.module_path,
                        _attempt,
                        allowed,
                        delay,
                    )
                raise

        this = task(**task_options)(run)
        _ATTEMPTS[this.module_path] = attempts or 0
        return this

    return decorate


def attempts_allowed(task_path: str) -> int:
    """How many attempts a task gets: 1 for a plain task, the setting for ``retrying``."""
    if task_path not in _ATTEMPTS:
        return 1
    return _ATTEMPTS[task_path] or settings.TASK_RETRY_ATTEMPTS


@dataclass(frozen=True)
class FailedTask:
    id: str
    task_path: str
    args: list
    kwargs: dict
    attempt: int
    attempts: int
    failed_at: datetime | None
    error: str

    @property
    def final(self) -> bool:
        """No retry is coming: it failed its last attempt."""
        return self.attempt >= self.attempts


def _uses_rq() -> bool:
    from django_tasks_rq import RQBackend

    return isinstance(default_task_backend, RQBackend)


def failed_tasks(*, include_retrying: bool = False) -> list[FailedTask]:
    """Failed task results of the default backend, newest first; by default only final ones."""
    found = _failed_rq() if _uses_rq() else _failed_db()
    if not include_retrying:
        found = [f for f in found if f.final]
    return sorted(found, key=lambda f: f.failed_at or timezone.now(), reverse=True)


def _failed(task_path, args, kwargs, failed_at, error, result_id) -> FailedTask:
    kwargs = dict(kwargs)
    attempt = int(kwargs.pop(ATTEMPT, 1))
    return FailedTask(
        id=str(result_id),
        task_path=task_path,
        args=list(args),
        kwargs=kwargs,
        attempt=attempt,
        attempts=attempts_allowed(task_path),
        failed_at=failed_at,
        error=error,
    )


def _last_line(traceback: str | None) -> str:
    lines = (traceback or "").strip().splitlines()
    return lines[-1] if lines else ""


def _failed_db() -> list[FailedTask]:
    from django_tasks_db.models import DBTaskResult

    return [
        _failed(
            row.task_path,
            row.args_kwargs["args"],
            row.args_kwargs["kwargs"],
            row.finished_at,
            _last_line(row.traceback),
            row.id,
        )
        for row in DBTaskResult.objects.failed().filter(backend_name=default_task_backend.alias)
    ]


def _failed_rq() -> list[FailedTask]:
    import django_rq
    from rq.job import Job

    found = []
    for name in default_task_backend.queues:
        queue = django_rq.get_queue(name)
        registry = queue.failed_job_registry
        for job in Job.fetch_many(registry.get_job_ids(), connection=queue.connection):
            if job is None:
                continue
            result = job.latest_result()
            found.append(
                _failed(
                    job.func_name,
                    job.args,
                    job.kwargs,
                    job.ended_at,
                    _last_line(result.exc_string if result else ""),
                    job.id,
                )
            )
    return found


def enqueue_and_report(task_obj, *args, **kwargs):
    """Enqueue ``task_obj``; return ``(result id, return value)``, the value when the backend
    ran it at once (immediate backend), else ``None``. Used by the cron commands."""
    result = task_obj.enqueue(*args, **kwargs)
    if result.is_finished and result.status == "SUCCESSFUL":
        return str(result.id), result.return_value
    return str(result.id), None


class UnknownTask(LookupError):
    pass


def retry_failed(result_id: str) -> str:
    """Run a failed task again from its first attempt; returns the new result's id.

    The failed record is removed, so it no longer shows as failed.
    """
    failed = {f.id: f for f in failed_tasks(include_retrying=True)}.get(result_id)
    if failed is None:
        raise UnknownTask(result_id)
    from django.utils.module_loading import import_string

    new = import_string(failed.task_path).enqueue(*failed.args, **failed.kwargs)
    if _uses_rq():
        import django_rq

        for name in default_task_backend.queues:
            django_rq.get_queue(name).failed_job_registry.remove(result_id, delete_job=True)
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(pk=result_id).delete()
    return str(new.id)
