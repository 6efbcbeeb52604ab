"""Calendar arithmetic in a community's time zone: days for streaks and caps, weeks, months."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone


def community_zone(community) -> ZoneInfo:
    try:
        return ZoneInfo(community.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(community, at: datetime | None = None) -> date:
    """The calendar day ``at`` (default: now) falls on where the community lives."""
    return timezone.localtime(at or timezone.now(), community_zone(community)).date()


def week_start(day: date) -> date:
    """Weeks start on Monday."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(at: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months later (earlier if negative), clamped to the
    month's last day: 31 August + 6 months is 28 (or 29) February."""
    index = at.year * 12 + at.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return at.replace(year=year, month=month + 1, day=min(at.day, last_day))
