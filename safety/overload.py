"""503 with ``Retry-After`` when the database cannot give this request a connection in time.

On PostgreSQL each worker holds a bounded psycopg pool (``settings.DB_POOL_SIZE``); a request
that waits longer than ``settings.DB_POOL_TIMEOUT`` for a connection gets
``psycopg_pool.PoolTimeout`` (Django wraps it in ``django.db.OperationalError``). The same goes
for PostgreSQL refusing a new connection ("too many clients"). Those are overload, not bugs: the
client is told to come back (503, ``Retry-After``), never shown a 500.

Exceptions raised by views (and template rendering) arrive in ``process_exception``. One raised
by another middleware (a session read, say) has already been turned into a 500 by Django's
handler by the time it reaches here: ``got_request_exception`` marks the request, and ``__call__``
swaps that 500 for the 503. Keep this middleware first in ``MIDDLEWARE``.

The response never touches the database: plain HTML for pages, the API's JSON error shape
(``{"message": ..., "errors": {}}``) under ``/api/``.
"""

import json
import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.http import HttpResponse

logger = logging.getLogger(__name__)

MESSAGE = "The site is busy right now. Please try again in a moment."
_MARK = "_brandloop_db_busy"
# PostgreSQL's own refusals when it is out of connection slots.
_REFUSALS = ("too many clients", "remaining connection slots")

try:  # only installed with the PostgreSQL extras
    from psycopg_pool import PoolTimeout
except ImportError:  # pragma: no cover - SQLite-only installs
    PoolTimeout = None


def is_db_busy(exc: BaseException | None) -> bool:
    """Is this (or anything it was raised from) a pool timeout or a "too many clients"?"""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if PoolTimeout is not None and isinstance(exc, PoolTimeout):
            return True
        if type(exc).__name__ == "PoolTimeout":
            return True
        text = str(exc).lower()
        if "operationalerror" in type(exc).__name__.lower() and any(r in text for r in _REFUSALS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def busy_response(request) -> HttpResponse:
    retry_after = str(settings.DB_POOL_RETRY_AFTER)
    if request.path.startswith("/api/"):
        response = HttpResponse(
            json.dumps({"message": MESSAGE, "errors": {}}),
            status=503,
            content_type="application/json",
        )
    else:
        response = HttpResponse(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Busy - please try again</title></head>"
            f"<body><h1>Busy right now</h1><p>{MESSAGE}</p></body></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _MARK, False) and response.status_code >= 500:
            return busy_response(request)
        return response

    def process_exception(self, request, exception):
        if is_db_busy(exception):
            logger.warning("no database connection in time for %s: answering 503", request.path)
            return busy_response(request)
        return None


@receiver(got_request_exception, dispatch_uid="safety.overload.mark_db_busy")
def mark_db_busy(sender, request=None, **kwargs) -> None:
    if request is not None and is_db_busy(sys.exc_info()[1]):
        setattr(request, _MARK, True)
