"""Booking meals through the core booking engine, cancelling them, checking them in at the
meal, rating them and closing a sitting (no-shows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from core import (
    BadUserInput,
    Booking,
    BookingEngine,
    BookingStatus,
    Conflict,
    Forbidden,
    Grant,
    NotFound,
    Offering,
    Viewer,
)
from plugins.elderly_canteen.canteens import canteen_row, only_staff
from plugins.elderly_canteen.elders import elder_row
from plugins.elderly_canteen.models import Elder, Meal, Sitting
from plugins.elderly_canteen.money import age_tier, subsidy_for, total
from plugins.elderly_canteen.rules import staff_grant
from plugins.elderly_canteen.settings import CanteenSettings
from plugins.elderly_canteen.sittings import HELD, sitting_row
from plugins.elderly_canteen.timing import cutoff_minutes, local_day, month_of
from schema import global_id

MODES = ("DINE_IN", "DELIVERY")


def engine(now: Callable[[], datetime]) -> BookingEngine:
    return BookingEngine(now=now)


async def _sync_cutoff(sitting: dict[str, Any], settings: CanteenSettings, zone: str) -> None:
    """The district's cut-off may have changed since the sitting was published (a config
    reload): the engine reads it from the offering, so keep that in step."""
    minutes = cutoff_minutes(sitting["starts_at"], sitting["day"], settings.booking_cutoff, zone)
    await (
        Offering.filter(id=sitting["offering_id"])
        .exclude(cutoff_minutes=minutes)
        .update(cutoff_minutes=minutes)
    )


async def book(
    viewer: Viewer | None,
    sitting_id: int,
    mode: str,
    elder_id: int | None,
    settings: CanteenSettings,
    zone: str,
    now: Callable[[], datetime],
) -> tuple[int, Grant | None]:
    """Book a meal for the viewer (a registered elder) or, for the canteen's staff, for an
    elder registered with their canteen. One meal per elder and sitting."""
    if viewer is None:
        raise Forbidden("Sign in first.")
    sitting = await sitting_row(sitting_id)
    canteen = await canteen_row(sitting["canteen_id"])
    grant = None
    if elder_id is None:
        found = await Elder.filter(person_id=viewer.person_id).first().values("id")
        if found is None:
            raise BadUserInput(
                "Register with a canteen first (registerCanteenElder).", argument="sittingId"
            )
        elder_id = found["id"]
    elder = await elder_row(elder_id)
    if elder["person_id"] != viewer.person_id:
        grant = staff_grant(viewer, canteen)
        if grant is None or elder["canteen_id"] != canteen["id"]:
            raise Forbidden("Staff book for the elders registered with their own canteen.")
    if not elder["active"]:
        raise BadUserInput("The registration has ended.", argument="elderId")
    if elder["district_id"] != canteen["district_id"] or not canteen["active"]:
        raise BadUserInput("Book at an open canteen of your district.", argument="sittingId")
    if sitting["closed"]:
        raise BadUserInput("The sitting is over.", argument="sittingId")
    if mode not in MODES:
        raise BadUserInput("DINE_IN or DELIVERY.", argument="mode")
    slot_id = sitting["dine_in_slot_id"]
    if mode == "DELIVERY":
        slot_id = _delivery_slot(sitting, canteen, elder, settings)
    # One elder at a time: the subsidies of the month are counted and a new one added while
    # the elder's row is locked (PostgreSQL; SQLite runs one transaction at a time anyway).
    await Elder.filter(id=elder_id).select_for_update().first()
    existing = await Meal.filter(sitting_id=sitting_id, elder_id=elder_id).first()
    if existing is not None and await Booking.exists(id=existing.booking_id, status__in=HELD):
        raise Conflict(
            "Already booked for this sitting.",
            argument="sittingId",
            mealId=global_id("CanteenMeal", existing.id),
        )
    await _sync_cutoff(sitting, settings, zone)
    booking = await engine(now).book(elder["person_id"], slot_id)
    day = sitting["day"]
    month = month_of(day)
    used = cast(
        list[Decimal],
        await Meal.filter(elder_id=elder_id, month=month, booking__status__in=HELD)
        .exclude(sitting_id=sitting_id)
        .values_list("subsidy", flat=True),
    )
    tier = age_tier(elder["birth_date"], day)
    flags = {k: elder[k] for k in ("living_alone", "disability", "special_diet")}
    money = subsidy_for(settings, Decimal(sitting["price"]), tier, flags, total(used))
    values: dict[str, Any] = {
        "booking_id": booking.id,
        "booked_by_id": viewer.person_id,
        "mode": mode,
        "age_tier": tier,
        "price": money.price,
        "subsidy": money.subsidy,
        "pay": money.pay,
        "subsidy_parts": {**money.parts, "capped": money.capped},
        "served_at": None,
        "rating": None,
        "rating_comment": None,
    }
    if existing is not None:
        await Meal.filter(id=existing.id).update(**values)
        return existing.id, grant
    meal = await Meal.create(
        sitting_id=sitting_id,
        elder_id=elder_id,
        canteen_id=canteen["id"],
        person_id=elder["person_id"],
        day=day,
        month=month,
        meal=sitting["meal"],
        district_id=canteen["district_id"],
        street_id=canteen["street_id"],
        community_id=canteen["community_id"],
        **values,
    )
    return meal.id, grant


def _delivery_slot(
    sitting: dict[str, Any],
    canteen: dict[str, Any],
    elder: dict[str, Any],
    settings: CanteenSettings,
) -> int:
    if not settings.delivery or sitting["delivery_slot_id"] is None:
        raise BadUserInput("This sitting has no delivery.", argument="mode")
    if elder["grid_id"] not in canteen["delivery_grid_ids"]:
        raise BadUserInput("You live outside the canteen's delivery area.", argument="mode")
    return int(sitting["delivery_slot_id"])


async def meal_row(meal_id: int) -> dict[str, Any]:
    """A meal's columns with its booking status and its canteen's staff ids."""
    row = await Meal.filter(id=meal_id).first().values()
    if row is None:
        raise NotFound("No such meal.")
    row["status"] = (
        await Booking.filter(id=row["booking_id"]).first().values_list("status", flat=True)
    )
    canteen = await canteen_row(row["canteen_id"])
    row["staff_ids"] = canteen["staff_ids"]
    return row


async def cancel(
    viewer: Viewer | None,
    meal_id: int,
    settings: CanteenSettings,
    zone: str,
    now: Callable[[], datetime],
) -> tuple[dict[str, Any], Grant | None]:
    """The elder cancels before the cut-off; the canteen's staff cancel until it ends."""
    meal = await meal_row(meal_id)
    own = viewer is not None and viewer.person_id == meal["person_id"]
    grant = None if own else staff_grant(viewer, meal)
    if not own and grant is None:
        raise NotFound("No such meal.")
    sitting = await sitting_row(meal["sitting_id"])
    if own:
        await _sync_cutoff(sitting, settings, zone)
        await engine(now).cancel(meal["booking_id"], by_person=meal["person_id"])
    else:
        if sitting["ends_at"] <= now():
            raise BadUserInput("The sitting is over.", argument="mealId")
        await engine(now).cancel(meal["booking_id"])
    return await meal_row(meal_id), grant


async def check_in(
    viewer: Viewer | None, meal_id: int, zone: str, now: Callable[[], datetime]
) -> tuple[dict[str, Any], Grant]:
    """The canteen's staff check a meal in when it is served (eaten there or handed over at the
    door), on the sitting's day."""
    meal = await meal_row(meal_id)
    canteen = await canteen_row(meal["canteen_id"])
    grant = only_staff(viewer, canteen, "Checking meals in")
    if local_day(now(), zone) != meal["day"]:
        raise BadUserInput("Meals are checked in on their day.", argument="mealId")
    if meal["status"] != BookingStatus.CONFIRMED.value:
        raise BadUserInput(
            f"The meal is {meal['status']}.", argument="mealId", status=meal["status"]
        )
    await engine(now).check_in(meal["booking_id"])
    await Meal.filter(id=meal_id).update(served_at=now())
    return await meal_row(meal_id), grant


async def rate(viewer: Viewer | None, meal_id: int, rating: int, comment: str) -> dict[str, Any]:
    """The elder rates a served meal once, 1–5 (the canteen's satisfaction)."""
    meal = await meal_row(meal_id)
    if viewer is None or viewer.person_id != meal["person_id"]:
        raise NotFound("No such meal.")
    if meal["status"] != BookingStatus.CHECKED_IN.value:
        raise BadUserInput("Only a served meal is rated.", argument="mealId")
    if not 1 <= rating <= 5:
        raise BadUserInput("A rating of 1–5.", argument="rating")
    if len(comment) > 300:
        raise BadUserInput("A comment of at most 300 characters.", argument="comment")
    if not await Meal.filter(id=meal_id, rating=None).update(
        rating=rating, rating_comment=comment or None
    ):
        raise Conflict("The meal is rated already.", argument="mealId")
    return await meal_row(meal_id)


async def close_sitting(
    viewer: Viewer | None, sitting_id: int, now: Callable[[], datetime]
) -> tuple[int, int, Grant]:
    """After a sitting ended, its staff close it: confirmed meals never checked in become
    NO_SHOW (their subsidy goes back to the elder's month). Answers how many."""
    sitting = await sitting_row(sitting_id)
    canteen = await canteen_row(sitting["canteen_id"])
    grant = only_staff(viewer, canteen, "Closing a sitting")
    if sitting["ends_at"] > now():
        raise BadUserInput("The sitting has not ended yet.", argument="sittingId")
    if not await Sitting.filter(id=sitting_id, closed=False).update(closed=True):
        raise BadUserInput("The sitting is closed already.", argument="sittingId")
    missed = 0
    for slot_id in (sitting["dine_in_slot_id"], sitting["delivery_slot_id"]):
        if slot_id is not None:
            missed += await engine(now).mark_no_shows(slot_id)
    return sitting_id, missed, grant
