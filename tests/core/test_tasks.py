from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.tasks import retrying

CALLS: list[str] = []


@retrying(attempts=3, backoff=10)
def flaky(name: str) -> None:
    CALLS.append(name)
    raise RuntimeError(f"{name} is down")


@pytest.fixture
def work(task_queue):
    CALLS.clear()
    return task_queue


def make_due() -> None:
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def tasks_command(*args) -> str:
    out = StringIO()
    call_command("tasks", *args, stdout=out)
    return out.getvalue()


def test_a_failing_task_retries_with_doubling_backoff_then_stops(work):
    flaky.enqueue("smtp")
    started = timezone.now()
    work()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == {"args": ["smtp"], "kwargs": {"_attempt": 2}}
    assert started + timedelta(seconds=9) < retry.run_after < started + timedelta(seconds=12)

    make_due()
    started = timezone.now()
    work()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"_attempt": 3}
    assert started + timedelta(seconds=19) < retry.run_after < started + timedelta(seconds=22)

    make_due()
    work()
    assert CALLS == ["smtp", "smtp", "smtp"]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3


def test_failed_command_lists_final_failures_and_retry_queues_them_again(work):
    flaky.enqueue("smtp")
    work()
    assert tasks_command("failed") == "No failed tasks.\n"  # a retry is coming
    assert "attempt 1/3 (will retry)" in tasks_command("failed", "--all")
    for _ in range(2):
        make_due()
        work()
    listing = tasks_command("failed")
    assert "tests.core.test_tasks.flaky  attempt 3/3" in listing
    assert "RuntimeError: smtp is down" in listing and "1 failed task." in listing
    final = DBTaskResult.objects.filter(status="FAILED").order_by("-finished_at").first()

    out = tasks_command("retry", str(final.pk))
    assert out.startswith(f"Queued {final.pk} again as ")
    assert not DBTaskResult.objects.filter(pk=final.pk).exists()
    again = DBTaskResult.objects.get(status="READY")
    assert again.args_kwargs == {"args": ["smtp"], "kwargs": {}}
    assert tasks_command("failed") == "No failed tasks.\n"


def test_retry_of_an_unknown_id_is_an_error(work):
    with pytest.raises(Exception, match="No failed task with id nope"):
        call_command("tasks", "retry", "nope")
