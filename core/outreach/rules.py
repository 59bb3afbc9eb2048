"""Who manages outreach teams, who runs their activities and what a viewer sees by default.

Teams and activities are announcements: every signed-in user may read them. A team belongs to a
district or to one street of it; it is managed by the city admins, the admins of its district
and, for a street team, the officers of its street (``TEAM_MANAGERS``). The team's members and
managers schedule its activities; an activity's organiser, the team's members and its managers
record attendance and cancel it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from operator import or_
from typing import Any

from tortoise.expressions import Q

from core.access.scope import ScopeRule
from core.access.viewer import Grant, Viewer

TEAM_MANAGERS = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER"}), community=None, grid=None
)
"""Who manages a team: city admins, the admins of its district, the officers of its street (a
street officer never manages a district-wide team: the team row has no street to match)."""

STAFF_ROLES = frozenset(
    {
        "CITY_ADMIN",
        "DISTRICT_ADMIN",
        "STREET_OFFICER",
        "COMMUNITY_WORKER",
        "GRID_WORKER",
        "DEPARTMENT_OFFICER",
    }
)
"""Roles whose holders may join a team in a district where the manager cannot see them."""


def team_place(team: Mapping[str, Any]) -> dict[str, Any]:
    """A team row as the place ``TEAM_MANAGERS`` compares against."""
    return {"district_id": team["district_id"], "street_id": team["street_id"]}


def manager_grant(viewer: Viewer | None, team: Mapping[str, Any]) -> Grant | None:
    """The viewer's grant that manages ``team``, if any."""
    return TEAM_MANAGERS.covering_grant(viewer, team_place(team))


def staff_grant_reaches(grant: Mapping[str, Any], district_id: int) -> bool:
    """Whether a stored role grant makes its holder staff who may serve in ``district_id``:
    a staff role in that district, city-wide, or in a city department (cadres who come to
    explain their department's policy)."""
    if grant["role"] not in STAFF_ROLES:
        return False
    return grant["level"] in ("city", "department") or grant["district_id"] == district_id


def nearby(viewer: Viewer, home_community_id: int | None) -> Q:
    """Activities around the viewer when they name no community: those of their home community
    and of every place where they hold a role (a community or grid role: that community; a
    street or district role: all of it; a city role: everything). Department roles add
    nothing; a viewer with neither a home nor a place gets nothing."""
    parts: list[Q] = [Q(community_id=home_community_id)] if home_community_id else []
    for grant in viewer.grants:
        if grant.level == "city":
            return Q()
        if grant.level in ("community", "grid", "self") and grant.community_id:
            parts.append(Q(community_id=grant.community_id))
        elif grant.level == "street" and grant.street_id:
            parts.append(Q(street_id=grant.street_id))
        elif grant.level == "district" and grant.district_id:
            parts.append(Q(district_id=grant.district_id))
    return reduce(or_, parts) if parts else Q(id__in=[])
