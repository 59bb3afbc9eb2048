"""GraphQL types of canteens, sittings with their menus, registered elders and meals.

Objects are built from plain rows (``schema.NodeSource``); what is not a column (staff ids for
the rules, names, booking statuses) is filled per batch by the sources' ``enrich``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core import Booking as BookingRow
from core import BookingStatus, Offering, Slot, names_of
from plugins.elderly_canteen import rules, timing
from plugins.elderly_canteen.models import Canteen as CanteenRow
from plugins.elderly_canteen.models import CanteenStaff
from plugins.elderly_canteen.models import Elder as ElderRow
from plugins.elderly_canteen.models import Meal as MealRow
from plugins.elderly_canteen.models import Sitting as SittingRow
from plugins.elderly_canteen.money import age_tier, yuan
from plugins.elderly_canteen.places import zone
from plugins.elderly_canteen.sittings import MAX_DISHES
from plugins.elderly_canteen.timing import local_day
from schema import (
    BOOKING,
    Booking,
    Community,
    Masked,
    NodeSource,
    by_id,
    cost,
    global_id,
    scoped,
)


@strawberry.enum(name="CanteenMealKind", description="Which meal of the day.")
class MealKind(Enum):
    LUNCH = "LUNCH"
    DINNER = "DINNER"


@strawberry.enum(name="CanteenMealMode", description="How a meal is served.")
class MealMode(Enum):
    DINE_IN = "DINE_IN"
    DELIVERY = "DELIVERY"


@strawberry.type(description="When a meal is served, city time.")
class CanteenMealTimes:
    starts: str = strawberry.field(description="Start, HH:MM.")
    ends: str = strawberry.field(description="End, HH:MM.")


@strawberry.type(description="A dish on a menu.")
class CanteenDish:
    name: str = strawberry.field(description="The dish, e.g. 清蒸鲈鱼.")
    allergens: list[str] = strawberry.field(description="Allergens it contains, e.g. 鱼, 花生.")


def _times(value: Any) -> CanteenMealTimes | None:
    return CanteenMealTimes(starts=value["starts"], ends=value["ends"]) if value else None


@strawberry.type(description="老年食堂: a community canteen for older residents. Public.")
class Canteen(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique in its district.")
    name: str = strawberry.field(description="Name, e.g. 欣虹社区老年食堂.")
    address: str = strawberry.field(description="Street address.")
    phone: str = strawberry.field(description="Telephone for bookings by phone.")
    seats: int = strawberry.field(description="Seats: the dine-in places of a sitting.")
    delivery_places: int = strawberry.field(
        description="Meals it delivers home per sitting (0: no delivery)."
    )
    opening_days: list[int] = strawberry.field(description="Weekdays open: 1 Monday … 7 Sunday.")
    delivery_note: str = strawberry.field(description="The delivery area in words.")
    active: bool = strawberry.field(description="False once closed.")
    version: int = strawberry.field(description="Send it back to change the canteen.")
    lunch: strawberry.Private[Any]
    dinner: strawberry.Private[Any]
    delivery_grid_ids: strawberry.Private[Any]
    operator_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    compound_id: strawberry.Private[int | None]
    grid_id: strawberry.Private[int]

    @strawberry.field(name="lunch", description="Lunch times; null when it serves no lunch.")
    def lunch_times(self) -> CanteenMealTimes | None:
        return _times(self.lunch)

    @strawberry.field(name="dinner", description="Dinner times; null when it serves no dinner.")
    def dinner_times(self) -> CanteenMealTimes | None:
        return _times(self.dinner)

    @strawberry.field(description="The delivery area: global ids of the grids it delivers to.")
    def delivery_area(self) -> list[strawberry.ID]:
        return [strawberry.ID(global_id("Grid", i)) for i in self.delivery_grid_ids]

    @strawberry.field(description="The community it serves.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, info.context.node_sources["Community"]).load(
            self.community_id
        )

    @strawberry.field(description="The operator's name.")
    async def operator_name(self, info: Info) -> str:
        return await _names(info.context).load(self.operator_id) or ""

    @strawberry.field(description="Names of its staff (the operator first).")
    async def staff(self, info: Info) -> list[str]:
        ids = await _staff(info.context).load(self.id)
        names = await _names(info.context).load_many(ids)
        ordered = sorted(zip(ids, names, strict=True), key=lambda p: p[0] != self.operator_id)
        return [name for _, name in ordered if name is not None]

    @strawberry.field(
        description="Its published sittings (menus) from `from` (default: today, city time) "
        "for `days` days (default 7, at most 31), in order.",
        metadata=cost(size=62),  # 31 days of lunch and dinner
    )
    async def sittings(
        self,
        info: Info,
        start: Annotated[date | None, strawberry.argument(name="from")] = None,
        days: int = 7,
    ) -> list[CanteenSitting]:
        first = start or local_day(timing.now(), zone(info.context))
        days = max(1, min(days, 31))
        rows = (
            await SittingRow.filter(
                canteen_id=self.id, day__gte=first, day__lt=first + timedelta(days=days)
            )
            .order_by("day", "starts_at")
            .values(*SITTING.columns)
        )
        built = [SITTING.build(r) for r in rows]
        await _with_free(built)
        return built


@strawberry.type(description="A lunch or dinner of a canteen on a day, with its menu. Public.")
class CanteenSitting(relay.Node):
    id: relay.NodeID[int]
    day: date = strawberry.field(description="The day (city time).")
    meal: MealKind = strawberry.field(description="Lunch or dinner.")
    starts_at: datetime = strawberry.field(description="When it starts (UTC).")
    ends_at: datetime = strawberry.field(description="When it ends (UTC).")
    price: Decimal = strawberry.field(description="The meal's price in yuan, before subsidy.")
    note: str = strawberry.field(description="A note from the kitchen.")
    closed: bool = strawberry.field(description="Closed by its staff after the meal.")
    dishes: strawberry.Private[Any]
    canteen_id: strawberry.Private[int]
    offering_id: strawberry.Private[int]
    dine_in_slot_id: strawberry.Private[int]
    delivery_slot_id: strawberry.Private[int | None]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    seats: int = strawberry.field(default=0, description="Dine-in places.")
    seats_free: int = strawberry.field(default=0, description="Dine-in places still free.")
    delivery_places: int = strawberry.field(default=0, description="Delivered meals it takes.")
    delivery_free: int = strawberry.field(default=0, description="Delivered meals still free.")
    booking_closes_at: datetime | None = strawberry.field(
        default=None,
        description="When booking and cancelling by elders close (UTC): the district's cut-off "
        "on the meal's day.",
    )

    @strawberry.field(
        name="dishes",
        description="The dishes with their allergens.",
        metadata=cost(size=MAX_DISHES),
    )
    def menu(self) -> list[CanteenDish]:
        return [CanteenDish(name=d["name"], allergens=list(d["allergens"])) for d in self.dishes]

    @strawberry.field(description="The canteen.")
    async def canteen(self, info: Info) -> Canteen:
        return await by_id(info.context, CANTEEN).load(self.canteen_id)

    @strawberry.field(
        description="Its booked and served meals (the kitchen's list): for the canteen's staff "
        "and managers; an elder sees their own.",
        metadata=cost(size=300),
    )
    async def meals(self, info: Info) -> list[CanteenMeal]:
        rows = await MealRow.filter(sitting_id=self.id).order_by("id").values(*MEAL.columns)
        built = [MEAL.build(r) for r in rows]
        if built:
            await _meal_details(built)
        return [m for m in built if m.status != BookingStatus.CANCELLED]


@scoped(rules.ELDER_SCOPE)
@strawberry.type(
    description="A resident aged 60 or more registered with a canteen: seen by the elder, the "
    "canteen's staff and managers and the home grid's workers. The flags are personal data."
)
class CanteenElder(relay.Node):
    id: relay.NodeID[int]
    active: bool = strawberry.field(description="False once the registration ended.")
    created_at: datetime = strawberry.field(description="When the elder registered (UTC).")
    version: int = strawberry.field(description="Send it back to change the registration.")
    living_alone: bool | None = strawberry.field(
        description="Lives alone (独居). Null unless you are the elder, the staff of the elder's "
        "canteen or a grid worker of the elder's grid.",
        extensions=[Masked(rules.FLAG_MASK, "canteen_living_alone")],
    )
    disability: bool | None = strawberry.field(
        description="Has a disability (残疾). Masked like livingAlone.",
        extensions=[Masked(rules.FLAG_MASK, "canteen_disability")],
    )
    special_diet: bool | None = strawberry.field(
        description="Needs a special diet. Masked like livingAlone.",
        extensions=[Masked(rules.FLAG_MASK, "canteen_special_diet")],
    )
    diet_note: str | None = strawberry.field(
        description="What the diet is (低盐, 软食...). Masked like livingAlone.",
        extensions=[Masked(rules.FLAG_MASK, "canteen_diet_note")],
    )
    birth_date: strawberry.Private[date]
    person_id: strawberry.Private[int]
    canteen_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    grid_id: strawberry.Private[int | None]
    staff_ids: strawberry.Private[frozenset[int]] = frozenset()
    name: str = strawberry.field(default="", description="The elder's name.")

    @strawberry.field(description="Age tier today: 60-69, 70-79 or 80+ (from the ID number).")
    def age_tier(self, info: Info) -> str:
        return age_tier(self.birth_date, local_day(timing.now(), zone(info.context)))

    @strawberry.field(description="The canteen the elder is registered with.")
    async def canteen(self, info: Info) -> Canteen:
        return await by_id(info.context, CANTEEN).load(self.canteen_id)


@scoped(rules.MEAL_SCOPE)
@strawberry.type(
    description="A meal an elder booked: seen by the elder and the canteen's staff and managers."
)
class CanteenMeal(relay.Node):
    id: relay.NodeID[int]
    day: date = strawberry.field(description="The day (city time).")
    meal: MealKind = strawberry.field(description="Lunch or dinner.")
    mode: MealMode = strawberry.field(description="Dine-in or delivery.")
    age_tier: str = strawberry.field(description="The elder's age tier on the day.")
    price: Decimal = strawberry.field(description="Price, yuan.")
    subsidy: Decimal = strawberry.field(description="Subsidy, yuan (tier + flags, capped).")
    pay: Decimal = strawberry.field(description="What the elder pays: price − subsidy, yuan.")
    subsidy_parts: strawberry.Private[Any]
    served_at: datetime | None = strawberry.field(description="When it was checked in (UTC).")
    rating: int | None = strawberry.field(description="The elder's rating, 1–5.")
    rating_comment: str | None = strawberry.field(description="The elder's comment.")
    sitting_id: strawberry.Private[int]
    elder_id: strawberry.Private[int]
    canteen_id: strawberry.Private[int]
    person_id: strawberry.Private[int]
    booking_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    staff_ids: strawberry.Private[frozenset[int]] = frozenset()
    status: BookingStatus = strawberry.field(
        default=BookingStatus.CONFIRMED,
        description="Where it stands in the booking engine: CONFIRMED (booked), CHECKED_IN "
        "(served), CANCELLED, NO_SHOW.",
    )
    elder_name: str = strawberry.field(default="", description="The elder's name.")

    @strawberry.field(description="How the subsidy was made up: tier:… and flag:… amounts.")
    def subsidy_breakdown(self) -> list[str]:
        return [f"{k}={v}" for k, v in self.subsidy_parts.items() if k != "capped"]

    @strawberry.field(description="Whether the monthly cap cut the subsidy.")
    def capped(self) -> bool:
        return bool(self.subsidy_parts.get("capped"))

    @strawberry.field(
        description="The core booking behind it (the elder's own, also in `myBookings`); null "
        "for anyone else."
    )
    async def booking(self, info: Info) -> Booking | None:
        return await by_id(info.context, BOOKING).load(self.booking_id)

    @strawberry.field(description="The sitting.")
    async def sitting(self, info: Info) -> CanteenSitting:
        found = await by_id(info.context, SITTING).load(self.sitting_id)
        await _with_free([found])
        return found

    @strawberry.field(description="The elder; null when you may not see the registration.")
    async def elder(self, info: Info) -> CanteenElder | None:
        return await by_id(info.context, ELDER).load(self.elder_id)


async def _staff_of(canteen_ids: set[int]) -> dict[int, frozenset[int]]:
    rows = await CanteenStaff.filter(canteen_id__in=canteen_ids).values_list(
        "canteen_id", "person_id"
    )
    found: dict[int, set[int]] = {}
    for canteen_id, person_id in rows:
        found.setdefault(canteen_id, set()).add(person_id)
    return {c: frozenset(p) for c, p in found.items()}


async def _elder_details(elders: Sequence[Any]) -> None:
    staff = await _staff_of({e.canteen_id for e in elders})
    names = await names_of(e.person_id for e in elders)
    for elder in elders:
        elder.staff_ids = staff.get(elder.canteen_id, frozenset())
        elder.name = names.get(elder.person_id, "")


async def _meal_details(meals: Sequence[Any]) -> None:
    staff = await _staff_of({m.canteen_id for m in meals})
    names = await names_of(m.person_id for m in meals)
    statuses = dict(
        await BookingRow.filter(id__in=[m.booking_id for m in meals]).values_list("id", "status")
    )
    for meal in meals:
        meal.staff_ids = staff.get(meal.canteen_id, frozenset())
        meal.elder_name = names.get(meal.person_id, "")
        meal.status = BookingStatus(statuses[meal.booking_id])
        meal.price, meal.subsidy, meal.pay = yuan(meal.price), yuan(meal.subsidy), yuan(meal.pay)


async def _with_free(sittings: Sequence[Any]) -> None:
    """Seats and delivery places, taken and free, from the engine's slots."""
    ids = {s.dine_in_slot_id for s in sittings} | {
        s.delivery_slot_id for s in sittings if s.delivery_slot_id is not None
    }
    slots = {
        row["id"]: row
        for row in await Slot.filter(id__in=ids).values("id", "capacity", "confirmed")
    }
    offerings = await _cutoffs({s.offering_id for s in sittings})
    for sitting in sittings:
        dine_in = slots[sitting.dine_in_slot_id]
        sitting.seats = dine_in["capacity"]
        sitting.seats_free = max(dine_in["capacity"] - dine_in["confirmed"], 0)
        delivery = slots.get(sitting.delivery_slot_id) if sitting.delivery_slot_id else None
        sitting.delivery_places = delivery["capacity"] if delivery else 0
        sitting.delivery_free = (
            max(delivery["capacity"] - delivery["confirmed"], 0) if delivery else 0
        )
        minutes = offerings.get(sitting.offering_id, 0)
        sitting.booking_closes_at = sitting.starts_at - timedelta(minutes=minutes)
        sitting.price = yuan(sitting.price)


async def _cutoffs(offering_ids: set[int]) -> dict[int, int]:
    return dict(await Offering.filter(id__in=offering_ids).values_list("id", "cutoff_minutes"))


CANTEEN = NodeSource(Canteen, CanteenRow)


def _names(context: Any) -> DataLoader[int, str | None]:
    """People's names for one request, in one statement per batch."""

    async def load(ids: Sequence[int]) -> list[str | None]:
        found = await names_of(ids)
        return [found.get(i) for i in ids]

    return context.loader(("elderly_canteen", "names"), lambda: DataLoader(load))


def _staff(context: Any) -> DataLoader[int, list[int]]:
    """Each canteen's staff person ids, in the order they joined, for one request."""

    async def load(ids: Sequence[int]) -> list[list[int]]:
        rows = (
            await CanteenStaff.filter(canteen_id__in=list(ids))
            .order_by("id")
            .values_list("canteen_id", "person_id")
        )
        found: dict[int, list[int]] = {i: [] for i in ids}
        for canteen_id, person_id in rows:
            found[canteen_id].append(person_id)
        return [found[i] for i in ids]

    return context.loader(("elderly_canteen", "staff"), lambda: DataLoader(load))


SITTING = NodeSource(CanteenSitting, SittingRow, enrich=_with_free)
ELDER = NodeSource(CanteenElder, ElderRow, enrich=_elder_details)
MEAL = NodeSource(CanteenMeal, MealRow, enrich=_meal_details)
