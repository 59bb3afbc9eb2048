"""Who sees a case and who may act on it, as data.

A case is seen by the core roles at its place, by the officers of the departments it was
routed to, and by its reporter. At each level one role handles it (the grid worker of its grid,
the community workers of its community, the officers of its departments, the officers of its
street); city admins and the admins of its district may act at any level (oversight). Only the
reporter rates a resolution.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.access.scope import ScopeRule
from core.access.viewer import Grant, Viewer
from core.cases.machine import Action, Level

CASE_SCOPE = ScopeRule(
    roles=frozenset(
        {
            "CITY_ADMIN",
            "DISTRICT_ADMIN",
            "STREET_OFFICER",
            "COMMUNITY_WORKER",
            "GRID_WORKER",
            "DEPARTMENT_OFFICER",
        }
    ),
    department="department_ids",
    department_sql="departments__department_id",
    owner="reporter_id",
)

HANDLERS: dict[Level, ScopeRule] = {
    Level.GRID: ScopeRule(
        roles=frozenset({"GRID_WORKER"}), district=None, street=None, community=None
    ),
    Level.COMMUNITY: ScopeRule(
        roles=frozenset({"COMMUNITY_WORKER"}), district=None, street=None, grid=None
    ),
    Level.DEPARTMENT: ScopeRule(
        roles=frozenset({"DEPARTMENT_OFFICER"}),
        district=None,
        street=None,
        community=None,
        grid=None,
        department="department_ids",
    ),
    Level.STREET: ScopeRule(
        roles=frozenset({"STREET_OFFICER"}), district=None, community=None, grid=None
    ),
}
"""Who handles a case at each level (at its grid, community, departments or street)."""

OVERSIGHT = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN"}), street=None, community=None, grid=None
)
"""City admins, and the admins of the case's district, may act at any level."""


DISPATCHERS = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"}),
    grid=None,
)
"""Who reassigns a GRID-level case to another grid worker: its community and those above."""


def acting_grant(viewer: Viewer | None, case: Mapping[str, Any], action: Action) -> Grant | None:
    """The grant that lets the viewer take ``action`` on ``case`` now, if any. Rating is the
    reporter's (as themself, not through a role); closing without a rating is oversight's."""
    if action == Action.RATE:
        return None
    if action != Action.CLOSE:
        handler = HANDLERS[Level(case["level"])].covering_grant(viewer, case)
        if handler is not None:
            return handler
    return OVERSIGHT.covering_grant(viewer, case)


def is_reporter(viewer: Viewer | None, case: Mapping[str, Any]) -> bool:
    return viewer is not None and case.get("reporter_id") == viewer.person_id
