import threading

import pytest
from django.core.cache import cache

from safety import ratelimit


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "demo": (3, 60)}
    cache.clear()


def test_allows_up_to_the_budget_then_refuses_with_a_wait():
    verdicts = [ratelimit.hit("demo", "alice") for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert 0 < verdicts[-1].retry_after <= 60
    assert "try again in" in verdicts[-1].message


def test_budgets_are_per_identity():
    for _ in range(3):
        ratelimit.hit("demo", "alice")
    assert ratelimit.hit("demo", "bob").allowed


def test_check_does_not_count_and_reset_clears():
    for _ in range(3):
        ratelimit.hit("demo", "alice")
    assert not ratelimit.check("demo", "alice").allowed
    ratelimit.reset("demo", "alice")
    assert ratelimit.check("demo", "alice").allowed


def test_enforce_raises_with_retry_after():
    for _ in range(3):
        ratelimit.enforce("demo", "alice")
    with pytest.raises(ratelimit.RateLimited) as excinfo:
        ratelimit.enforce("demo", "alice")
    assert excinfo.value.retry_after > 0


def test_concurrent_hits_never_exceed_the_budget():
    allowed, barrier = [], threading.Barrier(12)

    def worker():
        barrier.wait()
        if ratelimit.hit("demo", "racer").allowed:
            allowed.append(1)

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 3


@pytest.mark.parametrize(
    ("seconds", "text"), [(1, "1 second"), (45, "45 seconds"), (61, "2 minutes")]
)
def test_humanize_wait(seconds, text):
    assert ratelimit.humanize_wait(seconds) == text
