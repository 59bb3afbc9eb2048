"""Money over a month: an elder's statement, and the subsidy report of a canteen or a place.

Only served meals (checked in) are charged and subsidised; meals still booked show in the
statement as booked, cancelled ones do not show. Sums are made in Python with ``Decimal`` so
they are exact to the fen on every database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q

from core import Booking, names_of
from plugins.elderly_canteen.models import Canteen, Elder, Meal
from plugins.elderly_canteen.money import ZERO, total, yuan
from plugins.elderly_canteen.settings import CanteenSettings
from plugins.elderly_canteen.timing import parse_month

SERVED = "CHECKED_IN"
BOOKED = ("CONFIRMED", "WAITLISTED")
SHOWN = (*BOOKED, SERVED, "NO_SHOW")


@dataclass
class Line:
    """One meal on a statement."""

    meal_id: int
    day: date
    meal: str
    mode: str
    status: str
    canteen_id: int
    age_tier: str
    price: Decimal
    subsidy: Decimal
    pay: Decimal


@dataclass
class Statement:
    """An elder's month: every meal shown, and totals of the served ones. ``pay`` is the
    balance the elder owes for them; ``subsidy_left`` what the cap still allows."""

    elder_id: int
    month: str
    lines: list[Line]
    meals_served: int
    price: Decimal
    subsidy: Decimal
    pay: Decimal
    booked_subsidy: Decimal
    subsidy_cap: Decimal
    subsidy_left: Decimal


async def _statuses(booking_ids: list[int]) -> dict[int, str]:
    if not booking_ids:
        return {}
    return dict(await Booking.filter(id__in=booking_ids).values_list("id", "status"))


async def statement(elder_id: int, month: str, settings: CanteenSettings) -> Statement:
    first, following = parse_month(month)
    rows = (
        await Meal.filter(elder_id=elder_id, day__gte=first, day__lt=following)
        .order_by("day", "meal", "id")
        .values(
            "id",
            "day",
            "meal",
            "mode",
            "canteen_id",
            "age_tier",
            "price",
            "subsidy",
            "pay",
            "booking_id",
        )
    )
    statuses = await _statuses([r["booking_id"] for r in rows])
    lines = [
        Line(
            meal_id=r["id"],
            day=r["day"],
            meal=r["meal"],
            mode=r["mode"],
            status=statuses[r["booking_id"]],
            canteen_id=r["canteen_id"],
            age_tier=r["age_tier"],
            price=yuan(r["price"]),
            subsidy=yuan(r["subsidy"]),
            pay=yuan(r["pay"]),
        )
        for r in rows
        if statuses[r["booking_id"]] in SHOWN
    ]
    served = [line for line in lines if line.status == SERVED]
    booked = [line for line in lines if line.status in BOOKED]
    cap = yuan(settings.monthly_subsidy_cap)
    used = total(line.subsidy for line in served)
    held = total(line.subsidy for line in booked)
    return Statement(
        elder_id=elder_id,
        month=month,
        lines=lines,
        meals_served=len(served),
        price=total(line.price for line in served),
        subsidy=used,
        pay=total(line.pay for line in served),
        booked_subsidy=held,
        subsidy_cap=cap,
        subsidy_left=max(cap - used - held, ZERO),
    )


@dataclass
class Tally:
    """Served meals of one canteen or one elder in a month."""

    meals: int = 0
    dine_in: int = 0
    delivered: int = 0
    price: Decimal = ZERO
    subsidy: Decimal = ZERO
    pay: Decimal = ZERO
    elders: set[int] = field(default_factory=set)

    def add(self, row: dict[str, Any]) -> None:
        self.meals += 1
        if row["mode"] == "DELIVERY":
            self.delivered += 1
        else:
            self.dine_in += 1
        self.price = yuan(self.price + row["price"])
        self.subsidy = yuan(self.subsidy + row["subsidy"])
        self.pay = yuan(self.pay + row["pay"])
        self.elders.add(row["elder_id"])


@dataclass
class ElderTally:
    elder_id: int
    name: str
    age_tier: str
    canteen_id: int
    tally: Tally


@dataclass
class CanteenTally:
    canteen_id: int
    name: str
    tally: Tally


@dataclass
class Report:
    month: str
    canteens: list[CanteenTally]
    elders: list[ElderTally]
    totals: Tally


async def subsidy_report(month: str, canteens_where: Q) -> Report:
    """Served meals of the month in the canteens that ``canteens_where`` selects (a place
    filter, the module switch included)."""
    first, following = parse_month(month)
    canteens = dict(await Canteen.filter(canteens_where).order_by("id").values_list("id", "name"))
    rows = (
        await Meal.filter(
            canteen_id__in=list(canteens),
            day__gte=first,
            day__lt=following,
            booking__status=SERVED,
        )
        .order_by("id")
        .values(
            "canteen_id", "elder_id", "person_id", "mode", "age_tier", "price", "subsidy", "pay"
        )
    )
    per_canteen: dict[int, Tally] = {cid: Tally() for cid in canteens}
    per_elder: dict[tuple[int, int], Tally] = defaultdict(Tally)
    tiers: dict[tuple[int, int], str] = {}
    people: dict[int, int] = {}
    totals = Tally()
    for row in rows:
        per_canteen[row["canteen_id"]].add(row)
        key = (row["canteen_id"], row["elder_id"])
        per_elder[key].add(row)
        tiers[key] = row["age_tier"]  # the tier of the month's latest meal
        people[row["elder_id"]] = row["person_id"]
        totals.add(row)
    names = await names_of(people.values())
    return Report(
        month=month,
        canteens=[CanteenTally(cid, canteens[cid], t) for cid, t in per_canteen.items()],
        elders=[
            ElderTally(eid, names.get(people[eid], ""), tiers[(cid, eid)], cid, t)
            for (cid, eid), t in sorted(
                per_elder.items(), key=lambda kv: (kv[0][0], names.get(people[kv[0][1]], ""))
            )
        ],
        totals=totals,
    )


async def elder_ids_of(person_id: int) -> int | None:
    found = await Elder.filter(person_id=person_id).first().values("id")
    return found["id"] if found else None
