"""Teams: creating and changing them, and setting their doctors.

Each write checks who may do it and returns the grant that allowed it (for the audit log);
changes carry the version the caller read, so a stale one is CONFLICT, never a lost update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import BadUserInput, Conflict, Forbidden, Grant, NotFound, Person, Viewer, grants_of
from plugins.medical_teams.models import Team, TeamMember
from plugins.medical_teams.rules import DOCTOR, manager_grant
from schema import global_id

MAX_MEMBERS = 100


async def team_row(team_id: int) -> dict[str, Any]:
    """A team's columns with the person ids of its members (``doctor_ids``); NOT_FOUND if none."""
    row = await Team.filter(id=team_id).first().values()
    if row is None:
        raise NotFound("No such team.", argument="teamId")
    row["doctor_ids"] = frozenset(
        await TeamMember.filter(team_id=team_id).values_list("person_id", flat=True)
    )
    return row


def _managing(viewer: Viewer | None, district_id: int) -> Grant:
    grant = manager_grant(viewer, {"district_id": district_id})
    if grant is None:
        raise Forbidden("Teams are managed by the city admins and the admins of their district.")
    return grant


def _text(value: str, argument: str, what: str, longest: int = 100) -> str:
    text = value.strip()
    if not 1 <= len(text) <= longest:
        raise BadUserInput(f"{what} has 1–{longest} characters.", argument=argument)
    return text


async def create_team(
    viewer: Viewer | None, district_id: int, name: str, hospital: str
) -> tuple[Team, Grant]:
    grant = _managing(viewer, district_id)
    values: dict[str, Any] = {"name": _text(name, "name", "A team name"),
              "hospital": _text(hospital, "hospital", "A hospital name")}  # fmt: skip
    try:
        async with in_transaction():
            team = await Team.create(district_id=district_id, **values)
    except IntegrityError:
        raise Conflict("The district has a team of this name.", argument="name") from None
    return team, grant


async def update_team(
    viewer: Viewer | None, team_id: int, version: int, *, name: str | None = None,
    hospital: str | None = None, active: bool | None = None,
) -> tuple[dict[str, Any], Grant]:  # fmt: skip
    row = await team_row(team_id)
    grant = _managing(viewer, row["district_id"])
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = _text(name, "name", "A team name")
    if hospital is not None:
        values["hospital"] = _text(hospital, "hospital", "A hospital name")
    if active is not None:
        values["active"] = active
    try:
        async with in_transaction():
            moved = await Team.filter(id=team_id, version=version).update(
                version=version + 1, **values
            )
    except IntegrityError:
        raise Conflict("The district has a team of this name.", argument="name") from None
    if not moved:
        raise _stale(row["version"])
    return await team_row(team_id), grant


@dataclass(frozen=True)
class Member:
    person_id: int
    specialty: str
    leader: bool = False


async def set_members(
    viewer: Viewer | None, team_id: int, version: int, members: list[Member]
) -> tuple[dict[str, Any], Grant]:
    """Replace the team's doctors. Each must hold DOCTOR in the team's district; a manager may
    not put themself on a team (that would open its patients' records to them)."""
    row = await team_row(team_id)
    grant = _managing(viewer, row["district_id"])
    if len(members) > MAX_MEMBERS:
        raise BadUserInput(f"At most {MAX_MEMBERS} members.", argument="members")
    people = [m.person_id for m in members]
    if len(set(people)) != len(people):
        raise BadUserInput("A person is on a team once.", argument="members")
    if viewer is not None and viewer.person_id in people:
        raise Forbidden("A manager does not put themself on a team: another admin does.")
    if await Person.filter(id__in=people).count() != len(people):
        raise NotFound("No such person.", argument="members")
    for person_id in people:
        if not any(
            g.role == DOCTOR and g.district_id == row["district_id"]
            for g in await grants_of(person_id)
        ):
            raise BadUserInput(
                "Every member holds DOCTOR in the team's district (grant it with grantRole).",
                argument="members",
                personId=global_id("Person", person_id),
            )
    specialties = [_text(m.specialty, "members", "A specialty", 32) for m in members]
    moved = await Team.filter(id=team_id, version=version).update(version=version + 1)
    if not moved:
        raise _stale(row["version"])
    await TeamMember.filter(team_id=team_id).delete()
    await TeamMember.bulk_create(
        [
            TeamMember(team_id=team_id, person_id=m.person_id, specialty=s, leader=m.leader)
            for m, s in zip(members, specialties, strict=True)
        ]
    )
    return await team_row(team_id), grant


def _stale(current: int) -> Conflict:
    return Conflict("The team changed since you read it: reload it.", currentVersion=current)
