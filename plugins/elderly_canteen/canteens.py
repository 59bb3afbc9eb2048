"""Opening and changing canteens, and keeping their staff lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from core import (
    BadUserInput,
    Community,
    Compound,
    Conflict,
    Forbidden,
    Grant,
    Grid,
    NotFound,
    Person,
    Viewer,
    grants_of,
)
from plugins.elderly_canteen.models import Canteen, CanteenStaff
from plugins.elderly_canteen.rules import STAFF_ROLE, manager_grant, staff_grant
from plugins.elderly_canteen.timing import parse_hhmm

MEALS = ("LUNCH", "DINNER")
MAX_STAFF = 30


@dataclass
class MealTimes:
    starts: str
    ends: str


@dataclass
class CanteenDetails:
    """What a canteen is: everything but its place, which is fixed when it opens."""

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    seats: int | None = None
    delivery_places: int | None = None
    opening_days: list[int] | None = None
    lunch: MealTimes | None = None
    dinner: MealTimes | None = None
    no_lunch: bool = False
    no_dinner: bool = False
    delivery_grid_ids: list[int] | None = None
    delivery_note: str | None = None
    active: bool | None = None


async def canteen_row(canteen_id: int) -> dict[str, Any]:
    """A canteen's columns with its staff ids (what the rules read); NOT_FOUND if none."""
    row = await Canteen.filter(id=canteen_id).first().values()
    if row is None:
        raise NotFound("No such canteen.")
    row["staff_ids"] = frozenset(
        await CanteenStaff.filter(canteen_id=canteen_id).values_list("person_id", flat=True)
    )
    return row


def managing_grant(viewer: Viewer | None, canteen: dict[str, Any]) -> Grant:
    grant = manager_grant(viewer, canteen)
    if grant is None:
        raise Forbidden("Canteens are managed by their community's workers and those above.")
    return grant


def staff_or_manager(viewer: Viewer | None, canteen: dict[str, Any], what: str) -> Grant:
    grant = staff_grant(viewer, canteen) or manager_grant(viewer, canteen)
    if grant is None:
        raise Forbidden(f"{what} is for the canteen's staff and managers.")
    return grant


def only_staff(viewer: Viewer | None, canteen: dict[str, Any], what: str) -> Grant:
    grant = staff_grant(viewer, canteen)
    if grant is None:
        raise Forbidden(f"{what} is for the canteen's staff (CANTEEN_STAFF on its staff list).")
    return grant


async def place_for(community_id: int | None, compound_id: int | None) -> dict[str, Any]:
    """The place columns of a new canteen, its compound and the grid its complaints go to."""
    if compound_id is not None:
        compound = await Compound.filter(id=compound_id).first().values()
        if compound is None:
            raise NotFound("No such compound.", argument="placeId")
        return {
            "district_id": compound["district_id"],
            "street_id": compound["street_id"],
            "community_id": compound["community_id"],
            "compound_id": compound["id"],
            "grid_id": compound["grid_id"],
        }
    community = await Community.filter(id=community_id).first().values()
    if community is None:
        raise NotFound("No such community.", argument="placeId")
    grid = await Grid.filter(community_id=community["id"]).order_by("id").first().values("id")
    if grid is None:
        raise BadUserInput("The community has no grid yet.", argument="placeId")
    return {
        "district_id": community["district_id"],
        "street_id": community["street_id"],
        "community_id": community["id"],
        "compound_id": None,
        "grid_id": grid["id"],
    }


async def holds_staff_role(person_id: int, community_id: int) -> bool:
    """Whether the person holds CANTEEN_STAFF at the community (granted with grantRole)."""
    return any(
        g.role == STAFF_ROLE and g.community_id == community_id for g in await grants_of(person_id)
    )


def checked(details: CanteenDetails, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The columns ``details`` sets, checked (BAD_USER_INPUT naming the argument)."""
    values: dict[str, Any] = {}
    if details.name is not None:
        if not 1 <= len(details.name.strip()) <= 100:
            raise BadUserInput("A name of 1–100 characters.", argument="name")
        values["name"] = details.name.strip()
    for key, limit in (("address", 300), ("phone", 32), ("delivery_note", 300)):
        value = getattr(details, key)
        if value is not None:
            if len(value) > limit:
                raise BadUserInput(f"At most {limit} characters.", argument=_camel(key))
            values[key] = value.strip()
    if details.seats is not None:
        if not 1 <= details.seats <= 1000:
            raise BadUserInput("Seats: 1–1000.", argument="seats")
        values["seats"] = details.seats
    if details.delivery_places is not None:
        if not 0 <= details.delivery_places <= 1000:
            raise BadUserInput("Delivery places per sitting: 0–1000.", argument="deliveryPlaces")
        values["delivery_places"] = details.delivery_places
    if details.opening_days is not None:
        days = sorted(set(details.opening_days))
        if not days or any(d not in range(1, 8) for d in days):
            raise BadUserInput(
                "Opening days: weekdays 1 (Monday) to 7 (Sunday), at least one.",
                argument="openingDays",
            )
        values["opening_days"] = days
    for meal, times, none in (
        ("lunch", details.lunch, details.no_lunch),
        ("dinner", details.dinner, details.no_dinner),
    ):
        if none:
            values[meal] = None
        elif times is not None:
            starts = parse_hhmm(times.starts, f"{meal}.starts")
            ends = parse_hhmm(times.ends, f"{meal}.ends")
            if ends <= starts:
                raise BadUserInput("A meal ends after it starts.", argument=f"{meal}.ends")
            values[meal] = {"starts": times.starts, "ends": times.ends}
    merged = {**(current or {}), **values}
    if merged.get("lunch") is None and merged.get("dinner") is None:
        raise BadUserInput("A canteen serves lunch, dinner or both.", argument="lunch")
    if details.active is not None:
        values["active"] = details.active
    return values


async def checked_delivery_area(grid_ids: list[int], district_id: int) -> list[int]:
    wanted = sorted(set(grid_ids))
    found = await Grid.filter(id__in=wanted, district_id=district_id).values_list("id", flat=True)
    if len(found) != len(wanted):
        raise BadUserInput(
            "The delivery area is made of grids of the canteen's district.",
            argument="deliveryGridIds",
        )
    return wanted


async def create_canteen(
    viewer: Viewer | None,
    community_id: int | None,
    compound_id: int | None,
    code: str,
    operator_id: int,
    details: CanteenDetails,
) -> tuple[int, Grant]:
    place = await place_for(community_id, compound_id)
    grant = managing_grant(viewer, place)
    if not 1 <= len(code) <= 64 or not code.replace("-", "").replace("_", "").isalnum():
        raise BadUserInput("A code of 1–64 letters, digits, - or _.", argument="code")
    for needed, argument in ((details.name, "name"), (details.seats, "seats")):
        if needed is None:
            raise BadUserInput(f"A new canteen needs {argument}.", argument=argument)
    values = checked(details)
    values.setdefault("opening_days", [1, 2, 3, 4, 5, 6, 7])
    if "lunch" not in values and "dinner" not in values:
        raise BadUserInput("A canteen serves lunch, dinner or both.", argument="lunch")
    await _check_operator(operator_id, place["community_id"])
    if details.delivery_grid_ids is not None:
        values["delivery_grid_ids"] = await checked_delivery_area(
            details.delivery_grid_ids, place["district_id"]
        )
    if await Canteen.exists(district_id=place["district_id"], code=code):
        raise Conflict("A canteen of the district has that code.", argument="code")
    try:
        canteen = await Canteen.create(code=code, operator_id=operator_id, **place, **values)
        await CanteenStaff.create(canteen_id=canteen.id, person_id=operator_id)
    except IntegrityError:
        raise Conflict("A canteen of the district has that code.", argument="code") from None
    return canteen.id, grant


async def _check_operator(person_id: int, community_id: int) -> None:
    if not await Person.exists(id=person_id):
        raise NotFound("No such person.", argument="operatorId")
    if not await holds_staff_role(person_id, community_id):
        raise BadUserInput(
            f"The operator must hold {STAFF_ROLE} at the canteen's community (grantRole).",
            argument="operatorId",
        )


async def update_canteen(
    viewer: Viewer | None,
    canteen_id: int,
    version: int,
    details: CanteenDetails,
    operator_id: int | None,
) -> tuple[dict[str, Any], Grant]:
    row = await canteen_row(canteen_id)
    grant = staff_or_manager(viewer, row, "Changing a canteen")
    if row["version"] != version:
        raise _stale(row["version"])
    values = checked(details, row)
    if details.delivery_grid_ids is not None:
        values["delivery_grid_ids"] = await checked_delivery_area(
            details.delivery_grid_ids, row["district_id"]
        )
    if operator_id is not None:
        if manager_grant(viewer, row) is None:
            raise Forbidden("The operator is changed by the canteen's managers.")
        await _check_operator(operator_id, row["community_id"])
        values["operator_id"] = operator_id
        if operator_id not in row["staff_ids"]:
            await CanteenStaff.create(canteen_id=canteen_id, person_id=operator_id)
    moved = await Canteen.filter(id=canteen_id, version=version).update(
        version=version + 1, **values
    )
    if not moved:
        raise _stale(version + 1)
    return await canteen_row(canteen_id), grant


async def set_staff(
    viewer: Viewer | None, canteen_id: int, version: int, person_ids: list[int]
) -> tuple[dict[str, Any], Grant]:
    """Replace the staff list (managers only). The operator always stays on it."""
    row = await canteen_row(canteen_id)
    grant = managing_grant(viewer, row)
    if row["version"] != version:
        raise _stale(row["version"])
    wanted = list(dict.fromkeys([row["operator_id"], *person_ids]))
    if len(wanted) > MAX_STAFF:
        raise BadUserInput(f"At most {MAX_STAFF} staff.", argument="personIds")
    for person_id in wanted:
        if person_id != row["operator_id"]:
            await _check_operator(person_id, row["community_id"])
    moved = await Canteen.filter(id=canteen_id, version=version).update(version=version + 1)
    if not moved:
        raise _stale(version + 1)
    await CanteenStaff.filter(canteen_id=canteen_id).exclude(person_id__in=wanted).delete()
    have = set(row["staff_ids"])
    await CanteenStaff.bulk_create(
        [CanteenStaff(canteen_id=canteen_id, person_id=p) for p in wanted if p not in have]
    )
    return await canteen_row(canteen_id), grant


def _stale(current: int) -> Conflict:
    return Conflict("The canteen changed since you read it: reload it.", currentVersion=current)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)
