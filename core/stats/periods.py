"""Periods as dashboards name them, in the city's time zone: a year (2026), a quarter
(2026Q3), a month (2026-07) or an ISO week (2026-W27); and the buckets of a time series."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.errors import BadUserInput

MAX_BUCKETS = 60


class Interval(StrEnum):
    WEEK = "WEEK"
    MONTH = "MONTH"


def period_bounds(text: str, zone: str) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the named period."""
    tz, value = ZoneInfo(zone), text.strip().upper()
    try:
        if m := re.fullmatch(r"(\d{4})", value):
            start = date(int(m[1]), 1, 1)
            end = date(int(m[1]) + 1, 1, 1)
        elif m := re.fullmatch(r"(\d{4})Q([1-4])", value):
            start = date(int(m[1]), 3 * int(m[2]) - 2, 1)
            end = _add_months(start, 3)
        elif m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            start = date(int(m[1]), int(m[2]), 1)
            end = _add_months(start, 1)
        elif m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            end = start + timedelta(days=7)
        else:
            raise ValueError(value)
    except ValueError:
        raise BadUserInput(
            "A period is a year (2026), a quarter (2026Q3), a month (2026-07) or a week "
            "(2026-W27).", argument="period",
        ) from None  # fmt: skip
    return _utc(start, tz), _utc(end, tz)


def buckets(
    start: datetime, end: datetime, interval: Interval, zone: str
) -> list[tuple[datetime, datetime]]:
    """Consecutive weeks (from Monday) or months, in city time, covering [start, end)."""
    if end <= start:
        raise BadUserInput("The period must end after it starts.", argument="to")
    tz = ZoneInfo(zone)
    local = start.astimezone(tz).date()
    first = (
        local - timedelta(days=local.weekday())
        if interval == Interval.WEEK
        else local.replace(day=1)
    )
    found: list[tuple[datetime, datetime]] = []
    while _utc(first, tz) < end:
        following = (
            first + timedelta(days=7) if interval == Interval.WEEK else _add_months(first, 1)
        )
        found.append((_utc(first, tz), _utc(following, tz)))
        if len(found) > MAX_BUCKETS:
            raise BadUserInput(
                f"At most {MAX_BUCKETS} points per series: shorten the span or use MONTH.",
                argument="interval",
            )
        first = following
    return found


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def _utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
