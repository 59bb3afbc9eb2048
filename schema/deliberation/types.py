"""GraphQL types of the deliberation hall: topics and their options.

Both are ``@scoped(TOPIC_SCOPE)``: staff on the topic's branch of the region tree and the
residents of its place see them. Vote counts stay null until voting has closed; a viewer's own
vote is theirs to see at any time. Counts, own votes, options and work orders are read through
per-request loaders, one statement per batch of topics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info
from tortoise.functions import Count

from core.cases.machine import Status as CaseStatus
from core.deliberation import models
from core.deliberation.phases import (
    PHASE_NAMES,
    PROPOSER_NAMES,
    SUBJECT_NAMES,
    Phase,
    ProposerKind,
    Subject,
    phase_of,
    results_shown,
)
from core.deliberation.rules import ORGANISERS, TOPIC_SCOPE, lives_in, staff_grant
from core.volunteers.models import WorkOrder
from schema.access.rules import scoped
from schema.cases.types import CASE, Case
from schema.context import Context
from schema.ids import global_id
from schema.limits import cost
from schema.loaders import by_id
from schema.nodes import NodeSource
from schema.regions.types import COMMUNITY, STREET, Community, Street


def _described(cls: type[Enum], name: str, description: str, values: Mapping[Any, str]) -> None:
    """Make ``cls`` a GraphQL enum whose values carry descriptions (Chinese name first)."""
    strawberry.enum(cls, name=name, description=description)
    for value in cls.__strawberry_definition__.values:  # type: ignore[attr-defined]  # set by strawberry.enum
        value.description = values[cls(value.value)]


_described(Subject, "DeliberationSubject", "What a topic is about.", SUBJECT_NAMES)
_described(
    ProposerKind, "DeliberationProposerKind", "On whose behalf an option was put.", PROPOSER_NAMES
)
_described(Phase, "DeliberationPhase", "Where a topic stands now.", PHASE_NAMES)


def _now() -> datetime:
    return datetime.now(UTC)


@scoped(TOPIC_SCOPE)
@strawberry.type(description="A proposed answer to a deliberation topic.")
class DeliberationOption(relay.Node):
    id: relay.NodeID[int]
    text: str = strawberry.field(description="The proposal.")
    proposer_kind: ProposerKind = strawberry.field(
        description="On whose behalf it was put: a resident, the property company or a Party "
        "member (the last two entered by staff)."
    )
    created_at: datetime = strawberry.field(description="When it was proposed (UTC).")
    topic_id: strawberry.Private[int]
    # Copied from the topic by the node source (what the scope rule and the counts read).
    district_id: strawberry.Private[int] = 0
    street_id: strawberry.Private[int] = 0
    community_id: strawberry.Private[int | None] = None
    topic_status: strawberry.Private[str] = ""
    voting_closes_at: strawberry.Private[datetime | None] = None
    decided_at: strawberry.Private[datetime | None] = None

    @strawberry.field(
        description="Votes for this option: null until voting has closed, so that nobody "
        "follows the crowd."
    )
    async def vote_count(self, info: Info) -> int | None:
        if self.voting_closes_at is None or not results_shown(
            self.topic_status, self.voting_closes_at, self.decided_at, _now()
        ):
            return None
        counts = await vote_counts(info.context).load(self.topic_id)
        return counts.get(self.id, 0)

    @strawberry.field(description="The topic it answers.")
    async def topic(self, info: Info) -> DeliberationTopic | None:
        return await by_id(info.context, TOPIC).load(self.topic_id)


@scoped(TOPIC_SCOPE)
@strawberry.type(
    description="红色议事厅: a question put to the residents of a community, or of a whole "
    "street. Options are proposed before the voting window, each resident of the place votes "
    "once inside it, and the organisers record the decision afterwards."
)
class DeliberationTopic(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The question, in short.")
    description: str = strawberry.field(description="Background and details.")
    subject: Subject = strawberry.field(description="What it is about.")
    voting_opens_at: datetime = strawberry.field(description="When voting opens (UTC).")
    voting_closes_at: datetime = strawberry.field(
        description="When voting closes (UTC); a vote at this instant is too late."
    )
    decision: str | None = strawberry.field(description="What was decided, once DECIDED.")
    cancel_reason: str | None = strawberry.field(
        description="Why it was cancelled, once CANCELLED."
    )
    decided_at: datetime | None = strawberry.field(
        description="When it was decided or cancelled (UTC)."
    )
    created_at: datetime = strawberry.field(description="When it was opened (UTC).")
    version: int = strawberry.field(
        description="Send it back when deciding or cancelling: a stale one is CONFLICT."
    )
    status: strawberry.Private[str]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int | None]
    chosen_option_id: strawberry.Private[int | None]
    spawned_case_id: strawberry.Private[int | None]

    @strawberry.field(
        description="Where it stands now: PROPOSING before voting opens, VOTING inside the "
        "window, COUNTING after it until decided, DECIDED or CANCELLED."
    )
    def phase(self) -> Phase:
        return self.phase_now()

    def phase_now(self) -> Phase:
        return phase_of(self.status, self.voting_opens_at, self.voting_closes_at, _now())

    @strawberry.field(
        description="The street it belongs to (the whole street's when no community)."
    )
    async def street(self, info: Info) -> Street:
        return await by_id(info.context, STREET).load(self.street_id)

    @strawberry.field(description="The community it belongs to; null for a street-wide topic.")
    async def community(self, info: Info) -> Community | None:
        if self.community_id is None:
            return None
        return await by_id(info.context, COMMUNITY).load(self.community_id)

    @strawberry.field(
        description="The options, in the order they were proposed.", metadata=cost(size=20)
    )
    async def options(self, info: Info) -> list[DeliberationOption]:
        return await options_by_topic(info.context).load(self.id)

    @strawberry.field(description="How many residents voted: null until voting has closed.")
    async def total_votes(self, info: Info) -> int | None:
        if not results_shown(self.status, self.voting_closes_at, self.decided_at, _now()):
            return None
        return sum((await vote_counts(info.context).load(self.id)).values())

    @strawberry.field(description="The option you voted for, if you did (visible to you only).")
    async def my_vote(self, info: Info) -> DeliberationOption | None:
        option_id = await my_votes(info.context).load(self.id)
        return await by_id(info.context, OPTION).load(option_id) if option_id else None

    @strawberry.field(
        description="Whether you may vote now: you live in its place, voting is open, and you "
        "have not voted yet."
    )
    async def can_vote(self, info: Info) -> bool:
        if self.phase_now() != Phase.VOTING or not lives_in(info.context.viewer, vars(self)):
            return False
        return await my_votes(info.context).load(self.id) is None

    @strawberry.field(
        description="The kinds of option you may propose now (empty outside PROPOSING): "
        "RESIDENT for residents of the place, any kind for its staff."
    )
    def proposable_kinds(self, info: Info) -> list[ProposerKind]:
        if self.phase_now() != Phase.PROPOSING:
            return []
        viewer, row = info.context.viewer, vars(self)
        if staff_grant(viewer, row) is not None:
            return list(ProposerKind)
        return [ProposerKind.RESIDENT] if lives_in(viewer, row) else []

    @strawberry.field(
        description="Whether you may decide it (once voting has closed) or cancel it (before a "
        "decision): its organisers."
    )
    def can_organise(self, info: Info) -> bool:
        return ORGANISERS.covering_grant(info.context.viewer, vars(self)) is not None

    @strawberry.field(description="The option the decision chose.")
    async def chosen_option(self, info: Info) -> DeliberationOption | None:
        if self.chosen_option_id is None:
            return None
        return await by_id(info.context, OPTION).load(self.chosen_option_id)

    @strawberry.field(
        description="The case the decision opened, if any; null too when the case's own scope "
        "hides it from you (see `spawnedCaseStatus`)."
    )
    async def spawned_case(self, info: Info) -> Case | None:
        if self.spawned_case_id is None:
            return None
        return await by_id(info.context, CASE).load(self.spawned_case_id)

    @strawberry.field(
        description="Where the case the decision opened stands, for everyone who sees the "
        "topic (the residents who voted follow it here)."
    )
    async def spawned_case_status(self, info: Info) -> CaseStatus | None:
        if self.spawned_case_id is None:
            return None
        case = await by_id(info.context, CASE).load(self.spawned_case_id)
        return CaseStatus(case.status) if case is not None else None

    @strawberry.field(
        description="Global ids (type WorkOrder) of the work orders the decision spawned, oldest "
        "first."
    )
    async def work_order_ids(self, info: Info) -> list[strawberry.ID]:
        keys = await work_orders_by_topic(info.context).load(self.id)
        return [strawberry.ID(global_id("WorkOrder", k)) for k in keys]


async def _with_topic(options: Sequence[Any]) -> None:
    """Copy each option's topic place, status and window onto it (one statement per batch)."""
    rows = await models.DeliberationTopic.filter(
        id__in=list({o.topic_id for o in options})
    ).values(
        "id", "district_id", "street_id", "community_id", "status", "voting_closes_at",
        "decided_at",
    )  # fmt: skip
    topics = {row["id"]: row for row in rows}
    for option in options:
        topic = topics.get(option.topic_id)
        if topic is None:
            continue
        option.district_id, option.street_id = topic["district_id"], topic["street_id"]
        option.community_id, option.topic_status = topic["community_id"], topic["status"]
        option.voting_closes_at, option.decided_at = topic["voting_closes_at"], topic["decided_at"]


TOPIC = NodeSource(DeliberationTopic, models.DeliberationTopic)
OPTION = NodeSource(DeliberationOption, models.DeliberationOption, enrich=_with_topic)


def options_by_topic(context: Context) -> DataLoader[int, list[DeliberationOption]]:
    async def load(topic_ids: Sequence[int]) -> list[list[DeliberationOption]]:
        rows = (
            await models.DeliberationOption.filter(topic_id__in=list(topic_ids))
            .order_by("id")
            .values(*OPTION.columns)
        )
        options = [OPTION.build(row) for row in rows]
        if options:
            await _with_topic(options)
        found: dict[int, list[DeliberationOption]] = defaultdict(list)
        for option in options:
            found[option.topic_id].append(option)
        return [found.get(i, []) for i in topic_ids]

    return context.loader("deliberation_options", lambda: DataLoader(load))


def vote_counts(context: Context) -> DataLoader[int, dict[int, int]]:
    """Votes per option id, for each topic id."""

    async def load(topic_ids: Sequence[int]) -> list[dict[int, int]]:
        rows = (
            await models.DeliberationVote.filter(topic_id__in=list(topic_ids))
            .annotate(n=Count("id"))
            .group_by("topic_id", "option_id")
            .values("topic_id", "option_id", "n")
        )
        found: dict[int, dict[int, int]] = defaultdict(dict)
        for row in rows:
            found[row["topic_id"]][row["option_id"]] = row["n"]
        return [found.get(i, {}) for i in topic_ids]

    return context.loader("deliberation_vote_counts", lambda: DataLoader(load))


def my_votes(context: Context) -> DataLoader[int, int | None]:
    """The option the viewer voted for, for each topic id (None: no vote)."""

    async def load(topic_ids: Sequence[int]) -> list[int | None]:
        viewer = context.viewer
        if viewer is None:
            return [None for _ in topic_ids]
        rows = await models.DeliberationVote.filter(
            person_id=viewer.person_id, topic_id__in=list(topic_ids)
        ).values_list("topic_id", "option_id")
        found = {topic_id: option_id for topic_id, option_id in rows}
        return [found.get(i) for i in topic_ids]

    return context.loader("deliberation_my_votes", lambda: DataLoader(load))


def work_orders_by_topic(context: Context) -> DataLoader[int, list[int]]:
    async def load(topic_ids: Sequence[int]) -> list[list[int]]:
        rows = (
            await WorkOrder.filter(topic_id__in=list(topic_ids))
            .order_by("id")
            .values_list("topic_id", "id")
        )
        found: dict[int, list[int]] = defaultdict(list)
        for topic_id, key in rows:
            found[topic_id].append(key)
        return [found.get(i, []) for i in topic_ids]

    return context.loader("deliberation_work_orders", lambda: DataLoader(load))
