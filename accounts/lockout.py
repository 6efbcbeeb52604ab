"""One lockout for every way in: django-axes with the project's three rules.

Every entry point that checks a password calls ``django.contrib.auth.authenticate`` with the
request (``/accounts/login/``, ``/cms/login/``, ``/django-admin/login/``, the API token, the
delete-account confirmation), so axes' backend (first in ``AUTHENTICATION_BACKENDS``) refuses a
locked client before any password is checked, and axes' signal handler counts every failure in
its ``AccessAttempt`` table. Usernames are counted in lower case (``username_for``), so
``Alice`` and ``ALICE`` are one account; the address comes from ``safety.ratelimit.client_ip``
(trusted proxies only, ``client_address``).

The rules, all over the failures of the last ``AXES_COOLOFF_TIME``:

1. **Account + address** (axes' own ``AXES_LOCKOUT_PARAMETERS``): ``AXES_FAILURE_LIMIT``
   failures lock that pair until the cool-off has passed since the last one. The owner,
   elsewhere, is not affected.
2. **Address**: ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address, across accounts,
   lock that address (one client guessing many accounts).
3. **Account, from anywhere**: after ``LOGIN_ACCOUNT_FREE_FAILURES``, each attempt waits a
   delay that doubles with every further failure (``LOGIN_ACCOUNT_DELAY_BASE`` x 2^n seconds,
   at most ``LOGIN_ACCOUNT_DELAY_MAX``) after the last failure: a slow guess rate rather than a
   hard lock, and not applied at all to an address the owner has logged in from before, so an
   attacker spread over many addresses cannot keep the owner out.

A refusal is a page (429, ``Retry-After``) on the web and ``{"message", "errors"}`` with 429
and ``Retry-After`` on the API (``lockout_response``).
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from safety.ratelimit import client_ip, humanize_wait

LOCKED = "Too many failed log-in attempts. Please try again in {wait}."


def username_for(request, credentials: dict | None) -> str | None:
    """The account name as counted: trimmed and lower case, from the credentials or the form."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get("username")
    name = str(raw or "").strip().lower()
    return name or None


def client_address(request) -> str | None:
    """``safety.ratelimit.client_ip`` for axes, ``None`` when the request carries no address."""
    address = client_ip(request)
    return None if address == "unknown" else address


def _failures(attempts) -> tuple[int, object]:
    row = attempts.aggregate(count=Sum("failures_since_start"), last=Max("attempt_time"))
    return row["count"] or 0, row["last"]


def _seconds_until(moment, now) -> float:
    return max((moment - now).total_seconds(), 0.0)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the address rule and the per-account growing delay."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return self.retry_after(request, credentials) > 0

    def retry_after(self, request, credentials: dict | None = None) -> int:
        """Seconds until this client may try this account again (0: it may now)."""
        now = request.axes_attempt_time or timezone.now()
        cool_off = get_cool_off(request)
        recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        waits = [0.0]

        if username:
            count, last = _failures(recent.filter(username=username, ip_address=address))
            if count >= get_failure_limit(request, credentials):
                waits.append(_seconds_until(last + cool_off, now))

        count, last = _failures(recent.filter(ip_address=address))
        if count >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            waits.append(_seconds_until(last + cool_off, now))

        if username:
            count, last = _failures(recent.filter(username=username))
            extra = count - settings.LOGIN_ACCOUNT_FREE_FAILURES
            if extra >= 0 and not _known_address(username, address, now):
                delay = min(
                    settings.LOGIN_ACCOUNT_DELAY_BASE * 2**extra, settings.LOGIN_ACCOUNT_DELAY_MAX
                )
                waits.append(_seconds_until(last + timedelta(seconds=delay), now))

        return math.ceil(max(waits))


def _known_address(username: str, address: str, now) -> bool:
    """Has this account logged in successfully from this address lately?"""
    since = now - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username__iexact=username, ip_address=address, attempt_time__gte=since
    ).exists()


def retry_after(request, credentials: dict | None = None) -> int:
    """How long the client of ``request`` must wait before trying ``credentials`` again."""
    AxesProxyHandler.update_request(request)
    return AxesProxyHandler.get_implementation().retry_after(request, credentials)


def locked_message(seconds: int) -> str:
    return LOCKED.format(wait=humanize_wait(seconds))


def lockout_response(request, original_response=None, credentials=None):
    """What a refused log-in answers (``AXES_LOCKOUT_CALLABLE``): never a 500, never a session."""
    seconds = max(retry_after(request, credentials), 1)
    message = locked_message(seconds)
    if request.path.startswith("/api/"):
        response = JsonResponse({"message": message, "errors": {}}, status=429)
    else:
        response = render(request, "accounts/locked.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def forget_account(username: str) -> None:
    """Erase the lockout's records of an account (its name is personal data): on deletion."""
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=username).delete()
