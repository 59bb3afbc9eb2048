"""Registering residents aged 60 or more with a canteen, and changing their registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError

from core import BadUserInput, Conflict, Forbidden, Grant, NotFound, Person, Viewer
from plugins.elderly_canteen.canteens import canteen_row, manager_grant
from plugins.elderly_canteen.models import CanteenStaff, Elder
from plugins.elderly_canteen.money import MIN_AGE
from plugins.elderly_canteen.rules import grid_worker_grant, staff_grant
from plugins.elderly_canteen.timing import age_on, birth_date_of


@dataclass
class Flags:
    """What matters for service; ``None`` leaves a flag as it is."""

    living_alone: bool | None = None
    disability: bool | None = None
    special_diet: bool | None = None
    diet_note: str | None = None

    def values(self) -> dict[str, Any]:
        found = {k: v for k, v in vars(self).items() if v is not None}
        if "diet_note" in found:
            note = found["diet_note"].strip()
            if len(note) > 200:
                raise BadUserInput("A diet note of at most 200 characters.", argument="dietNote")
            found["diet_note"] = note
        return found


async def elder_row(elder_id: int) -> dict[str, Any]:
    """An elder's columns with the staff ids of the elder's canteen; NOT_FOUND if none."""
    row = await Elder.filter(id=elder_id).first().values()
    if row is None:
        raise NotFound("No such elder.")
    row["staff_ids"] = frozenset(
        await CanteenStaff.filter(canteen_id=row["canteen_id"]).values_list("person_id", flat=True)
    )
    return row


async def register(
    viewer: Viewer | None, person_id: int | None, canteen_id: int, flags: Flags, today: date
) -> tuple[int, Grant | None]:
    """Register the viewer (``person_id`` None) or, for the canteen's managers, someone living
    in the canteen's district. The age comes from the ID number: 60 or more today."""
    if viewer is None:
        raise Forbidden("Sign in first.")
    canteen = await canteen_row(canteen_id)
    if not canteen["active"]:
        raise BadUserInput("The canteen is closed.", argument="canteenId")
    grant = None
    if person_id is None or person_id == viewer.person_id:
        person_id = viewer.person_id
    else:
        grant = manager_grant(viewer, canteen)
        if grant is None:
            raise Forbidden(
                "Others are registered by the canteen's managers; residents register themselves."
            )
    person = (
        await Person.filter(id=person_id)
        .first()
        .values("id", "id_number", "home_district_id", "home_grid_id", "home_compound_id")
    )
    if person is None:
        raise NotFound("No such person.", argument="personId")
    if person["home_district_id"] != canteen["district_id"]:
        raise BadUserInput(
            "An elder registers with a canteen of the district they live in (its subsidies "
            "are that district's).",
            argument="canteenId",
        )
    birth = birth_date_of(person["id_number"])
    if birth is None:
        raise BadUserInput(
            "The age comes from the ID number, and none valid is on record.", argument="personId"
        )
    if age_on(birth, today) < MIN_AGE:
        raise BadUserInput(
            f"The canteen serves residents aged {MIN_AGE} or more.",
            argument="personId",
            minAge=MIN_AGE,
        )
    if await Elder.exists(person_id=person_id):
        raise Conflict("Already registered: change the registration instead.", argument="personId")
    try:
        elder = await Elder.create(
            person_id=person_id,
            canteen_id=canteen_id,
            district_id=canteen["district_id"],
            street_id=canteen["street_id"],
            community_id=canteen["community_id"],
            grid_id=person["home_grid_id"],
            compound_id=person["home_compound_id"],
            birth_date=birth,
            **flags.values(),
        )
    except IntegrityError:
        raise Conflict("Already registered.", argument="personId") from None
    return elder.id, grant


async def update(
    viewer: Viewer | None,
    elder_id: int,
    version: int,
    flags: Flags,
    canteen_id: int | None = None,
    active: bool | None = None,
) -> tuple[dict[str, Any], Grant | None]:
    """Change flags (the elder, the canteen's staff, the home grid's workers, managers), move
    to another canteen of the district or end the registration (the elder or managers)."""
    row = await elder_row(elder_id)
    own = viewer is not None and viewer.person_id == row["person_id"]
    grant = staff_grant(viewer, row) or grid_worker_grant(viewer, row) or manager_grant(viewer, row)
    if not own and grant is None:
        raise NotFound("No such elder.")
    if row["version"] != version:
        raise _stale(row["version"])
    values = flags.values()
    moving = canteen_id is not None or active is not None
    if moving and not own and manager_grant(viewer, row) is None:
        raise Forbidden(
            "The canteen and the registration itself are changed by the elder or the canteen's "
            "managers."
        )
    if canteen_id is not None and canteen_id != row["canteen_id"]:
        canteen = await canteen_row(canteen_id)
        if canteen["district_id"] != row["district_id"] or not canteen["active"]:
            raise BadUserInput(
                "Move to an open canteen of the same district.", argument="canteenId"
            )
        values.update(
            canteen_id=canteen_id,
            street_id=canteen["street_id"],
            community_id=canteen["community_id"],
        )
    if active is not None:
        values["active"] = active
    moved = await Elder.filter(id=elder_id, version=version).update(version=version + 1, **values)
    if not moved:
        raise _stale(version + 1)
    return await elder_row(elder_id), None if own else grant


def _stale(current: int) -> Conflict:
    return Conflict(
        "The registration changed since you read it: reload it.", currentVersion=current
    )
