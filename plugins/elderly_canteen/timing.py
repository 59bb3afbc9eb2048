"""Time for the canteen: the clock, city time, meal times, booking cut-offs and months.

Times are stored in UTC and meant in the city's time zone (``[city] time_zone``): a lunch at
11:00 is 11:00 in Hegang, and the booking cut-off of a meal is the district's
``booking_cutoff`` on the meal's own day, city time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core import BadUserInput


def now() -> datetime:
    """The current time (UTC). Tests replace it to stand at a chosen moment."""
    return datetime.now(UTC)


_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_hhmm(value: str, argument: str) -> time:
    match = _HHMM.match(value)
    if not match:
        raise BadUserInput(f'{argument}: give a time as "HH:MM".', argument=argument)
    return time(int(match[1]), int(match[2]))


def at(day: date, clock: str, zone: str) -> datetime:
    """``day`` at the local time ``clock`` ("HH:MM") in ``zone``, as UTC."""
    hour, minute = (int(p) for p in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(
        UTC
    )


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def cutoff_minutes(starts_at: datetime, day: date, cutoff: time, zone: str) -> int:
    """Minutes between the cut-off on the meal's day and the meal's start (the booking
    engine's ``cutoff_minutes``); 0 when the cut-off is at or after the start."""
    closes = at(day, f"{cutoff:%H:%M}", zone)
    return max(int((starts_at - closes) / timedelta(minutes=1)), 0)


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def parse_month(value: str) -> tuple[date, date]:
    """``"2026-11"`` → its first day and the first day of the next month."""
    match = _MONTH.match(value)
    if not match:
        raise BadUserInput('Give a month as "YYYY-MM".', argument="month")
    first = date(int(match[1]), int(match[2]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_date_of(id_number: str | None) -> date | None:
    """The birth date in an 18-character resident ID number (digits 7–14, YYYYMMDD)."""
    if not id_number or len(id_number) != 18 or not id_number[6:14].isdigit():
        return None
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
