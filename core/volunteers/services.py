"""Work orders from request to confirmation: who may take each step (``rules``), whether the
order's status allows it (``flow``), a version check so concurrent changes are never lost,
before/after photos, and a step in the timeline of the case an order came from.

Every check runs before the first write; the GraphQL layer runs each call in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.access.viewer import Grant, Viewer
from core.cases.machine import OPEN, Level, Status
from core.cases.models import Case, CaseStep
from core.cases.photos import PhotoStore
from core.cases.rules import CASE_SCOPE, HANDLERS, OVERSIGHT
from core.cases.services import case_row
from core.errors import BadUserInput, Conflict, Forbidden, NotFound, Unauthenticated
from core.people.models import Person
from core.regions.models import Community, Compound
from core.volunteers.flow import WorkOrderAction, step
from core.volunteers.models import VolunteerTeam, WorkOrder
from core.volunteers.orders import (
    WorkOrderKind,
    WorkOrderSource,
    WorkOrderStatus,
    open_work_order,
)
from core.volunteers.photos import (
    NewPhoto,
    PhotoStage,
    check_room,
    photo_counts,
    store_photos,
)
from core.volunteers.rules import (
    WORK_ORDER_OPENERS,
    WORK_ORDER_SCOPE,
    WORK_ORDER_STAFF,
    is_member,
    is_requester,
    scope_facts,
)

CASE_STEP = "WORK_ORDER"
"""The action of the steps a case-spawned work order writes into its case's timeline."""


@dataclass
class RepairRequest:
    """A resident asking for help at home."""

    kind: WorkOrderKind
    title: str
    description: str = ""
    compound_id: int | None = None
    address: str = ""


@dataclass
class StaffOrder:
    """A work order opened by staff: from a case (which gives its place and requester) or at a
    community or compound."""

    kind: WorkOrderKind
    title: str
    description: str = ""
    case_id: int | None = None
    community_id: int | None = None
    compound_id: int | None = None
    address: str = ""
    team_id: int | None = None


async def work_order_row(order: WorkOrder) -> dict[str, Any]:
    """The work order's columns with its scope facts: what the rules read."""
    row = {name: getattr(order, name) for name in order._meta.fields_db_projection}
    facts = await scope_facts([row])
    row.update(vars(facts[order.id]))
    return row


@dataclass
class WorkOrderService:
    store: PhotoStore | None = None
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    async def request_repair(self, viewer: Viewer | None, request: RepairRequest) -> WorkOrder:
        """A repair at the viewer's own home (compound: their home compound unless they name
        another of their home community)."""
        if viewer is None:
            raise Unauthenticated("Sign in to ask for a repair.")
        home = await Person.filter(id=viewer.person_id).values(
            "home_compound_id", "home_community_id"
        )
        community_id = home[0]["home_community_id"] if home else None
        if community_id is None:
            raise BadUserInput(
                "You have no home on record: ask your community to register it.",
                argument="compoundId",
            )
        compound_id = request.compound_id or home[0]["home_compound_id"]
        if compound_id is None or not await Compound.exists(
            id=compound_id, community_id=community_id
        ):
            raise BadUserInput(
                "Repairs are asked for at home: the compound must be in your home community.",
                argument="compoundId",
            )
        _check_text(request.description, request.address)
        return await open_work_order(
            community_id=community_id,
            kind=request.kind,
            title=request.title,
            source=WorkOrderSource.RESIDENT,
            description=request.description,
            compound_id=compound_id,
            address=request.address.strip(),
            requester_id=viewer.person_id,
        )

    async def open(self, viewer: Viewer | None, draft: StaffOrder) -> tuple[WorkOrder, Grant]:
        """A work order opened by staff, from a case or at a place."""
        if viewer is None:
            raise Unauthenticated("Sign in first.")
        _check_text(draft.description, draft.address)
        if draft.case_id is not None:
            return await self._from_case(viewer, draft)
        if draft.compound_id is not None:
            compound = await Compound.filter(id=draft.compound_id).first()
            if compound is None:
                raise NotFound("No such compound.", argument="compoundId")
            if draft.community_id not in (None, compound.community_id):
                raise BadUserInput("The compound is not in the community.", argument="compoundId")
            place: dict[str, Any] = {
                "district_id": compound.district_id,
                "street_id": compound.street_id,
                "community_id": compound.community_id,
                "grid_id": compound.grid_id,
            }
        elif draft.community_id is not None:
            community = await Community.filter(id=draft.community_id).first()
            if community is None:
                raise NotFound("No such community.", argument="communityId")
            place = {
                "district_id": community.district_id,
                "street_id": community.street_id,
                "community_id": community.id,
                "grid_id": None,
            }
        else:
            raise BadUserInput(
                "Name the case, the community or the compound the work is for.",
                argument="communityId",
            )
        grant = WORK_ORDER_OPENERS.covering_grant(viewer, place)
        if grant is None:
            raise Forbidden(
                "Work orders are opened by the place's grid and community workers and those above."
            )
        await self._check_team(viewer, place, draft.team_id)
        order = await open_work_order(
            community_id=place["community_id"],
            kind=draft.kind,
            title=draft.title,
            source=WorkOrderSource.STAFF,
            description=draft.description,
            compound_id=draft.compound_id,
            address=draft.address.strip(),
            team_id=draft.team_id,
        )
        return order, grant

    async def _from_case(self, viewer: Viewer, draft: StaffOrder) -> tuple[WorkOrder, Grant]:
        case = await Case.filter(id=draft.case_id).first()
        row = await case_row(case) if case is not None else None
        if case is None or row is None or not CASE_SCOPE.admits(viewer, row):
            raise NotFound("No such case.")
        grant = HANDLERS[Level(case.level)].covering_grant(viewer, row)
        grant = grant or OVERSIGHT.covering_grant(viewer, row)
        if grant is None:
            raise Forbidden(
                f"Only those who handle the case at {case.level} level open work orders for it."
            )
        if Status(case.status) not in OPEN:
            raise BadUserInput(
                f"Only an open case spawns work orders; this one is {case.status}.",
                argument="caseId",
            )
        if draft.community_id is not None or draft.compound_id is not None:
            raise BadUserInput(
                "A work order from a case takes the case's place: leave out the community "
                "and the compound.",
                argument="communityId" if draft.community_id is not None else "compoundId",
            )
        await self._check_team(viewer, row, draft.team_id)
        order = await open_work_order(
            community_id=case.community_id,
            kind=draft.kind,
            title=draft.title,
            source=WorkOrderSource.CASE,
            description=draft.description,
            compound_id=case.compound_id,
            address=(draft.address.strip() or case.address)[:300],
            requester_id=case.reporter_id,
            case_id=case.id,
            team_id=draft.team_id,
        )
        await self._case_step(order, f"Work order opened: {order.title}.", viewer, grant)
        return order, grant

    async def _check_team(self, viewer: Viewer, place: dict[str, Any], team_id: int | None) -> None:
        """A team named when opening a work order: the opener must be one who assigns, and the
        team must be active and of the place's community."""
        if team_id is None:
            return
        if WORK_ORDER_STAFF.covering_grant(viewer, place) is None:
            raise Forbidden("Work orders are assigned by community workers and those above.")
        await _assignable(team_id, place["community_id"])

    async def assign(
        self, viewer: Viewer | None, order_id: int, version: int, team_id: int
    ) -> tuple[WorkOrder, Grant]:
        order, row = await _visible(viewer, order_id)
        grant = WORK_ORDER_STAFF.covering_grant(viewer, row)
        if grant is None:
            raise Forbidden("Work orders are assigned by community workers and those above.")
        _fresh(order, version)
        step(order.status, WorkOrderAction.ASSIGN)
        if order.team_id == team_id:
            raise BadUserInput(
                "The work order is already assigned to that team.", argument="teamId"
            )
        await _assignable(team_id, order.community_id)
        return await self._move(order, version, WorkOrderAction.ASSIGN, team_id=team_id), grant

    async def add_photos(
        self, viewer: Viewer | None, order_id: int, photos: Sequence[NewPhoto]
    ) -> WorkOrder:
        order, row = await _visible(viewer, order_id)
        if not is_member(viewer, row):
            raise Forbidden("Only members of the assigned team add photos.")
        step(order.status, WorkOrderAction.ADD_PHOTOS)
        if not photos:
            raise BadUserInput("Send at least one photo.", argument="photos")
        check_room(await photo_counts(order.id), photos)
        await store_photos(self.store, order.id, photos, viewer)
        return order

    async def complete(
        self,
        viewer: Viewer | None,
        order_id: int,
        version: int,
        note: str,
        photos: Sequence[NewPhoto],
    ) -> WorkOrder:
        """DONE by a member of the assigned team, with at least one photo from before the job
        and one from after it (stored earlier or sent now)."""
        order, row = await _visible(viewer, order_id)
        assert viewer is not None
        if not is_member(viewer, row):
            raise Forbidden("Only members of the assigned team complete a work order.")
        _fresh(order, version)
        step(order.status, WorkOrderAction.COMPLETE)
        if len(note) > 2000:
            raise BadUserInput("A note has at most 2000 characters.", argument="note")
        stored = await photo_counts(order.id)
        for stage in PhotoStage:
            if not stored[stage] and not any(p.stage == stage for p in photos):
                raise BadUserInput(
                    f"A work order is done with at least one {stage} photo.",
                    argument=f"{stage.lower()}Photos",
                    stage=stage.value,
                )
        check_room(stored, photos)
        done = await self._move(
            order,
            version,
            WorkOrderAction.COMPLETE,
            completed_by_id=viewer.person_id,
            completion_note=note.strip(),
            completed_at=self.now(),
        )
        await store_photos(self.store, order.id, photos, viewer)
        team = await VolunteerTeam.filter(id=order.team_id).values_list("name", flat=True)
        text = f"Work order done by {team[0] if team else 'its team'}: {order.title}."
        await self._case_step(order, text + (f" {note.strip()}" if note.strip() else ""), viewer)
        return done

    async def confirm(
        self,
        viewer: Viewer | None,
        order_id: int,
        version: int,
        satisfied: bool,
        feedback: str = "",
    ) -> tuple[WorkOrder, Grant | None]:
        """CONFIRMED by the person who asked for it (by community staff when nobody did)."""
        order, row = await _visible(viewer, order_id)
        grant = None
        if order.requester_id is not None:
            if not is_requester(viewer, row):
                raise Forbidden("Only the person who asked for the work confirms it.")
        elif (grant := WORK_ORDER_STAFF.covering_grant(viewer, row)) is None:
            raise Forbidden("Community workers and those above confirm work nobody asked for.")
        _fresh(order, version)
        step(order.status, WorkOrderAction.CONFIRM)
        if len(feedback) > 2000:
            raise BadUserInput("Feedback has at most 2000 characters.", argument="feedback")
        confirmed = await self._move(
            order,
            version,
            WorkOrderAction.CONFIRM,
            confirmed_at=self.now(),
            satisfied=satisfied,
            feedback=feedback.strip() or None,
        )
        verdict = "satisfied" if satisfied else "not satisfied"
        text = f"Work order confirmed ({verdict}): {order.title}."
        text += f" {feedback.strip()}" if feedback.strip() else ""
        await self._case_step(order, text, viewer, grant)
        return confirmed, grant

    async def cancel(
        self, viewer: Viewer | None, order_id: int, version: int, reason: str
    ) -> tuple[WorkOrder, Grant | None]:
        """CANCELLED by its requester while no team has it, or by community staff before it is
        done, saying why."""
        order, row = await _visible(viewer, order_id)
        grant = WORK_ORDER_STAFF.covering_grant(viewer, row)
        if grant is None:
            if not is_requester(viewer, row):
                raise Forbidden("Work orders are cancelled by their requester or by staff.")
            if order.status == WorkOrderStatus.ASSIGNED:
                raise Forbidden("Once a team has the work order, only staff cancel it.")
        _fresh(order, version)
        step(order.status, WorkOrderAction.CANCEL)
        reason = reason.strip()
        if not 1 <= len(reason) <= 500:
            raise BadUserInput("Give a reason of 1–500 characters.", argument="reason")
        cancelled = await self._move(order, version, WorkOrderAction.CANCEL, cancel_reason=reason)
        await self._case_step(
            order, f"Work order cancelled: {order.title}. {reason}", viewer, grant
        )
        return cancelled, grant

    async def _move(
        self, order: WorkOrder, version: int, action: WorkOrderAction, **changes: Any
    ) -> WorkOrder:
        after = step(order.status, action)
        moved = await WorkOrder.filter(id=order.id, version=version).update(
            status=after.value, version=version + 1, updated_at=self.now(), **changes
        )
        if not moved:
            raise _stale(order.version + 1)
        return await WorkOrder.get(id=order.id)

    async def _case_step(
        self, order: WorkOrder, note: str, viewer: Viewer | None, grant: Grant | None = None
    ) -> None:
        """A step in the timeline of the case the order came from; the case itself does not
        move (its level and status stay as they are)."""
        if order.case_id is None:
            return
        case = await Case.filter(id=order.case_id).values("level", "status")
        if not case:
            return
        await CaseStep.create(
            case_id=order.case_id,
            action=CASE_STEP,
            actor_id=viewer.person_id if viewer else None,
            actor_role=grant.role if grant else None,
            from_level=case[0]["level"],
            to_level=case[0]["level"],
            from_status=case[0]["status"],
            to_status=case[0]["status"],
            note=note[:2000],
        )


async def _visible(viewer: Viewer | None, order_id: int) -> tuple[WorkOrder, dict[str, Any]]:
    if viewer is None:
        raise Unauthenticated("Sign in first.")
    order = await WorkOrder.filter(id=order_id).first()
    row = await work_order_row(order) if order is not None else None
    if order is None or row is None or not WORK_ORDER_SCOPE.admits(viewer, row):
        raise NotFound("No such work order.")
    return order, row


async def _assignable(team_id: int, community_id: int) -> None:
    team = await VolunteerTeam.filter(id=team_id).values("active", "community_id")
    if not team:
        raise NotFound("No such volunteer team.", argument="teamId")
    if team[0]["community_id"] != community_id:
        raise BadUserInput("The team is of another community.", argument="teamId")
    if not team[0]["active"]:
        raise BadUserInput("The team is not active.", argument="teamId")


def _fresh(order: WorkOrder, version: int) -> None:
    if order.version != version:
        raise _stale(order.version)


def _stale(current: int) -> Conflict:
    return Conflict(
        "The work order changed since you read it: reload it and try again.",
        currentVersion=current,
    )


def _check_text(description: str, address: str) -> None:
    if len(description) > 2000:
        raise BadUserInput("A description has at most 2000 characters.", argument="description")
    if len(address.strip()) > 300:
        raise BadUserInput("An address has at most 300 characters.", argument="address")
