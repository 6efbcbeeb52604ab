"""Expected denials (403/404) are logged as one line without a traceback; a 500 keeps its."""

import logging
import sys

from safety.log_filters import ExpectedDenialFilter


def record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("denied")
    except PermissionError:
        info = sys.exc_info()
    entry = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), info)
    entry.status_code = status
    return entry


def test_403_and_404_lose_the_traceback_but_keep_the_line():
    for status in (403, 404):
        entry = record(status)
        assert ExpectedDenialFilter().filter(entry)
        text = logging.Formatter().format(entry)
        assert text == "x" and "Traceback" not in text


def test_a_500_keeps_its_traceback():
    entry = record(500)
    assert ExpectedDenialFilter().filter(entry)
    assert "Traceback" in logging.Formatter().format(entry)


def test_the_console_handler_carries_the_filter(settings):
    assert "expected_denials" in settings.LOGGING["handlers"]["console"]["filters"]
