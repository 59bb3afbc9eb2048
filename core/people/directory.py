"""A read-only directory of people for plugins: names to show, and the roles someone holds.

Plugins name people (the keeper on duty, a leaderboard entry) and check that someone holds a
role before giving them a duty; they read it here rather than from core's models.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.access.models import RoleGrant
from core.access.viewer import Grant
from core.people.models import Person

_GRANT_COLUMNS = ("role", "level", "district_id", "street_id", "community_id", "grid_id",
                  "department_id")  # fmt: skip


async def names_of(person_ids: Iterable[int]) -> dict[int, str]:
    """The names of the people among ``person_ids`` who exist, by id (one statement)."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    return dict(await Person.filter(id__in=wanted).values_list("id", "name"))


async def grants_of(person_id: int) -> tuple[Grant, ...]:
    """Every role the person holds, as grants (empty for an unknown person)."""
    rows = await RoleGrant.filter(person_id=person_id).order_by("id").values(*_GRANT_COLUMNS)
    return tuple(Grant(**row) for row in rows)
