"""Quarters as the assessment names them (``2026Q3``), as instants in the city's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.errors import BadUserInput

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        found = _QUARTER.match(text.strip().upper())
        if found is None or not 2000 <= int(found[1]) <= 2100:
            raise BadUserInput("A quarter is written like 2026Q3.", argument="quarter")
        return cls(int(found[1]), int(found[2]))

    @property
    def name(self) -> str:
        return f"{self.year}Q{self.number}"

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC of the quarter in the city's time zone."""
        tz = ZoneInfo(zone)
        first_month = 3 * (self.number - 1) + 1
        start = datetime(self.year, first_month, 1, tzinfo=tz)
        end = (
            datetime(self.year + 1, 1, 1, tzinfo=tz)
            if self.number == 4
            else datetime(self.year, first_month + 3, 1, tzinfo=tz)
        )
        return start.astimezone(UTC), end.astimezone(UTC)
