"""Opening hours of a station: weekly periods in city time, checked when saved."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import BadUserInput

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class OpeningPeriod:
    """Open from ``opens`` to ``closes`` (HH:MM, city time) on ``weekdays`` (1 = Monday)."""

    weekdays: tuple[int, ...]
    opens: str
    closes: str

    def as_json(self) -> dict[str, Any]:
        return {"weekdays": list(self.weekdays), "opens": self.opens, "closes": self.closes}


def checked_hours(periods: Sequence[OpeningPeriod]) -> list[dict[str, Any]]:
    """The periods as stored JSON, or BAD_USER_INPUT naming the first bad one."""
    if len(periods) > 14:
        raise BadUserInput("At most 14 opening periods.", argument="hours")
    for index, period in enumerate(periods):
        where = f"hours[{index}]"
        if not period.weekdays or any(d not in range(1, 8) for d in period.weekdays):
            raise BadUserInput(f"{where}: weekdays are 1 (Monday) to 7.", argument="hours")
        if not (_CLOCK.match(period.opens) and _CLOCK.match(period.closes)):
            raise BadUserInput(f"{where}: times are HH:MM, e.g. 08:30.", argument="hours")
        if period.opens >= period.closes:
            raise BadUserInput(f"{where}: it must close after it opens.", argument="hours")
    return [p.as_json() for p in periods]


def periods_of(stored: Any) -> list[OpeningPeriod]:
    return [OpeningPeriod(tuple(p["weekdays"]), p["opens"], p["closes"]) for p in (stored or [])]


def is_open(stored: Any, at: datetime, zone: str) -> bool:
    """Whether the hours cover the instant ``at`` (aware) in the city's time zone."""
    local = at.astimezone(ZoneInfo(zone))
    now = local.time().replace(second=0, microsecond=0)
    return any(
        local.isoweekday() in p.weekdays
        and time.fromisoformat(p.opens) <= now < time.fromisoformat(p.closes)
        for p in periods_of(stored)
    )
