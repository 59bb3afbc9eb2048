"""What every demo service builder shares: the demo tree and its people indexed for look-ups,
the demo clock, and an insert that gives back the new rows with their ids."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from tortoise.models import Model

from core.demo.regions import DemoRegions
from core.people.models import Person
from core.regions.models import Community, Compound

CITY_ZONE = ZoneInfo("Asia/Shanghai")  # the demo config's [city] time_zone
PINNED_COMMUNITY = "xinhong"  # the demo logins live here: it gets one of everything


@dataclass
class Town:
    """The demo tree and its people, indexed the ways this package's builders look things up."""

    regions: DemoRegions
    rng: random.Random
    now: datetime
    logins: dict[str, int]
    residents: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    compounds: dict[int, list[Compound]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for compound in self.regions.compounds:
            self.compounds[compound.community_id].append(compound)
        self.street = {s.id: s for s in self.regions.streets}
        self.district = {d.id: d for d in self.regions.districts}
        self.pinned = next(c for c in self.regions.communities if c.code == PINNED_COMMUNITY)
        # People with a demo login: of them only the community worker gets a station job, so
        # that the resident logins show what a plain resident sees.
        self.signed = set(self.logins.values())

    def at(self, days: float, hour: int = 9, minute: int = 0) -> datetime:
        """``days`` from today (city time) at ``hour:minute`` city time, in UTC."""
        today = self.now.astimezone(CITY_ZONE).date()
        day = today + timedelta(days=int(days))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CITY_ZONE).astimezone(
            UTC
        )

    def ago(self, low: float, high: float) -> datetime:
        """A random instant between ``high`` and ``low`` days before now, to the minute."""
        return to_the_minute(self.now - timedelta(days=self.rng.uniform(low, high)))

    def phone(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"

    def place(self, community: Community) -> dict[str, int]:
        return {"district_id": community.district_id, "street_id": community.street_id,
                "community_id": community.id}  # fmt: skip


M = TypeVar("M", bound=Model)


def to_the_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


async def inserted(model: type[M], rows: Sequence[M]) -> list[M]:
    """Insert ``rows`` and read them back with their ids, in order (``bulk_create`` does not set
    ids on every backend). Demo rows are written alone in one transaction, so the new rows
    are exactly those past the highest id before."""
    last = await model.all().order_by("-id").limit(1).values_list("id", flat=True)
    await model.bulk_create(list(rows), batch_size=500)
    stored = await model.filter(id__gt=last[0] if last else 0).order_by("id")
    assert len(stored) == len(rows), f"{model.__name__}: inserted {len(rows)}, read {len(stored)}"
    return stored
