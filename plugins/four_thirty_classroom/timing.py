"""Time for the classroom: the clock, city time, and the days of a term.

Times are stored in UTC and meant in the city's time zone (``[city] time_zone``): a session at
16:30 is 16:30 in Hegang. A term's days are its weekly pattern between its first and last day,
minus its holidays and the district's public holidays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core import BadUserInput


def now() -> datetime:
    """The current time (UTC). Tests replace it to stand at a chosen moment."""
    return datetime.now(UTC)


_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str, argument: str) -> time:
    match = _HHMM.match(value)
    if not match:
        raise BadUserInput(f'{argument}: give a time as "HH:MM".', argument=argument)
    return time(int(match[1]), int(match[2]))


def at(day: date, clock: time, zone: str) -> datetime:
    """``day`` at the local time ``clock`` in ``zone``, as UTC."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def day_start(day: date, zone: str) -> datetime:
    """Midnight starting ``day`` in ``zone``, as UTC."""
    return at(day, time(0), zone)


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


@dataclass(frozen=True)
class Holiday:
    """Days off, ``first`` to ``last`` inclusive."""

    first: date
    last: date
    name: str = ""

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    def as_json(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "name": self.name}


def holidays_of(stored: Iterable[dict[str, str]]) -> list[Holiday]:
    return [
        Holiday(date.fromisoformat(h["from"]), date.fromisoformat(h["to"]), h.get("name", ""))
        for h in stored
    ]


MAX_TERM_DAYS = 200
# A term's own days off: a few holidays and school events, each a range of days.
MAX_HOLIDAYS = 30


def term_days(
    first: date, last: date, weekdays: Iterable[int], holidays: Iterable[Holiday],
    public_holidays: Iterable[date] = (),
) -> Iterator[date]:  # fmt: skip
    """The days of a term: each day from ``first`` to ``last`` whose ISO weekday is in the
    pattern and that no holiday covers."""
    pattern, off, closed = set(weekdays), list(holidays), set(public_holidays)
    day = first
    while day <= last:
        if (
            day.isoweekday() in pattern
            and day not in closed
            and not any(h.covers(day) for h in off)
        ):
            yield day
        day += timedelta(days=1)
