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
