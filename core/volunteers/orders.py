"""Opening a work order: the one way a work order comes into being, whoever asks for it (a
resident, a case handler, a deliberation decision). Other areas call :func:`open_work_order`;
its signature is a contract between them."""

from __future__ import annotations

from enum import StrEnum

from core.errors import BadUserInput
from core.regions.models import Community, Compound
from core.volunteers.models import WorkOrder


class WorkOrderKind(StrEnum):
    """What a volunteer team is asked to do."""

    WATER_REPAIR = "WATER_REPAIR"
    ELECTRICITY_REPAIR = "ELECTRICITY_REPAIR"
    HAZARD_CHECK = "HAZARD_CHECK"
    HOUSEHOLD_HELP = "HOUSEHOLD_HELP"
    OTHER = "OTHER"


class WorkOrderSource(StrEnum):
    """Who asked for a work order."""

    RESIDENT = "RESIDENT"
    CASE = "CASE"
    DELIBERATION = "DELIBERATION"
    STAFF = "STAFF"
    """Opened by community staff without a case (createWorkOrder without caseId)."""


class WorkOrderStatus(StrEnum):
    """REQUESTED → ASSIGNED → DONE → CONFIRMED, or CANCELLED before it is done."""

    REQUESTED = "REQUESTED"
    ASSIGNED = "ASSIGNED"
    DONE = "DONE"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


async def open_work_order(
    *,
    community_id: int,
    kind: WorkOrderKind,
    title: str,
    source: WorkOrderSource,
    description: str = "",
    compound_id: int | None = None,
    address: str = "",
    requester_id: int | None = None,
    case_id: int | None = None,
    topic_id: int | None = None,
    team_id: int | None = None,
) -> WorkOrder:
    """Create a REQUESTED work order in a community (ASSIGNED when ``team_id`` is given).

    The compound, if any, must lie in the community; place ids are copied from the community so
    that scope rules and module gates need no joins. Call inside the caller's transaction."""
    title = title.strip()
    if not title or len(title) > 200:
        raise BadUserInput("A work order needs a title of 1–200 characters.", argument="title")
    community = await Community.filter(id=community_id).first()
    if community is None:
        raise BadUserInput("No such community.", argument="communityId")
    if compound_id is not None and not await Compound.exists(
        id=compound_id, community_id=community.id
    ):
        raise BadUserInput("The compound is not in the community.", argument="compoundId")
    return await WorkOrder.create(
        district_id=community.district_id,
        street_id=community.street_id,
        community_id=community.id,
        kind=WorkOrderKind(kind).value,
        title=title,
        description=description,
        source=WorkOrderSource(source).value,
        status=(WorkOrderStatus.ASSIGNED if team_id else WorkOrderStatus.REQUESTED).value,
        compound_id=compound_id,
        address=address,
        requester_id=requester_id,
        case_id=case_id,
        topic_id=topic_id,
        team_id=team_id,
    )
