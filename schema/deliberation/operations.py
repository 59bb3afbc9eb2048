"""Root fields of the deliberation hall: listing topics, opening them, proposing, voting,
deciding and cancelling."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.deliberation.follow_ups import FollowUpCase, FollowUpWork
from core.deliberation.phases import Phase, ProposerKind, Subject, phase_filter
from core.deliberation.rules import TOPIC_SCOPE
from core.deliberation.services import Decision, DeliberationService, NewTopic
from core.errors import NotFound
from core.regions.models import Community as CommunityRow
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated
from schema.cases.operations import service as case_service
from schema.context import Context
from schema.deliberation.types import OPTION, TOPIC, DeliberationOption, DeliberationTopic
from schema.ids import global_id, key_of, type_name_of
from schema.loaders import by_id
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection

TOPIC_ID = strawberry.argument(description="The topic (a DeliberationTopic global id).")


def service(context: Context) -> DeliberationService:
    return DeliberationService(cases=case_service(context))


@strawberry.input(description="A topic to open, with its voting window and first options.")
class CreateDeliberationTopicInput:
    place_id: strawberry.ID = strawberry.field(
        description="A Community global id, or a Street global id for a street-wide topic."
    )
    title: str = strawberry.field(description="The question, in short (1–200 characters).")
    subject: Subject = strawberry.field(description="What it is about.")
    voting_opens_at: datetime = strawberry.field(
        description="When voting opens: in the future, with a time zone offset. Options are "
        "proposed until then."
    )
    voting_closes_at: datetime = strawberry.field(
        description="When voting closes: after it opens, at most 60 days later."
    )
    description: str = strawberry.field(default="", description="Background and details.")
    options: list[str] = strawberry.field(
        default_factory=list,
        description="First options (at most 20, each 1–300 characters), recorded as the "
        "organisers' (PARTY_MEMBER); residents and staff add more until voting opens.",
    )


@strawberry.input(description="The work order a decision asks a volunteer team for.")
class DecisionWorkOrderInput:
    kind: str = strawberry.field(
        description="WATER_REPAIR, ELECTRICITY_REPAIR, HAZARD_CHECK, HOUSEHOLD_HELP or OTHER."
    )
    title: str = strawberry.field(description="What is to be done (1–200 characters).")
    description: str = strawberry.field(default="", description="Details.")
    compound_id: strawberry.ID | None = strawberry.field(
        default=None, description="The compound where the job is, inside the topic's place."
    )
    community_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The community of the work order: the topic's own by default; a street "
        "topic names one of its communities (or a compound).",
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A volunteer team of the topic's street to assign it to at once.",
    )


@strawberry.input(description="The case a decision opens on the four-level ladder.")
class DecisionCaseInput:
    category: str = strawberry.field(description="A category code (see `caseCategories`).")
    title: str = strawberry.field(description="Short title.")
    description: str = strawberry.field(default="", description="What is to be solved.")
    compound_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Where, inside the topic's place (default: the work order's compound, else "
        "the first grid of the topic's community; a street topic names a compound or a grid).",
    )
    grid_id: strawberry.ID | None = strawberry.field(default=None, description="Or the grid.")


@strawberry.input(description="The decision on a topic whose voting has closed.")
class DecideTopicInput:
    topic_id: strawberry.ID = strawberry.field(description="The topic.")
    version: int = strawberry.field(description="The topic's `version` when you read it.")
    option_id: strawberry.ID = strawberry.field(description="The option chosen.")
    decision: str = strawberry.field(description="What was decided, in words.")
    work_order: DecisionWorkOrderInput | None = strawberry.field(
        default=None, description="A follow-up work order for a volunteer team."
    )
    case: DecisionCaseInput | None = strawberry.field(
        default=None, description="A follow-up case on the four-level ladder."
    )


@strawberry.type
class DeliberationQuery:
    @strawberry.field(
        description="红色议事厅 topics you may see, newest first: staff see those of their place "
        "(community staff also their street's street-wide topics), residents those of the "
        "community and street they live in.",
        permission_classes=[IsAuthenticated],
    )
    async def deliberation_topics(
        self,
        info: Info,
        place_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only topics that concern this District, Street or Community (a "
                "community's include its street's street-wide topics)."
            ),
        ] = None,
        phase: Annotated[
            Phase | None, strawberry.argument(description="Only topics in this phase now.")
        ] = None,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
    ) -> Connection[DeliberationTopic]:
        filters = []
        if place_id is not None:
            filters.append(await _place_filter(place_id))
        if phase is not None:
            filters.append(phase_filter(phase, datetime.now(UTC)))
        return await scoped_connection(
            info, TOPIC, TOPIC_SCOPE, first, after, *filters, newest_first=True
        )


@strawberry.type
class DeliberationMutation:
    @strawberry.mutation(
        description="Open a topic in a community or a whole street: for the community's "
        "workers, the street's officers and the administrators above them.",
        permission_classes=[IsAuthenticated],
    )
    async def create_deliberation_topic(
        self,
        info: Info,
        input: Annotated[
            CreateDeliberationTopicInput,
            strawberry.argument(description="The place, question, window and first options."),
        ],
    ) -> DeliberationTopic:
        context: Context = info.context
        kind = type_name_of(input.place_id, what="place")
        key = key_of(input.place_id, "Community", "Street", what="place")
        new = NewTopic(
            title=input.title,
            subject=input.subject.value,
            opens_at=input.voting_opens_at,
            closes_at=input.voting_closes_at,
            description=input.description,
            options=input.options,
            community_id=key if kind == "Community" else None,
            street_id=key if kind == "Street" else None,
        )
        topic, grant = await service(context).open_topic(context.viewer, new)
        context.note.used(grant)
        context.note.about(
            global_id("DeliberationTopic", topic.id),
            topic.district_id,
            subject=topic.subject,
            options=len(input.options),
            streetWide=topic.community_id is None,
        )
        return await _fresh(context, topic.id)

    @strawberry.mutation(
        description="Propose an option before voting opens. Residents of the place propose as "
        "RESIDENT; its staff enter any kind (the property company's, Party members').",
        permission_classes=[IsAuthenticated],
    )
    async def propose_deliberation_option(
        self,
        info: Info,
        topic_id: Annotated[strawberry.ID, TOPIC_ID],
        text: Annotated[str, strawberry.argument(description="The proposal (1–300 characters).")],
        proposer_kind: Annotated[
            ProposerKind, strawberry.argument(description="On whose behalf it is put.")
        ] = ProposerKind.RESIDENT,
    ) -> DeliberationOption:
        context: Context = info.context
        key = key_of(topic_id, "DeliberationTopic", what="topic")
        option, topic, grant = await service(context).propose(
            context.viewer, key, text, proposer_kind.value
        )
        if grant is not None:
            context.note.used(grant)
        context.note.about(topic_id, topic.district_id, proposerKind=option.proposer_kind)
        found = await by_id(context, OPTION).load(option.id)
        assert found is not None
        return found

    @strawberry.mutation(
        description="Vote for one option, inside the voting window: for residents who live in "
        "the topic's place, once per topic. A second vote is CONFLICT; the vote cannot be "
        "changed. Which option you chose is shown to you only (`myVote`).",
        permission_classes=[IsAuthenticated],
    )
    async def vote_on_topic(
        self,
        info: Info,
        topic_id: Annotated[strawberry.ID, TOPIC_ID],
        option_id: Annotated[
            strawberry.ID, strawberry.argument(description="The option (of this topic).")
        ],
    ) -> DeliberationTopic:
        context: Context = info.context
        key = key_of(topic_id, "DeliberationTopic", what="topic")
        option = key_of(option_id, "DeliberationOption", what="option")
        await service(context).vote(context.viewer, key, option)
        fresh = await _fresh(context, key)
        # The audit record says that the viewer voted, never for what.
        context.note.about(topic_id, fresh.district_id)
        return fresh

    @strawberry.mutation(
        description="Record the decision on a topic whose voting has closed, and spawn its "
        "follow-ups: a work order for a volunteer team and/or a case on the ladder. For those "
        "who may open topics at its place. Carries the version you read.",
        permission_classes=[IsAuthenticated],
    )
    async def decide_topic(
        self,
        info: Info,
        input: Annotated[
            DecideTopicInput,
            strawberry.argument(description="The topic, the version you read, and the decision."),
        ],
    ) -> DeliberationTopic:
        context: Context = info.context
        key = key_of(input.topic_id, "DeliberationTopic", what="topic")
        decision = Decision(
            version=input.version,
            option_id=key_of(input.option_id, "DeliberationOption", what="option"),
            text=input.decision,
            work_order=_work(input.work_order) if input.work_order else None,
            case=_case(input.case) if input.case else None,
        )
        decided = await service(context).decide(context.viewer, key, decision)
        context.note.used(decided.grant)
        context.note.about(
            input.topic_id,
            decided.topic.district_id,
            option=input.option_id,
            workOrder=global_id("WorkOrder", decided.work_order_id)
            if decided.work_order_id
            else None,
            case=global_id("Case", decided.case_id) if decided.case_id else None,
        )
        return await _fresh(context, key)

    @strawberry.mutation(
        description="Cancel a topic before it is decided, saying why (shown as its `decision`). "
        "For those who may open topics at its place. Carries the version you read.",
        permission_classes=[IsAuthenticated],
    )
    async def cancel_deliberation_topic(
        self,
        info: Info,
        topic_id: Annotated[strawberry.ID, TOPIC_ID],
        version: Annotated[
            int, strawberry.argument(description="The topic's `version` when you read it.")
        ],
        reason: Annotated[str, strawberry.argument(description="Why it is cancelled.")],
    ) -> DeliberationTopic:
        context: Context = info.context
        key = key_of(topic_id, "DeliberationTopic", what="topic")
        topic, grant = await service(context).cancel(context.viewer, key, version, reason)
        context.note.used(grant)
        context.note.about(topic_id, topic.district_id)
        return await _fresh(context, key)


def _work(given: DecisionWorkOrderInput) -> FollowUpWork:
    return FollowUpWork(
        kind=given.kind,
        title=given.title,
        description=given.description,
        compound_id=_key(given.compound_id, "Compound", "compound"),
        community_id=_key(given.community_id, "Community", "community"),
        team_id=_key(given.team_id, "VolunteerTeam", "volunteer team"),
    )


def _case(given: DecisionCaseInput) -> FollowUpCase:
    return FollowUpCase(
        category=given.category,
        title=given.title,
        description=given.description,
        compound_id=_key(given.compound_id, "Compound", "compound"),
        grid_id=_key(given.grid_id, "Grid", "grid"),
    )


def _key(value: strawberry.ID | None, type_name: str, what: str) -> int | None:
    return key_of(value, type_name, what=what) if value is not None else None


async def _place_filter(place_id: strawberry.ID) -> Q:
    kind = type_name_of(place_id, what="place")
    key = key_of(place_id, "District", "Street", "Community", what="place")
    if kind == "District":
        return Q(district_id=key)
    if kind == "Street":
        return Q(street_id=key)
    community = await CommunityRow.filter(id=key).first().values("id", "street_id")
    if community is None:
        raise NotFound("No such place.", argument="placeId")
    return Q(community_id=key) | Q(community_id__isnull=True, street_id=community["street_id"])


async def _fresh(context: Context, topic_id: int) -> DeliberationTopic:
    found = await by_id(context, TOPIC).load(topic_id)
    assert found is not None
    return found
