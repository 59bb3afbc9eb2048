"""Daily menus: canteen staff publish a sitting (a lunch or a dinner on a day) with its price and
dishes, which opens it for booking through the core booking engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tortoise.expressions import F

from core import BadUserInput, Grant, NotFound, Offering, Slot, Viewer
from plugins.elderly_canteen.canteens import MEALS, canteen_row, only_staff
from plugins.elderly_canteen.models import Meal, Sitting
from plugins.elderly_canteen.money import yuan
from plugins.elderly_canteen.settings import CanteenSettings
from plugins.elderly_canteen.timing import at, cutoff_minutes

OWNER = "elderly_canteen"
MAX_DAYS_AHEAD = 31
MAX_DISHES = 20
MEAL_NAMES = {"LUNCH": "午餐", "DINNER": "晚餐"}


@dataclass
class Dish:
    name: str
    allergens: list[str] = field(default_factory=list)


@dataclass
class MenuRequest:
    canteen_id: int
    day: date
    meal: str
    price: Decimal
    dishes: list[Dish]
    note: str = ""
    seats: int | None = None
    delivery_places: int | None = None


def _checked_dishes(dishes: list[Dish]) -> list[dict[str, Any]]:
    if not 1 <= len(dishes) <= MAX_DISHES:
        raise BadUserInput(f"A menu has 1–{MAX_DISHES} dishes.", argument="dishes")
    checked = []
    for i, dish in enumerate(dishes):
        name = dish.name.strip()
        allergens = sorted({a.strip() for a in dish.allergens if a.strip()})
        if not 1 <= len(name) <= 100 or any(len(a) > 50 for a in allergens):
            raise BadUserInput(
                f"dishes[{i}]: a name of 1–100 characters, allergens of at most 50.",
                argument="dishes",
            )
        checked.append({"name": name, "allergens": allergens})
    return checked


async def publish(
    viewer: Viewer | None,
    request: MenuRequest,
    settings: CanteenSettings,
    zone: str,
    today: date,
) -> tuple[int, Grant]:
    """Create or change the sitting of a canteen's meal on a day with its menu."""
    canteen = await canteen_row(request.canteen_id)
    grant = only_staff(viewer, canteen, "Publishing a menu")
    assert viewer is not None
    if not canteen["active"]:
        raise BadUserInput("The canteen is closed.", argument="canteenId")
    if request.meal not in MEALS or canteen[request.meal.lower()] is None:
        raise BadUserInput(f"The canteen serves no {request.meal.lower()}.", argument="meal")
    if request.day.isoweekday() not in canteen["opening_days"]:
        raise BadUserInput("The canteen is closed that day.", argument="day")
    if not today <= request.day <= today + timedelta(days=MAX_DAYS_AHEAD):
        raise BadUserInput(
            f"A menu for today or up to {MAX_DAYS_AHEAD} days ahead.", argument="day"
        )
    price = yuan(request.price)
    if price != request.price or not Decimal("0") < price <= Decimal("1000"):
        raise BadUserInput(
            "A price above 0 and up to 1000 yuan, exact to the fen.", argument="price"
        )
    dishes = _checked_dishes(request.dishes)
    if len(request.note) > 300:
        raise BadUserInput("A note of at most 300 characters.", argument="note")
    seats = canteen["seats"] if request.seats is None else request.seats
    delivery = (
        canteen["delivery_places"] if request.delivery_places is None else (request.delivery_places)
    )
    if not 1 <= seats <= canteen["seats"]:
        raise BadUserInput(f"Seats for this sitting: 1–{canteen['seats']}.", argument="seats")
    if not 0 <= delivery <= 1000:
        raise BadUserInput("Delivery places: 0–1000.", argument="deliveryPlaces")
    if not settings.delivery:
        delivery = 0
    times = canteen[request.meal.lower()]
    starts, ends = at(request.day, times["starts"], zone), at(request.day, times["ends"], zone)
    existing = await Sitting.filter(
        canteen_id=canteen["id"], day=request.day, meal=request.meal
    ).first()
    cutoff = cutoff_minutes(starts, request.day, settings.booking_cutoff, zone)
    if existing is None:
        offering = await Offering.create(
            owner=OWNER,
            kind=request.meal.lower(),
            title=f"{canteen['name']} {request.day.isoformat()} {MEAL_NAMES[request.meal]}",
            district_id=canteen["district_id"],
            street_id=canteen["street_id"],
            community_id=canteen["community_id"],
            cutoff_minutes=cutoff,
            per_person_limit=1,
            waitlist=False,
        )
        dine_in = await Slot.create(
            offering_id=offering.id, starts_at=starts, ends_at=ends, capacity=seats
        )
        delivery_slot = await _delivery_slot(offering.id, starts, ends, delivery)
        sitting = await Sitting.create(
            canteen_id=canteen["id"],
            day=request.day,
            meal=request.meal,
            district_id=canteen["district_id"],
            street_id=canteen["street_id"],
            community_id=canteen["community_id"],
            starts_at=starts,
            ends_at=ends,
            price=price,
            dishes=dishes,
            note=request.note.strip(),
            offering_id=offering.id,
            dine_in_slot_id=dine_in.id,
            delivery_slot_id=delivery_slot,
            published_by_id=viewer.person_id,
        )
        return sitting.id, grant
    if existing.closed:
        raise BadUserInput("The sitting is over.", argument="day")
    booked = await Meal.filter(sitting_id=existing.id, booking__status__in=HELD).exists()
    if booked and price != yuan(existing.price):
        raise BadUserInput("The price stays once meals are booked.", argument="price")
    await _resize(existing.dine_in_slot_id, seats, "seats")
    delivery_slot_id = existing.delivery_slot_id
    if delivery_slot_id is not None:
        await _resize(delivery_slot_id, delivery, "deliveryPlaces")
    else:
        delivery_slot_id = await _delivery_slot(existing.offering_id, starts, ends, delivery)
    await Offering.filter(id=existing.offering_id).update(cutoff_minutes=cutoff)
    await Sitting.filter(id=existing.id).update(
        price=price,
        dishes=dishes,
        note=request.note.strip(),
        delivery_slot_id=delivery_slot_id,
        version=F("version") + 1,
        published_by_id=viewer.person_id,
    )
    return existing.id, grant


HELD = ("CONFIRMED", "WAITLISTED", "CHECKED_IN")
"""Booking statuses of a meal that is booked or served."""


async def _delivery_slot(offering_id: int, starts: Any, ends: Any, places: int) -> int | None:
    if places <= 0:
        return None
    slot = await Slot.create(
        offering_id=offering_id, starts_at=starts, ends_at=ends, capacity=places
    )
    return slot.id


async def _resize(slot_id: int, capacity: int, argument: str) -> None:
    """Change a slot's capacity, never below the seats already taken."""
    if not await Slot.filter(id=slot_id, confirmed__lte=capacity).update(capacity=capacity):
        raise BadUserInput("More meals are booked than that.", argument=argument)


async def sitting_row(sitting_id: int) -> dict[str, Any]:
    row = await Sitting.filter(id=sitting_id).first().values()
    if row is None:
        raise NotFound("No such sitting.")
    return row
