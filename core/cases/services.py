"""Reporting cases and moving them along the ladder: the rules of ``machine`` and ``rules``
applied to stored cases, with a timeline step and an outbox event for every change, and a
version check so concurrent edits are never silently lost."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.access.models import RoleGrant
from core.access.viewer import Grant, Viewer
from core.cases.categories import CaseCategory
from core.cases.machine import (
    OPEN,
    Action,
    CaseState,
    Level,
    Status,
    apply,
    takes_new_deadline,
)
from core.cases.models import Case, CaseDepartment, CaseEvent, CaseStep, Consultation
from core.cases.routing import locate, on_duty_worker
from core.cases.rules import (
    CASE_SCOPE,
    DISPATCHERS,
    HANDLERS,
    OVERSIGHT,
    acting_grant,
    is_reporter,
)
from core.config.model import CasesConfig
from core.errors import BadUserInput, Conflict, Forbidden, NotFound, Unauthenticated
from core.people.models import Department

SYSTEM = "SYSTEM"
"""The actor role of steps the platform takes itself (deadline escalations, closing)."""

SOURCES = ("RESIDENT", "GRID_PATROL", "SNAPSHOT", "HOTLINE_12345", "PETITION", "PLUGIN")


@dataclass
class Report:
    """What a reporter says: the problem and where it is (a compound, a grid or a point)."""

    title: str
    category: str
    description: str = ""
    source: str = "RESIDENT"
    compound_id: int | None = None
    grid_id: int | None = None
    lon: float | None = None
    lat: float | None = None
    address: str = ""
    anonymous: bool = False
    idempotency_key: str | None = None

    def digest(self) -> str:
        """What the reporter sent, as a hash: a retry must send the very same."""
        body = {k: v for k, v in asdict(self).items() if k != "idempotency_key"}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass
class Step:
    """One action on a case, with what that action needs."""

    action: Action
    version: int
    note: str = ""
    rating: int | None = None
    departments: list[str] | None = None
    participants: list[str] = field(default_factory=list)
    decision: str = ""
    duplicate_of: int | None = None
    """For REJECT: the case this one repeats."""


@dataclass
class CaseService:
    """Reports cases and moves them along the ladder. A plugin that turns something into a
    case (a canteen's food-safety complaint) builds one from the request's config and catalogue,
    ``CaseService(context.activation.config.cases, context.categories)``, and calls
    :meth:`report` with a :class:`Report` (exported as ``core.CaseReport``) inside its mutation."""

    config: CasesConfig
    categories: Mapping[str, CaseCategory]
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    async def report(self, viewer: Viewer | None, report: Report) -> tuple[Case, Grant | None]:
        """Create a case at GRID level, assigned to the grid's worker on duty."""
        if viewer is None:
            raise Unauthenticated("Sign in to report a problem.")
        if report.category not in self.categories:
            raise BadUserInput(
                f"Unknown category {report.category}.",
                argument="category",
                known=sorted(self.categories),
            )
        if not report.title.strip():
            raise BadUserInput("A case needs a title.", argument="title")
        grid, compound = await locate(report.compound_id, report.grid_id, report.lon, report.lat)
        place: dict[str, Any] = {
            "district_id": grid.district_id,
            "street_id": grid.street_id,
            "community_id": grid.community_id,
            "grid_id": grid.id,
        }
        grant = self._source_grant(viewer, report.source, place)
        now = self.now()
        case = await Case.create(
            title=report.title.strip()[:200],
            description=report.description,
            category=report.category,
            source=report.source,
            level=Level.GRID.value,
            status=Status.REPORTED.value,
            compound_id=compound.id if compound else None,
            address=report.address,
            lon=report.lon,
            lat=report.lat,
            reporter_id=viewer.person_id,
            reporter_anonymous=report.anonymous,
            assignee_id=await on_duty_worker(grid.id),
            idempotency_key=report.idempotency_key,
            payload_hash=report.digest() if report.idempotency_key else None,
            due_at=self._due(report.category, Level.GRID, now),
            **place,
        )
        await self._record(case, "REPORT", None, None, viewer, grant, report.description[:500])
        return case, grant

    async def report_once(self, viewer: Viewer | None, report: Report) -> tuple[Case, bool]:
        """Report unless this reporter already sent this idempotency key: the same key with the
        same report answers the case made the first time (``False``: nothing new); the same
        key with another report is CONFLICT. Safe when retries arrive at the same time."""
        if viewer is None:
            raise Unauthenticated("Sign in to report a problem.")
        if not report.idempotency_key or len(report.idempotency_key) > 100:
            raise BadUserInput("An idempotency key of 1 to 100 characters is needed.",
                               argument="idempotencyKey")  # fmt: skip
        if (found := await self._earlier(viewer, report)) is not None:
            return found, False
        try:
            async with in_transaction():
                case, _ = await self.report(viewer, report)
            return case, True
        except IntegrityError:
            found = await self._earlier(viewer, report)
            if found is None:
                raise
            return found, False

    async def _earlier(self, viewer: Viewer, report: Report) -> Case | None:
        case = await Case.filter(
            reporter_id=viewer.person_id, idempotency_key=report.idempotency_key
        ).first()
        if case is not None and case.payload_hash != report.digest():
            raise Conflict(
                "This idempotency key was used for a different report.",
                argument="idempotencyKey",
            )
        return case

    async def act(
        self, viewer: Viewer | None, case_id: int, step: Step
    ) -> tuple[Case, Grant | None]:
        """Take ``step`` on the case, or refuse saying why; nothing changes when refused."""
        if viewer is None:
            raise Unauthenticated("Sign in first.")
        case = await Case.filter(id=case_id).first()
        row = await case_row(case) if case is not None else None
        if case is None or row is None or not CASE_SCOPE.admits(viewer, row):
            raise NotFound("No such case.")
        grant = acting_grant(viewer, row, step.action)
        if step.action == Action.RATE:
            if not is_reporter(viewer, row):
                raise Forbidden("Only the person who reported the case rates it.")
        elif grant is None:
            raise Forbidden(f"You may not {step.action.lower()} this case at {case.level} level.")
        return await self._move(case, step, viewer, grant), grant

    async def reassign(
        self, viewer: Viewer | None, case_id: int, version: int, person_id: int, note: str = ""
    ) -> tuple[Case, Grant]:
        """Hand a GRID-level case to another grid worker of its community."""
        case = await Case.filter(id=case_id).first()
        row = await case_row(case) if case is not None else None
        if case is None or row is None or not CASE_SCOPE.admits(viewer, row):
            raise NotFound("No such case.")
        grant = DISPATCHERS.covering_grant(viewer, row)
        if grant is None or viewer is None:
            raise Forbidden("Cases are reassigned by their community workers and those above.")
        if case.version != version:
            raise _stale(case.version)
        if case.level != Level.GRID.value or case.status not in {s.value for s in OPEN}:
            raise BadUserInput("Only an open case at GRID level has a grid worker to change.",
                               argument="caseId")  # fmt: skip
        if not await RoleGrant.exists(person_id=person_id, role="GRID_WORKER",
                                      community_id=case.community_id):  # fmt: skip
            raise BadUserInput("The new assignee must be a grid worker of the case's community.",
                               argument="workerId")  # fmt: skip
        moved = await Case.filter(id=case.id, version=version).update(
            assignee_id=person_id, version=version + 1, updated_at=self.now()
        )
        if not moved:
            raise _stale(case.version + 1)
        await self._record(case, "REASSIGN", None, None, viewer, grant, note)
        return await Case.get(id=case.id), grant

    async def act_as_system(self, case_id: int, step: Step) -> Case:
        """A step the platform itself takes (deadlines): no viewer, the same rules and checks."""
        case = await Case.filter(id=case_id).first()
        if case is None:
            raise NotFound("No such case.")
        return await self._move(case, step, None, None)

    async def _move(
        self, case: Case, step: Step, viewer: Viewer | None, grant: Grant | None
    ) -> Case:
        if case.version != step.version:
            raise _stale(case.version)
        before = CaseState(Level(case.level), Status(case.status), case.consulted)
        category = self.categories.get(case.category)
        after = apply(
            before,
            step.action,
            step.rating,
            has_departments=bool(category and category.departments),
        )
        now = self.now()
        changes: dict[str, Any] = {
            "level": after.level.value,
            "status": after.status.value,
            "consulted": after.consulted,
            "updated_at": now,
        }
        if takes_new_deadline(before, after):
            changes["due_at"] = self._due(case.category, after.level, now)
            changes["assignee_id"] = None
        if step.action == Action.RESOLVE:
            changes["resolved_at"] = now
        if after.status == Status.CLOSED:
            changes["closed_at"] = now
            changes["closed_without_rating"] = step.action == Action.CLOSE
        if step.action == Action.RATE:
            changes["rating"], changes["rating_comment"] = step.rating, step.note or None
        if step.duplicate_of is not None:
            changes["duplicate_of_id"] = await self._original(case, step)
        updated = await Case.filter(id=case.id, version=step.version).update(
            version=step.version + 1, **changes
        )
        if not updated:
            raise _stale(case.version + 1)
        if after.level == Level.DEPARTMENT and before.level != Level.DEPARTMENT:
            # Handlers who escalate may name the departments; a reporter whose low rating
            # reopens the case one level up may not: it goes to its category's departments.
            chosen = step.departments if step.action == Action.ESCALATE else None
            await self._route_to_departments(case, chosen)
        if step.action == Action.CONSULT:
            await self._consult(case, step, now)
        await self._record(case, step.action.value, before, after, viewer, grant, step.note)
        return await Case.get(id=case.id)

    def _source_grant(self, viewer: Viewer, source: str, place: dict[str, Any]) -> Grant | None:
        if source not in SOURCES or source == "PLUGIN":
            raise BadUserInput(
                f"Unknown source {source}.",
                argument="source",
                known=[s for s in SOURCES if s != "PLUGIN"],
            )
        if source == "GRID_PATROL":
            grant = HANDLERS[Level.GRID].covering_grant(viewer, place)
            if grant is None:
                raise Forbidden("Only the grid's workers report from a grid patrol.")
            return grant
        if source in ("HOTLINE_12345", "PETITION"):
            grant = OVERSIGHT.covering_grant(viewer, place)
            if grant is None:
                raise Forbidden("Hotline and petition cases are entered by administrators.")
            return grant
        return None

    async def _original(self, case: Case, step: Step) -> int:
        if step.action != Action.REJECT:
            raise BadUserInput("Only a rejection names a case it repeats.", argument="duplicateOf")
        original = await Case.filter(id=step.duplicate_of, district_id=case.district_id).first()
        if original is None or original.id == case.id:
            raise NotFound("No such case to link to.")
        return original.id

    def _due(self, category: str, level: Level, now: datetime) -> datetime:
        return now + timedelta(hours=self.config.deadline_hours(category, level.value))

    async def _route_to_departments(self, case: Case, codes: list[str] | None) -> None:
        codes = codes or list(self.categories[case.category].departments)
        if not codes:
            raise BadUserInput(
                "Name the departments to route this case to (its category names none).",
                argument="departments",
            )
        found = {d.code: d.id for d in await Department.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise BadUserInput(
                f"Unknown departments: {', '.join(unknown)}.", argument="departments"
            )
        await CaseDepartment.filter(case_id=case.id).delete()
        await CaseDepartment.bulk_create(
            [
                CaseDepartment(case_id=case.id, department_id=found[c], lead=i == 0)
                for i, c in enumerate(dict.fromkeys(codes))
            ]
        )

    async def _consult(self, case: Case, step: Step, now: datetime) -> None:
        participants = [p.strip() for p in step.participants if p.strip()]
        if not participants or not step.decision.strip():
            raise BadUserInput(
                "A consultation records its participants and its decision.",
                argument="decision",
            )
        await Consultation.create(
            case_id=case.id, held_at=now, participants=participants, decision=step.decision.strip()
        )

    async def _record(
        self,
        case: Case,
        action: str,
        before: CaseState | None,
        after: CaseState | None,
        viewer: Viewer | None,
        grant: Grant | None,
        note: str,
    ) -> None:
        level = after.level.value if after else case.level
        status = after.status.value if after else case.status
        await CaseStep.create(
            case_id=case.id,
            action=action,
            actor_id=viewer.person_id if viewer else None,
            actor_role=grant.role if grant else (None if viewer else SYSTEM),
            from_level=before.level.value if before else None,
            to_level=level,
            from_status=before.status.value if before else None,
            to_status=status,
            note=note,
        )
        await CaseEvent.create(
            case_id=case.id,
            district_id=case.district_id,
            kind=action,
            payload={"caseId": case.id, "action": action, "level": level, "status": status},
        )


def _stale(current: int) -> Conflict:
    return Conflict(
        "The case changed since you read it: reload it and try again.", currentVersion=current
    )


async def case_row(case: Case) -> dict[str, Any]:
    """The case's columns with its department ids: what scope and handler rules read."""
    row = {name: getattr(case, name) for name in case._meta.fields_db_projection}
    row["department_ids"] = frozenset(
        await CaseDepartment.filter(case_id=case.id).values_list("department_id", flat=True)
    )
    return row
