"""The deliberation hall (红色议事厅): opening a topic, proposing options, voting once,
deciding (with a follow-up work order or case) and cancelling.

One vote per resident per topic is the database's unique key on (topic, person): a second
vote, however many arrive at once, fails its INSERT inside a savepoint and answers CONFLICT.
Decisions and cancellations carry the version the client read and move the topic with one
conditional UPDATE. Nothing here commits: callers run it in their transaction (a mutation's),
so a refusal part-way leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.access.viewer import Grant, Viewer
from core.cases.services import CaseService
from core.deliberation.follow_ups import (
    FollowUpCase,
    FollowUpWork,
    spawn_case,
    spawn_work_order,
)
from core.deliberation.models import DeliberationOption, DeliberationTopic, DeliberationVote
from core.deliberation.phases import FINAL, Phase, ProposerKind, Status, Subject, phase_of
from core.deliberation.rules import ORGANISERS, TOPIC_SCOPE, lives_in, staff_grant
from core.errors import BadUserInput, Conflict, Forbidden, NotFound, Unauthenticated
from core.regions.models import Community, Street

E = TypeVar("E", Subject, ProposerKind)

MAX_WINDOW = timedelta(days=60)
"""The longest voting window."""
MAX_OPTIONS = 20
"""The most options a topic may have."""
MAX_TEXT = 5000
"""The longest description, decision or reason."""


@dataclass
class NewTopic:
    """A topic to open at a community (``community_id``) or a whole street (``street_id``)."""

    title: str
    subject: str
    opens_at: datetime
    closes_at: datetime
    description: str = ""
    options: list[str] = field(default_factory=list)
    community_id: int | None = None
    street_id: int | None = None


@dataclass
class Decision:
    """What was decided, the option chosen, and the follow-ups to spawn."""

    version: int
    option_id: int
    text: str
    work_order: FollowUpWork | None = None
    case: FollowUpCase | None = None


@dataclass
class Decided:
    topic: DeliberationTopic
    grant: Grant
    work_order_id: int | None = None
    case_id: int | None = None


@dataclass
class DeliberationService:
    """``cases`` is needed only by decisions that open a case."""

    cases: CaseService | None = None
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    async def open_topic(
        self, viewer: Viewer | None, new: NewTopic
    ) -> tuple[DeliberationTopic, Grant]:
        """Open a topic with its first options (entered by the organisers: PARTY_MEMBER)."""
        viewer = _signed_in(viewer)
        place = await _place(new.community_id, new.street_id)
        grant = ORGANISERS.covering_grant(viewer, place)
        if grant is None:
            raise Forbidden(
                "Topics are opened by the community workers of the community, the officers of "
                "the street and the administrators above them."
            )
        title = _text(new.title, "title", 200)
        subject = _choice(Subject, new.subject, "subject")
        self._check_window(new.opens_at, new.closes_at)
        texts = [_text(t, "options", 300) for t in new.options]
        if len(texts) > MAX_OPTIONS:
            raise BadUserInput(f"At most {MAX_OPTIONS} options.", argument="options")
        if len({_key(t) for t in texts}) != len(texts):
            raise BadUserInput("The options repeat one another.", argument="options")
        topic = await DeliberationTopic.create(
            title=title,
            description=_text(new.description, "description", MAX_TEXT, required=False),
            subject=subject.value,
            status=Status.OPEN.value,
            voting_opens_at=new.opens_at,
            voting_closes_at=new.closes_at,
            created_by_id=viewer.person_id,
            **place,
        )
        for text in texts:
            await DeliberationOption.create(
                topic_id=topic.id,
                text=text,
                proposer_kind=ProposerKind.PARTY_MEMBER.value,
                proposed_by_id=viewer.person_id,
            )
        return topic, grant

    async def propose(
        self, viewer: Viewer | None, topic_id: int, text: str, kind: str
    ) -> tuple[DeliberationOption, DeliberationTopic, Grant | None]:
        """Add an option before voting opens: residents of the place as RESIDENT, staff of the
        place on anyone's behalf. The grant is None when a resident proposes as themself."""
        viewer = _signed_in(viewer)
        topic = await _visible(viewer, topic_id)
        row = topic_row(topic)
        proposer = _choice(ProposerKind, kind, "proposerKind")
        grant = None
        if not (proposer == ProposerKind.RESIDENT and lives_in(viewer, row)):
            grant = staff_grant(viewer, row)
            if grant is None:
                raise Forbidden(
                    "Residents propose as RESIDENT; the property company's and Party members' "
                    "options are entered by the staff of the place.",
                    argument="proposerKind",
                )
        self._require_phase(topic, Phase.PROPOSING, "Options are proposed before voting opens")
        text = _text(text, "text", 300)
        known = await DeliberationOption.filter(topic_id=topic.id).values_list("text", flat=True)
        if len(known) >= MAX_OPTIONS:
            raise BadUserInput(f"A topic has at most {MAX_OPTIONS} options.", argument="topicId")
        if _key(text) in {_key(str(k)) for k in known}:
            raise Conflict("That option has been proposed already.", argument="text")
        option = await DeliberationOption.create(
            topic_id=topic.id,
            text=text,
            proposer_kind=proposer.value,
            proposed_by_id=viewer.person_id,
        )
        return option, topic, grant

    async def vote(self, viewer: Viewer | None, topic_id: int, option_id: int) -> DeliberationVote:
        """Cast the viewer's one vote: residents of the place only, inside the window only."""
        viewer = _signed_in(viewer)
        topic = await _visible(viewer, topic_id)
        if not lives_in(viewer, topic_row(topic)):
            raise Forbidden(
                "Only residents who live in the topic's place vote.", argument="topicId"
            )
        self._require_phase(topic, Phase.VOTING, "Votes are cast inside the voting window")
        if not await DeliberationOption.exists(id=option_id, topic_id=topic.id):
            raise NotFound("No such option on this topic.", argument="optionId")
        try:
            # A savepoint: the failed INSERT must not spoil the caller's transaction.
            async with in_transaction():
                return await DeliberationVote.create(
                    topic_id=topic.id, option_id=option_id, person_id=viewer.person_id
                )
        except IntegrityError:
            raise Conflict(
                "You have voted on this topic already: one vote per resident, and a vote is "
                "not changed.",
                argument="topicId",
            ) from None

    async def decide(self, viewer: Viewer | None, topic_id: int, decision: Decision) -> Decided:
        """Record the decision once voting has closed, and spawn its follow-ups."""
        viewer = _signed_in(viewer)
        topic = await _visible(viewer, topic_id)
        grant = _organiser(viewer, topic)
        if topic.version != decision.version:
            raise _stale(topic.version)
        self._require_phase(topic, Phase.COUNTING, "A topic is decided after voting has closed")
        text = _text(decision.text, "decision", MAX_TEXT)
        if not await DeliberationOption.exists(id=decision.option_id, topic_id=topic.id):
            raise NotFound("No such option on this topic.", argument="optionId")
        now = self.now()
        moved = (
            await DeliberationTopic.filter(id=topic.id, version=decision.version)
            .exclude(status__in=FINAL)
            .update(
                status=Status.DECIDED.value,
                decision=text,
                chosen_option_id=decision.option_id,
                decided_at=now,
                updated_at=now,
                version=decision.version + 1,
            )
        )
        if not moved:
            raise _stale(topic.version + 1)
        case_id = None
        if decision.case is not None:
            case_id = await spawn_case(
                self._cases(), viewer, topic, decision.case, decision.work_order
            )
            await DeliberationTopic.filter(id=topic.id).update(spawned_case_id=case_id)
        order_id = None
        if decision.work_order is not None:
            order_id = await spawn_work_order(viewer, topic, decision.work_order, case_id)
        fresh = await DeliberationTopic.get(id=topic.id)
        return Decided(fresh, grant, work_order_id=order_id, case_id=case_id)

    async def cancel(
        self, viewer: Viewer | None, topic_id: int, version: int, reason: str
    ) -> tuple[DeliberationTopic, Grant]:
        """Cancel a topic not yet decided, saying why."""
        viewer = _signed_in(viewer)
        topic = await _visible(viewer, topic_id)
        grant = _organiser(viewer, topic)
        if topic.version != version:
            raise _stale(topic.version)
        if topic.status in FINAL:
            raise BadUserInput(
                f"The topic is {topic.status} already.", argument="topicId", phase=topic.status
            )
        text = _text(reason, "reason", MAX_TEXT)
        now = self.now()
        moved = (
            await DeliberationTopic.filter(id=topic.id, version=version)
            .exclude(status__in=FINAL)
            .update(
                status=Status.CANCELLED.value,
                cancel_reason=text,
                decided_at=now,
                updated_at=now,
                version=version + 1,
            )
        )
        if not moved:
            raise _stale(topic.version + 1)
        return await DeliberationTopic.get(id=topic.id), grant

    def _cases(self) -> CaseService:
        if self.cases is None:
            raise RuntimeError("DeliberationService needs a CaseService to open cases")
        return self.cases

    def phase(self, topic: DeliberationTopic) -> Phase:
        return phase_of(topic.status, topic.voting_opens_at, topic.voting_closes_at, self.now())

    def _require_phase(self, topic: DeliberationTopic, wanted: Phase, rule: str) -> None:
        phase = self.phase(topic)
        if phase != wanted:
            raise BadUserInput(
                f"{rule}; this topic is {phase.value}.",
                argument="topicId",
                phase=phase.value,
                votingOpensAt=topic.voting_opens_at.isoformat(),
                votingClosesAt=topic.voting_closes_at.isoformat(),
            )

    def _check_window(self, opens_at: datetime, closes_at: datetime) -> None:
        for value, argument in ((opens_at, "votingOpensAt"), (closes_at, "votingClosesAt")):
            if value.tzinfo is None or value.utcoffset() is None:
                raise BadUserInput("Give times with a time zone offset.", argument=argument)
        if opens_at <= self.now():
            raise BadUserInput("Voting must open in the future.", argument="votingOpensAt")
        if closes_at <= opens_at:
            raise BadUserInput("Voting must close after it opens.", argument="votingClosesAt")
        if closes_at - opens_at > MAX_WINDOW:
            raise BadUserInput(
                f"A voting window lasts at most {MAX_WINDOW.days} days.",
                argument="votingClosesAt",
                maxDays=MAX_WINDOW.days,
            )


def topic_row(topic: DeliberationTopic) -> dict[str, Any]:
    """The topic's columns: what the scope and organiser rules read."""
    return {name: getattr(topic, name) for name in topic._meta.fields_db_projection}


async def _visible(viewer: Viewer, topic_id: int) -> DeliberationTopic:
    topic = await DeliberationTopic.filter(id=topic_id).first()
    if topic is None or not TOPIC_SCOPE.admits(viewer, topic_row(topic)):
        raise NotFound("No such topic.", argument="topicId")
    return topic


def _organiser(viewer: Viewer, topic: DeliberationTopic) -> Grant:
    grant = ORGANISERS.covering_grant(viewer, topic_row(topic))
    if grant is None:
        raise Forbidden("Topics are decided and cancelled by those who may open them at its place.")
    return grant


async def _place(community_id: int | None, street_id: int | None) -> dict[str, Any]:
    """The place columns of a new topic."""
    if community_id is not None:
        community = await Community.filter(id=community_id).first()
        if community is None:
            raise NotFound("No such community.", argument="placeId")
        return {
            "district_id": community.district_id,
            "street_id": community.street_id,
            "community_id": community.id,
        }
    street = await Street.filter(id=street_id).first() if street_id is not None else None
    if street is None:
        raise NotFound("No such street.", argument="placeId")
    return {"district_id": street.district_id, "street_id": street.id, "community_id": None}


def _signed_in(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise Unauthenticated("Sign in first.")
    return viewer


def _text(value: str, argument: str, longest: int, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise BadUserInput(f"{argument} must not be empty.", argument=argument)
    if len(value) > longest:
        raise BadUserInput(
            f"{argument} is longer than {longest} characters.", argument=argument, max=longest
        )
    return value


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _choice(kind: type[E], value: str, argument: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise BadUserInput(
            f"Unknown {argument} {value}.", argument=argument, known=[k.value for k in kind]
        ) from None


def _stale(current: int) -> Conflict:
    return Conflict(
        "The topic changed since you read it: reload it and try again.", currentVersion=current
    )
