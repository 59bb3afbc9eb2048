"""Who manages volunteer teams, who sees a work order and who may move it, as data.

Teams are public to everyone signed in (residents need to know who helps them); they are
managed by the community workers of their community and those above (street officers, district
and city admins). A work order is seen by the person who asked for it, by the members of the
team it is assigned to, and by the staff at its place: community workers of its community and
those above, grid workers of the grid its compound (or its case) lies in, and, for a work order
spawned from a case, the officers of the departments that case was routed to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import reduce
from operator import or_
from typing import Any

from tortoise.expressions import Q, Subquery

from core.access.scope import MemberLink, ScopeRule
from core.access.viewer import Viewer
from core.cases.models import Case, CaseDepartment
from core.regions.models import Compound
from core.volunteers.flow import WorkOrderAction, possible
from core.volunteers.models import VolunteerMember
from core.volunteers.orders import WorkOrderStatus

MANAGER_ROLES = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"})


@dataclass(frozen=True)
class SignedIn(ScopeRule):
    """Rows everyone signed in may see, whatever their roles (and nobody anonymous)."""

    roles: frozenset[str] = frozenset()

    def admits(self, viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
        return viewer is not None

    def q(self, viewer: Viewer | None) -> Q:
        return Q() if viewer is not None else Q(id__in=[])


TEAM_SCOPE = SignedIn()
"""Who sees a team: everyone signed in (residents need to know who helps them)."""

TEAM_MANAGERS = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""Who creates and edits a community's teams: its community workers and those above."""

WORK_ORDER_STAFF = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""Who assigns and cancels a work order, and confirms one nobody asked for: the community
workers of its community and those above."""

WORK_ORDER_OPENERS = ScopeRule(roles=MANAGER_ROLES | {"GRID_WORKER"})
"""Who opens a work order at a place without a case: the community workers of its community,
the grid workers of its compound's grid, and those above. Applied to the place as a row
(district, street, community and, with a compound, its grid)."""


@dataclass(frozen=True)
class WorkOrderScope(ScopeRule):
    """The scope of work orders. Besides its own place columns, a row carries ``grid_ids``
    (the grids of its compound and of its case) and ``department_ids`` (those its case was
    routed to): facts of other tables that SQL reaches through subqueries. Team members come
    through the rule's :class:`MemberLink`."""

    def q(self, viewer: Viewer | None) -> Q:
        if viewer is None:
            return Q(id__in=[])
        grants = [g for g in viewer.grants if g.role in self.roles]
        if any(g.level == "city" for g in grants):
            return Q()
        parts = [ScopeRule.q(replace(self, grid=None, department=None), viewer)]
        for grant in grants:
            if grant.level == "grid" and grant.grid_id is not None:
                compounds = Compound.filter(grid_id=grant.grid_id).values("id")
                cases = Case.filter(grid_id=grant.grid_id).values("id")
                parts += [Q(compound_id__in=Subquery(compounds)), Q(case_id__in=Subquery(cases))]
            elif grant.level == "department" and grant.department_id is not None:
                routed = CaseDepartment.filter(department_id=grant.department_id).values("case_id")
                parts.append(Q(case_id__in=Subquery(routed)))
        return reduce(or_, parts)


WORK_ORDER_SCOPE = WorkOrderScope(
    roles=MANAGER_ROLES | {"GRID_WORKER", "DEPARTMENT_OFFICER"},
    grid="grid_ids",
    department="department_ids",
    owner="requester_id",
    member_link=MemberLink(VolunteerMember, link="team_id", column="team_id"),
)


def is_member(viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
    """Whether the viewer is in the team the work order is assigned to."""
    return WORK_ORDER_SCOPE.is_member(viewer, row)


def is_requester(viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
    return viewer is not None and row.get("requester_id") == viewer.person_id


@dataclass
class ScopeFacts:
    """What a work order's scope needs beyond its own columns (see :class:`WorkOrderScope`)."""

    member_ids: frozenset[int] = frozenset()
    grid_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()
    case_anonymous: bool = False


async def scope_facts(rows: Iterable[Mapping[str, Any]]) -> dict[int, ScopeFacts]:
    """The scope facts of many work orders (rows with ``id``, ``team_id``, ``compound_id`` and
    ``case_id``), in at most four statements whatever their number."""
    rows = list(rows)
    team_ids = {r["team_id"] for r in rows if r["team_id"] is not None}
    compound_ids = {r["compound_id"] for r in rows if r["compound_id"] is not None}
    case_ids = {r["case_id"] for r in rows if r["case_id"] is not None}
    members: dict[int, set[int]] = {}
    if team_ids:
        for team_id, person_id in await VolunteerMember.filter(team_id__in=team_ids).values_list(
            "team_id", "person_id"
        ):
            members.setdefault(team_id, set()).add(person_id)
    compound_grid: dict[int, int] = {}
    if compound_ids:
        compound_grid = dict(
            await Compound.filter(id__in=compound_ids).values_list("id", "grid_id")
        )
    cases: dict[int, dict[str, Any]] = {}
    departments: dict[int, set[int]] = {}
    if case_ids:
        found = await Case.filter(id__in=case_ids).values("id", "grid_id", "reporter_anonymous")
        cases = {c["id"]: c for c in found}
        for case_id, department_id in await CaseDepartment.filter(case_id__in=case_ids).values_list(
            "case_id", "department_id"
        ):
            departments.setdefault(case_id, set()).add(department_id)
    facts = {}
    for r in rows:
        case = cases.get(r["case_id"]) if r["case_id"] is not None else None
        grids = {compound_grid.get(r["compound_id"]), case["grid_id"] if case else None}
        facts[r["id"]] = ScopeFacts(
            member_ids=frozenset(members.get(r["team_id"], ())),
            grid_ids=frozenset(g for g in grids if g is not None),
            department_ids=frozenset(departments.get(r["case_id"], ())),
            case_anonymous=bool(case and case["reporter_anonymous"]),
        )
    return facts


def allowed_for(viewer: Viewer | None, row: Mapping[str, Any]) -> list[WorkOrderAction]:
    """The actions the viewer may take on the work order now (its status allows them and the
    viewer is one who takes them)."""
    staff = WORK_ORDER_STAFF.covering_grant(viewer, row) is not None
    requester = is_requester(viewer, row)
    member = is_member(viewer, row)
    who = {
        WorkOrderAction.ASSIGN: staff,
        WorkOrderAction.ADD_PHOTOS: member,
        WorkOrderAction.COMPLETE: member,
        WorkOrderAction.CONFIRM: requester if row.get("requester_id") is not None else staff,
        WorkOrderAction.CANCEL: staff
        or (requester and row.get("status") == WorkOrderStatus.REQUESTED.value),
    }
    return [a for a in possible(row["status"]) if who[a]]
