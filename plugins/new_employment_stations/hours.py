"""Opening hours of a station: weekly periods in city time, checked when saved.

Riders work late, so a period may run past midnight (``opens`` 18:00, ``closes`` 02:00 is open
from Monday 18:00 to Tuesday 02:00 when it lists Monday) and ``closes`` may be ``24:00``; a
period from 00:00 to 24:00 on every weekday is a station that never closes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core import BadUserInput

_CLOCK = re.compile(r"^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$")
MAX_PERIODS = 14


@dataclass(frozen=True)
class OpeningPeriod:
    """Open from ``opens`` to ``closes`` (HH:MM, city time) on ``weekdays`` (1 = Monday)."""

    weekdays: tuple[int, ...]
    opens: str
    closes: str

    def as_json(self) -> dict[str, Any]:
        return {"weekdays": list(self.weekdays), "opens": self.opens, "closes": self.closes}


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def checked_hours(periods: Sequence[OpeningPeriod]) -> list[dict[str, Any]]:
    """The periods as stored JSON, or BAD_USER_INPUT naming the first bad one."""
    if len(periods) > MAX_PERIODS:
        raise BadUserInput(f"At most {MAX_PERIODS} opening periods.", argument="hours")
    for index, period in enumerate(periods):
        where = f"hours[{index}]"
        if not period.weekdays or any(d not in range(1, 8) for d in period.weekdays):
            raise BadUserInput(f"{where}: weekdays are 1 (Monday) to 7.", argument="hours")
        if not (_CLOCK.match(period.opens) and _CLOCK.match(period.closes)):
            raise BadUserInput(f"{where}: times are HH:MM, e.g. 08:30.", argument="hours")
        if period.opens == "24:00" or period.opens == period.closes:
            raise BadUserInput(f"{where}: a period opens before 24:00 and lasts.", argument="hours")
    return [p.as_json() for p in periods]


def periods_of(stored: Any) -> list[OpeningPeriod]:
    return [OpeningPeriod(tuple(p["weekdays"]), p["opens"], p["closes"]) for p in (stored or [])]


def is_open(stored: Any, at: datetime, zone: str) -> bool:
    """Whether the hours cover the instant ``at`` (aware) in the city's time zone."""
    local = at.astimezone(ZoneInfo(zone))
    now = local.hour * 60 + local.minute
    yesterday = (local - timedelta(days=1)).isoweekday()
    for period in periods_of(stored):
        opens, closes = _minutes(period.opens), _minutes(period.closes)
        if opens < closes:
            if local.isoweekday() in period.weekdays and opens <= now < closes:
                return True
        elif (local.isoweekday() in period.weekdays and now >= opens) or (
            yesterday in period.weekdays and now < closes
        ):
            return True
    return False
