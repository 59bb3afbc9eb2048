"""Granting and revoking roles: nobody grants beyond their own scope.

Only administrators grant: a city admin anything, a district admin roles at places inside its
district (and residents' ``self`` roles for people of its district). Department-wide and
city-wide roles are the city admin's to give.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from core.access.models import RoleGrant
from core.access.viewer import Grant, Viewer
from core.errors import BadUserInput, Forbidden, NotFound
from core.people.models import Department, Person
from core.plugins.contributions import RoleSpec
from core.regions.models import Community, District, Grid, Street

ADMIN_ROLES = ("CITY_ADMIN", "DISTRICT_ADMIN")
_PLACE_MODELS = {"district": District, "street": Street, "community": Community, "grid": Grid}


def admin_grant_for(viewer: Viewer | None, target: Grant) -> Grant | None:
    """The viewer's admin grant that covers ``target``, if any."""
    for grant in viewer.with_role(*ADMIN_ROLES) if viewer else ():
        if grant.level == "city":
            return grant
        inside = target.level not in ("city", "department") and target.district_id is not None
        if grant.level == "district" and inside and target.district_id == grant.district_id:
            return grant
    return None


async def grant_at(role: RoleSpec, level: str, place_id: int | None, person: Person) -> Grant:
    """The grant of ``role`` at a place of ``level`` (ids of the place and its ancestors)."""
    if level != role.scope:
        raise BadUserInput(
            f"{role.name} is granted at {role.scope} level, not at {level} level.",
            argument="place",
        )
    if level == "city":
        return Grant(role.name, "city")
    if level == "self":
        return Grant(
            role.name,
            "self",
            district_id=person.home_district_id,
            street_id=person.home_street_id,
            community_id=person.home_community_id,
            grid_id=person.home_grid_id,
        )
    if level == "department":
        if place_id is None or not await Department.exists(id=place_id):
            raise NotFound("No such department.")
        return Grant(role.name, "department", department_id=place_id)
    model = _PLACE_MODELS[level]
    row = await model.filter(id=place_id).first().values() if place_id is not None else None
    if row is None:
        raise NotFound(f"No such {level}.")
    ids = {f"{lvl}_id": row.get(f"{lvl}_id") for lvl in ("district", "street", "community")}
    ids[f"{level}_id"] = row["id"]
    return replace(Grant(role.name, level), **{k: v for k, v in ids.items() if v is not None})


def grant_columns(grant: Grant) -> dict[str, Any]:
    """The ``role_grant`` columns that describe ``grant``."""
    return {name: getattr(grant, name) for name in _GRANT_FIELDS}


async def save_grant(person_id: int, grant: Grant, granted_by: Viewer) -> RoleGrant:
    """Store ``grant`` for the person (once: granting it again changes nothing)."""
    columns = grant_columns(grant)
    existing = await RoleGrant.filter(person_id=person_id, **columns).first()
    if existing is not None:
        return existing
    return await RoleGrant.create(
        person_id=person_id, granted_by_id=granted_by.account_id, **columns
    )


def as_grant(row: RoleGrant) -> Grant:
    return Grant(**{name: getattr(row, name) for name in _GRANT_FIELDS})


_GRANT_FIELDS = tuple(f.name for f in fields(Grant))


def require_admin(viewer: Viewer | None, target: Grant) -> Grant:
    grant = admin_grant_for(viewer, target)
    if grant is None:
        raise Forbidden("You may not grant or revoke roles at that place.")
    return grant
