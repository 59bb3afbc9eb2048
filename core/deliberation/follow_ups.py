"""The follow-ups a deliberation decision spawns: a work order for a volunteer team (through
``core.volunteers.orders.open_work_order``) and a case on the ladder (through ``CaseService``),
each placed inside the topic's community or street."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.access.viewer import Viewer
from core.cases.services import CaseService, Report
from core.deliberation.models import DeliberationTopic
from core.errors import BadUserInput, NotFound
from core.regions.models import Community, Compound, Grid
from core.volunteers.models import VolunteerTeam
from core.volunteers.orders import WorkOrderKind, WorkOrderSource, open_work_order


@dataclass
class FollowUpWork:
    """A work order a decision asks for. A street topic names its community (or a compound)."""

    kind: str
    title: str
    description: str = ""
    compound_id: int | None = None
    community_id: int | None = None
    team_id: int | None = None


@dataclass
class FollowUpCase:
    """A case a decision opens; where it goes defaults to the work order's compound, else the
    first grid of the topic's community (a street topic names a compound or a grid)."""

    category: str
    title: str
    description: str = ""
    compound_id: int | None = None
    grid_id: int | None = None


async def spawn_case(
    cases: CaseService,
    viewer: Viewer,
    topic: DeliberationTopic,
    wanted: FollowUpCase,
    work: FollowUpWork | None,
) -> int:
    """Report the case as the deciding viewer (source RESIDENT: the residents raised it) at a
    compound or grid inside the topic's place; its category must exist. Returns its id."""
    compound_id, grid_id = wanted.compound_id, wanted.grid_id
    argument = "case.compoundId"
    if compound_id is None and grid_id is None and work is not None:
        compound_id, argument = work.compound_id, "workOrder.compoundId"
    if compound_id is not None:
        await _inside(topic, Compound, compound_id, argument, "compound")
    elif grid_id is not None:
        await _inside(topic, Grid, grid_id, "case.gridId", "grid")
    elif topic.community_id is not None:
        first = (
            await Grid.filter(community_id=topic.community_id).order_by("id").first().values("id")
        )
        grid_id = first["id"] if first else None
    if compound_id is None and grid_id is None:
        raise BadUserInput(
            "Say where the case goes: a street topic's case names a compound or a grid.",
            argument="case.compoundId",
        )
    report = Report(
        title=wanted.title,
        category=wanted.category,
        description=wanted.description,
        source="RESIDENT",
        compound_id=compound_id,
        grid_id=grid_id,
    )
    case, _ = await cases.report(viewer, report)
    return case.id


async def spawn_work_order(
    viewer: Viewer, topic: DeliberationTopic, wanted: FollowUpWork, case_id: int | None
) -> int:
    """Open the work order (source DELIBERATION, ``topic_id`` set, linked to the decision's
    case if there is one) in the topic's community or, for a street topic, the community
    named or holding the compound named; a team must be an active one of the topic's street.
    The deciding viewer is its requester. Returns its id."""
    community_id = wanted.community_id
    if wanted.compound_id is not None:
        argument = "workOrder.compoundId"
        compound = await _inside(topic, Compound, wanted.compound_id, argument, "compound")
        community_id = community_id or compound["community_id"]
    if community_id is not None:
        await _inside(topic, Community, community_id, "workOrder.communityId", "community")
    else:
        community_id = topic.community_id
    if community_id is None:
        raise BadUserInput(
            "A street topic's work order names a compoundId or a communityId.",
            argument="workOrder.communityId",
        )
    if wanted.team_id is not None:
        team = await VolunteerTeam.filter(id=wanted.team_id).first()
        if team is None:
            raise NotFound("No such volunteer team.", argument="workOrder.teamId")
        if team.street_id != topic.street_id or not team.active:
            raise BadUserInput(
                "The team must be an active team of the topic's street.",
                argument="workOrder.teamId",
            )
    order = await open_work_order(
        community_id=community_id,
        kind=_kind(wanted.kind),
        title=wanted.title,
        source=WorkOrderSource.DELIBERATION,
        description=wanted.description,
        compound_id=wanted.compound_id,
        requester_id=viewer.person_id,
        case_id=case_id,
        topic_id=topic.id,
        team_id=wanted.team_id,
    )
    return order.id


async def _inside(
    topic: DeliberationTopic,
    model: type[Compound] | type[Grid] | type[Community],
    key: int,
    argument: str,
    what: str,
) -> dict[str, Any]:
    """The row of a compound, grid or community that must lie in the topic's place."""
    row = await model.filter(id=key).first().values("id", "street_id", *_community(model))
    if row is None:
        raise NotFound(f"No such {what}.", argument=argument)
    community = row["community_id"] if model is not Community else row["id"]
    if row["street_id"] != topic.street_id or (
        topic.community_id is not None and community != topic.community_id
    ):
        raise BadUserInput(f"The {what} is not in the topic's place.", argument=argument)
    return row


def _community(model: type[Any]) -> tuple[str, ...]:
    return () if model is Community else ("community_id",)


def _kind(value: str) -> WorkOrderKind:
    try:
        return WorkOrderKind(value)
    except ValueError:
        raise BadUserInput(
            f"Unknown work order kind {value}.",
            argument="workOrder.kind",
            known=[k.value for k in WorkOrderKind],
        ) from None
