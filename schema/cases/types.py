"""GraphQL types of cases, their timeline, departments and consultations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.access.viewer import Viewer
from core.cases import models
from core.cases.duplicates import MAX_DUPLICATES, nearby_open_ids
from core.cases.machine import Action, CaseState, Level, Status, allowed_actions
from core.cases.rules import CASE_SCOPE, OVERSIGHT, acting_grant, is_reporter
from core.db.rows import rows_in
from core.errors import BadUserInput
from schema.access.rules import scoped
from schema.access.types import DEPARTMENT, PERSON, Department, Person
from schema.cases.photos import CasePhoto, photos_of
from schema.context import Context
from schema.limits import cost
from schema.loaders import by_id
from schema.nodes import NodeSource
from schema.planner.declare import Parent
from schema.regions.types import COMPOUND, GRID_OF, Compound, Grid

COMPOUND_OF = Parent(lambda: COMPOUND, "compound_id")

# The ladder's own enums become GraphQL enums (strawberry only marks the classes).
strawberry.enum(Level, name="CaseLevel", description="A rung of the four-level ladder.")
strawberry.enum(Status, name="CaseStatus", description="Where a case stands.")
strawberry.enum(Action, name="CaseAction", description="What can happen to a case.")


@strawberry.type(description="A kind of problem, with the departments it is routed to.")
class CaseCategory:
    code: str = strawberry.field(description="Stable code, e.g. heating.")
    name: str = strawberry.field(description="Chinese name, e.g. 供暖.")
    name_en: str = strawberry.field(description="English name.")
    department_codes: list[str] = strawberry.field(
        description="Departments a case goes to at DEPARTMENT level, the lead first."
    )


@strawberry.type(description="One step of a case's timeline: who did what, when, with a note.")
class CaseStep:
    at: datetime = strawberry.field(description="When (UTC).")
    action: str = strawberry.field(description="REPORT or a CaseAction.")
    actor_role: str | None = strawberry.field(description="The role the actor used, if any.")
    from_level: str | None = strawberry.field(description="Level before the step.")
    to_level: str = strawberry.field(description="Level after the step.")
    from_status: str | None = strawberry.field(description="Status before the step.")
    to_status: str = strawberry.field(description="Status after the step.")
    note: str = strawberry.field(description="What the actor wrote.")


@strawberry.type(description="A department working on a case (部门联动执法).")
class CaseDepartment:
    lead: bool = strawberry.field(description="Whether it leads the joint work.")
    department_id: strawberry.Private[int]

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Department:
        return await by_id(info.context, DEPARTMENT).load(self.department_id)


@strawberry.type(description="街道会商: the meeting at STREET level that decided the solution.")
class Consultation:
    held_at: datetime = strawberry.field(description="When (UTC).")
    participants: list[str] = strawberry.field(description="Who took part.")
    decision: str = strawberry.field(description="What was decided.")


@scoped(CASE_SCOPE)
@strawberry.type(description="诉求: a problem on its way up the four-level ladder.")
class Case(relay.Node):
    """A core case as GraphQL shows it; a plugin returns one (``CASE.build(row)``) from a
    mutation that files a case."""

    id: relay.NodeID[int]
    title: str = strawberry.field(description="Short title.")
    description: str = strawberry.field(description="What the reporter wrote.")
    source: str = strawberry.field(
        description="RESIDENT, GRID_PATROL, SNAPSHOT, HOTLINE_12345, PETITION or PLUGIN."
    )
    level: Level = strawberry.field(description="The rung it is on.")
    status: Status = strawberry.field(description="Where it stands.")
    address: str = strawberry.field(description="Free-text address.")
    lon: float | None = strawberry.field(description="Longitude of the problem, if given.")
    lat: float | None = strawberry.field(description="Latitude of the problem, if given.")
    due_at: datetime | None = strawberry.field(description="Deadline at its current level (UTC).")
    rating: int | None = strawberry.field(description="The reporter's last rating, 1–5.")
    rating_comment: str | None = strawberry.field(description="The reporter's comment.")
    closed_without_rating: bool = strawberry.field(description="Closed with nobody rating it.")
    resolved_at: datetime | None = strawberry.field(description="When last resolved (UTC).")
    closed_at: datetime | None = strawberry.field(description="When closed (UTC).")
    created_at: datetime = strawberry.field(description="When reported (UTC).")
    version: int = strawberry.field(
        description="Send it back with an action: a stale one is CONFLICT."
    )
    category: strawberry.Private[str]
    consulted: strawberry.Private[bool]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    grid_id: strawberry.Private[int]
    compound_id: strawberry.Private[int | None]
    reporter_id: strawberry.Private[int | None]
    reporter_anonymous: strawberry.Private[bool]
    assignee_id: strawberry.Private[int | None]
    department_ids: strawberry.Private[frozenset[int]] = frozenset()

    @strawberry.field(name="category", description="What the case is about.")
    def category_info(self, info: Info) -> CaseCategory | None:
        found = info.context.categories.get(self.category)
        return category_type(found) if found else None

    @strawberry.field(description="The grid the case belongs to.", metadata=GRID_OF.metadata)
    async def grid(self, info: Info) -> Grid:
        return await GRID_OF.load(info, self)

    @strawberry.field(
        description="The compound, if the reporter named one.", metadata=COMPOUND_OF.metadata
    )
    async def compound(self, info: Info) -> Compound | None:
        return await COMPOUND_OF.load(info, self)

    @strawberry.field(
        description="Who reported it; null when they asked to stay anonymous (except to "
        "themself and to administrators) or when you may not see them."
    )
    async def reporter(self, info: Info) -> Person | None:
        if self.reporter_id is None:
            return None
        viewer, row = info.context.viewer, vars(self)
        if (
            self.reporter_anonymous
            and not is_reporter(viewer, row)
            and not OVERSIGHT.covering_grant(viewer, row)
        ):
            return None
        return await by_id(info.context, PERSON).load(self.reporter_id)

    @strawberry.field(description="The grid worker on duty it was assigned to (at GRID level).")
    async def assignee(self, info: Info) -> Person | None:
        return (
            await by_id(info.context, PERSON).load(self.assignee_id) if self.assignee_id else None
        )

    @strawberry.field(
        description="The name of the grid worker on duty it was assigned to: staff on duty are "
        "named to the residents they serve, whatever the scope of their own record."
    )
    async def assignee_name(self, info: Info) -> str | None:
        if self.assignee_id is None:
            return None
        person = await by_id(info.context, PERSON).load(self.assignee_id)
        return person.name if person else None

    @strawberry.field(description="Whether its deadline passed while it is still open.")
    def overdue(self) -> bool:
        open_ = Status(self.status) in (
            Status.REPORTED,
            Status.ACCEPTED,
            Status.IN_PROGRESS,
            Status.REOPENED,
        )
        return bool(open_ and self.due_at and self.due_at < datetime.now(UTC))

    @strawberry.field(description="The actions you may take on it now (empty: none).")
    def allowed_actions(self, info: Info) -> list[Action]:
        viewer, row = info.context.viewer, vars(self)
        state = CaseState(Level(self.level), Status(self.status), self.consulted)
        mine: list[Action] = []
        for action in allowed_actions(state):
            if action == Action.RATE:
                if is_reporter(viewer, row):
                    mine.append(action)
            elif acting_grant(viewer, row, action) is not None:
                mine.append(action)
        return mine

    @strawberry.field(
        description="Open cases of the same category reported within `radiusMeters` of this "
        "one (nearest first, at most 20): reject this one as a repeat with "
        "`actOnCase(duplicateOf:)`.",
        metadata=cost(size=MAX_DUPLICATES),
    )
    async def possible_duplicates(self, info: Info, radius_meters: int = 200) -> list[Case]:
        if not 1 <= radius_meters <= 5000:
            raise BadUserInput("radiusMeters must be between 1 and 5000.", argument="radiusMeters")
        stored = await models.Case.get(id=self.id)
        ids = await nearby_open_ids(stored, radius_meters)
        found = [await by_id(info.context, CASE).load(i) for i in ids[:20]]
        return [c for c in found if c is not None]

    @strawberry.field(description="Every step so far, oldest first.")
    async def timeline(self, info: Info) -> list[CaseStep]:
        return await steps_by_case(info.context).load(self.id)

    @strawberry.field(
        description="The departments it was routed to, the lead first.",
        metadata=cost(size=10),
    )
    async def departments(self) -> list[CaseDepartment]:
        rows = (
            await models.CaseDepartment.filter(case_id=self.id)
            .order_by("-lead", "id")
            .values("lead", "department_id")
        )
        return [CaseDepartment(**row) for row in rows]

    @strawberry.field(description="Photos of the problem, oldest first.")
    async def photos(self) -> list[CasePhoto]:
        return await photos_of(self.id)

    @strawberry.field(description="The consultations held at STREET level.")
    async def consultations(self) -> list[Consultation]:
        rows = (
            await models.Consultation.filter(case_id=self.id)
            .order_by("id")
            .values("held_at", "participants", "decision")
        )
        return [Consultation(**row) for row in rows]


def category_type(category: Any) -> CaseCategory:
    return CaseCategory(
        code=category.code,
        name=category.name,
        name_en=category.name_en,
        department_codes=list(category.departments),
    )


def steps_by_case(context: Context) -> DataLoader[int, list[CaseStep]]:
    async def load(ids: Sequence[int]) -> list[list[CaseStep]]:
        rows = (
            await models.CaseStep.filter(case_id__in=list(ids))
            .order_by("id")
            .values(
                "case_id",
                "at",
                "action",
                "actor_role",
                "from_level",
                "to_level",
                "from_status",
                "to_status",
                "note",
            )
        )
        found: dict[int, list[CaseStep]] = {i: [] for i in ids}
        for row in rows:
            found[row.pop("case_id")].append(CaseStep(**row))
        return [found[i] for i in ids]

    return context.loader("case_steps", lambda: DataLoader(load))


async def _with_departments(cases: Sequence[Any]) -> None:
    rows = await rows_in(
        models.CaseDepartment, ("case_id", "department_id"), "case_id", [c.id for c in cases]
    )
    by_case: dict[int, set[int]] = {}
    for row in rows:
        by_case.setdefault(row["case_id"], set()).add(row["department_id"])
    for case in cases:
        case.department_ids = frozenset(by_case.get(case.id, ()))


def _reads_departments(viewer: Viewer | None) -> bool:
    # Only grants at a department reach a case through its departments (CASE_SCOPE, HANDLERS).
    return viewer is not None and any(g.level == "department" for g in viewer.grants)


CASE = NodeSource(Case, models.Case, enrich=_with_departments, enrich_when=_reads_departments)
"""How a ``Case`` is read: plugins load cases with ``by_id(info.context, CASE).load(case_id)``
and return them as the core ``Case`` type (its scope rule still decides who sees it)."""
