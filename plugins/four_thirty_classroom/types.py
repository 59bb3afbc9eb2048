"""GraphQL types of classrooms, their terms and sessions, tutors and lectures (public, or seen
by managers). Children, attendance and pick-up alerts are in ``care_types``.

Objects are built from plain rows (``schema.NodeSource``); what is not a column (names, seats,
member ids for the rules) is filled per batch by the sources' ``enrich``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core import Booking as BookingRow
from core import Slot, names_of
from plugins.four_thirty_classroom import models, rules, timing
from plugins.four_thirty_classroom.classrooms import MAX_MEMBERS, members_of
from plugins.four_thirty_classroom.enums import (
    CheckStatus,
    ClassroomKind,
    LectureKind,
    LectureProgram,
    LectureStatus,
    SessionStatus,
    TutorKind,
    VenueKind,
)
from plugins.four_thirty_classroom.places import NAME, config_places, settings_in, zone
from plugins.four_thirty_classroom.settings import ClassroomSettings
from plugins.four_thirty_classroom.tutors import valid_until
from schema import Community, Context, NodeSource, by_id, cost, global_id, scoped

MAX_TERMS = 20
MAX_DAYS = 62


def settings_of(context: Context) -> DataLoader[int, ClassroomSettings]:
    """The module's settings in force at communities, by community id (per request)."""

    async def load(ids: Sequence[int]) -> list[ClassroomSettings]:
        places = await config_places(ids)
        return [settings_in(context.activation, places[i]) for i in ids]

    return context.loader((NAME, "settings"), lambda: DataLoader(load))


def _terms_of(context: Context) -> DataLoader[int, list[ClassroomTerm]]:
    """Terms of classrooms, latest first (one statement per batch)."""

    async def load(ids: Sequence[int]) -> list[list[ClassroomTerm]]:
        rows = (
            await models.Term.filter(classroom_id__in=list(ids))
            .order_by("-starts_on", "-id")
            .values(*TERM.columns)
        )
        found: dict[int, list[ClassroomTerm]] = {i: [] for i in ids}
        for row in rows:
            found[row["classroom_id"]].append(TERM.build(row))
        return [found[i] for i in ids]

    return context.loader((NAME, "terms"), lambda: DataLoader(load))


def _sessions_of(context: Context) -> DataLoader[tuple[int, date, int], list[ClassroomSession]]:
    """Sessions of classrooms in a span of days, by (classroom id, first day, days)."""

    async def load(keys: Sequence[tuple[int, date, int]]) -> list[list[ClassroomSession]]:
        spans: dict[tuple[date, int], list[int]] = {}
        for classroom_id, first, days in keys:
            spans.setdefault((first, days), []).append(classroom_id)
        found: dict[tuple[int, date, int], list[ClassroomSession]] = {k: [] for k in keys}
        built = []
        for (first, days), ids in spans.items():
            rows = (
                await models.Session.filter(
                    classroom_id__in=ids, day__gte=first, day__lt=first + timedelta(days=days)
                )
                .order_by("day")
                .values(*SESSION.columns)
            )
            for row in rows:
                session = SESSION.build(row)
                found[(row["classroom_id"], first, days)].append(session)
                built.append(session)
        if built:
            await _session_details(built)
        return [found[k] for k in keys]

    return context.loader((NAME, "sessions"), lambda: DataLoader(load))


@strawberry.type(description="A tutor as a classroom shows them: name and who they are.")
class ClassroomTutorCard:
    tutor_id: strawberry.ID = strawberry.field(description="The tutor's id (ClassroomTutor).")
    name: str = strawberry.field(description="The tutor's name.")
    kind: TutorKind = strawberry.field(description="Teacher, party member, student, other.")


async def _cards(pairs: Sequence[tuple[int, int]]) -> dict[int, ClassroomTutorCard]:
    """Cards of tutors by person id, from (tutor id, person id) pairs."""
    kinds = dict(await models.Tutor.filter(id__in={t for t, _ in pairs}).values_list("id", "kind"))
    names = await names_of(p for _, p in pairs)
    return {
        p: ClassroomTutorCard(
            tutor_id=strawberry.ID(global_id("ClassroomTutor", t)),
            name=names.get(p, ""),
            kind=TutorKind(kinds[t]),
        )
        for t, p in pairs
        if t in kinds
    }


@strawberry.type(description="四点半课堂: after-school care from 16:30 at a community or school. "
                 "Public.")  # fmt: skip
class Classroom(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique in its district.")
    name: str = strawberry.field(description="Name, e.g. 欣虹社区四点半课堂.")
    kind: ClassroomKind = strawberry.field(description="Run at a community or a school.")
    address: str = strawberry.field(description="Street address.")
    capacity: int = strawberry.field(description="Children a session takes.")
    active: bool = strawberry.field(description="False once closed.")
    version: int = strawberry.field(description="Send it back to change the classroom.")
    compound_id: strawberry.Private[int | None]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    staff_ids: strawberry.Private[frozenset[int]] = frozenset()
    tutor_ids: strawberry.Private[frozenset[int]] = frozenset()
    staff: list[str] = strawberry.field(default_factory=list, description="Its staff's names.")
    tutors: list[ClassroomTutorCard] = strawberry.field(
        default_factory=list,
        description="Its tutors (background check passed).",
        metadata=cost(size=MAX_MEMBERS),
    )

    @strawberry.field(description="The community it serves.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, info.context.node_sources["Community"]).load(
            self.community_id
        )

    @strawberry.field(
        description=f"Its latest terms, latest first (at most {MAX_TERMS}).",
        metadata=cost(size=MAX_TERMS),
    )
    async def terms(self, info: Info) -> list[ClassroomTerm]:
        return (await _terms_of(info.context).load(self.id))[:MAX_TERMS]

    @strawberry.field(
        description="Its sessions from `from` (default: today, city time) for `days` days "
        f"(default 14, at most {MAX_DAYS}), in order.",
        metadata=cost(size=MAX_DAYS),
    )
    async def sessions(
        self,
        info: Info,
        start: Annotated[date | None, strawberry.argument(name="from")] = None,
        days: int = 14,
    ) -> list[ClassroomSession]:
        first = start or timing.local_day(timing.now(), zone(info.context))
        days = max(1, min(days, MAX_DAYS))
        return await _sessions_of(info.context).load((self.id, first, days))


@strawberry.type(description="Days off in a term, `from` to `to` inclusive.")
class ClassroomHoliday:
    start: date = strawberry.field(name="from", description="First day off.")
    to: date = strawberry.field(description="Last day off.")
    name: str = strawberry.field(description="What it is, e.g. 国庆.")


@strawberry.type(description="A term of a classroom: the pattern its sessions were made from.")
class ClassroomTerm(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Name, e.g. 2026年秋季学期.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day.")
    weekdays: list[int] = strawberry.field(description="Weekdays with a session: 1 Monday … 7.")
    session_start: str = strawberry.field(description="Sessions start, HH:MM city time.")
    session_end: str = strawberry.field(description="Sessions end, HH:MM city time.")
    topic: str = strawberry.field(description="The default topic of its sessions.")
    holidays: strawberry.Private[Any]
    classroom_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(
        name="holidays",
        description=f"Its own days off (besides public holidays), at most {timing.MAX_HOLIDAYS}.",
        metadata=cost(size=timing.MAX_HOLIDAYS),
    )
    def days_off(self) -> list[ClassroomHoliday]:
        return [
            ClassroomHoliday(start=h.first, to=h.last, name=h.name)
            for h in timing.holidays_of(self.holidays)
        ]


@strawberry.type(
    description="An afternoon of a classroom: topic, tutors and seats. Public; its enrolments "
    "are `classroomAttendances(sessionId:)`, for the guardians and the classroom's staff and "
    "tutors."
)
class ClassroomSession(relay.Node):
    id: relay.NodeID[int]
    day: date = strawberry.field(description="The day (city time).")
    starts_at: datetime = strawberry.field(description="When it starts (UTC).")
    ends_at: datetime = strawberry.field(description="When it ends (UTC).")
    topic: str = strawberry.field(description="What it is about, e.g. 作业辅导, 安全教育.")
    status: SessionStatus = strawberry.field(description="SCHEDULED, HELD or CANCELLED.")
    note: str = strawberry.field(description="Why it was cancelled, if it was.")
    version: int = strawberry.field(description="Send it back to change the session.")
    classroom_id: strawberry.Private[int]
    term_id: strawberry.Private[int]
    slot_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    seats: int = strawberry.field(default=0, description="Children it takes.")
    enrolled: int = strawberry.field(default=0, description="Children with a confirmed seat.")
    seats_free: int = strawberry.field(default=0, description="Seats still free.")
    waitlisted: int = strawberry.field(default=0, description="Children on the waitlist.")
    tutors: list[ClassroomTutorCard] = strawberry.field(
        default_factory=list,
        description="The tutors scheduled.",
        metadata=cost(size=MAX_MEMBERS),  # taken from the classroom's tutors
    )

    @strawberry.field(
        description="Tutors it needs for the children enrolled (the district's "
        "children_per_tutor); more than `tutors` means it is understaffed."
    )
    async def tutors_needed(self, info: Info) -> int:
        settings = await settings_of(info.context).load(self.community_id)
        return max(1, math.ceil(self.enrolled / settings.children_per_tutor))

    @strawberry.field(description="The classroom.")
    async def classroom(self, info: Info) -> Classroom:
        return await by_id(info.context, CLASSROOM).load(self.classroom_id)


@scoped(rules.TUTOR_SCOPE)
@strawberry.type(description="A volunteer tutor and their background check: seen by the tutor and "
                 "the managers of the community they volunteer in and above.")  # fmt: skip
class ClassroomTutor(relay.Node):
    id: relay.NodeID[int]
    kind: TutorKind = strawberry.field(description="Teacher, party member, student, other.")
    check_status: CheckStatus = strawberry.field(description="The background check.")
    checked_at: datetime | None = strawberry.field(description="When it was recorded (UTC).")
    check_note: str = strawberry.field(description="The note recorded with it.")
    version: int = strawberry.field(description="Send it back to record a check.")
    person_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    name: str = strawberry.field(default="", description="The tutor's name.")

    @strawberry.field(
        description="Until when a passed check allows scheduling the tutor (UTC); null unless "
        "PASSED."
    )
    async def check_valid_until(self, info: Info) -> datetime | None:
        settings = await settings_of(info.context).load(self.community_id)
        status = CheckStatus(self.check_status).value
        return valid_until({"check_status": status, "checked_at": self.checked_at}, settings)

    @strawberry.field(description="Whether the tutor may be scheduled now.")
    async def schedulable(self, info: Info) -> bool:
        until = await self.check_valid_until(info)
        return until is not None and until > timing.now()


@strawberry.type(
    description="A lecture or activity in a school or community (精品党课进校园, 护航成长, "
    "小手拉大手) and the families and students it reached. Public."
)
class ClassroomLecture(relay.Node):
    id: relay.NodeID[int]
    kind: LectureKind = strawberry.field(description="LECTURE 讲座 or ACTIVITY 活动.")
    program: LectureProgram = strawberry.field(description="The program it belongs to.")
    title: str = strawberry.field(description="Title.")
    venue_kind: VenueKind = strawberry.field(description="At a school or a community venue.")
    venue: str = strawberry.field(description="The venue, e.g. 鹤岗市第十二小学.")
    speaker: str = strawberry.field(description="Who gives it.")
    starts_at: datetime = strawberry.field(description="When it starts (UTC).")
    status: LectureStatus = strawberry.field(description="PLANNED, HELD or CANCELLED.")
    students: int = strawberry.field(description="Students it reached (once held).")
    families: int = strawberry.field(description="Families it reached (once held).")
    version: int = strawberry.field(description="Send it back to record it.")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(description="Students and families it reached.")
    def beneficiaries(self) -> int:
        return self.students + self.families

    @strawberry.field(description="The community it was in.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, info.context.node_sources["Community"]).load(
            self.community_id
        )


@strawberry.type(description="四点半课堂 figures of a place and period (where the module is on).")
class ClassroomFigures:
    sessions_held: int = strawberry.field(description="Sessions closed as held.")
    children_served: int = strawberry.field(description="Distinct children who came.")
    attendance_rate: float | None = strawberry.field(
        description="Of the confirmed enrolments of those sessions, the share who came."
    )
    tutor_hours: float = strawberry.field(description="Session hours times tutors scheduled.")
    lectures_held: int = strawberry.field(description="Lectures (讲座) held.")
    activities_held: int = strawberry.field(description="Activities (活动) held.")
    lecture_beneficiaries: int = strawberry.field(
        description="Students and families the lectures and activities reached."
    )
    pickups_refused: int = strawberry.field(description="Pick-ups refused (alerts raised).")


async def _classroom_details(classrooms: Sequence[Any]) -> None:
    members = await members_of({c.id for c in classrooms})
    tutors = await models.Tutor.filter(
        person_id__in={p for m in members.values() for p in m["TUTOR"]}
    ).values_list("id", "person_id")
    cards = await _cards(tutors)
    names = await names_of(p for m in members.values() for p in m["STAFF"])
    for classroom in classrooms:
        found = members[classroom.id]
        classroom.staff_ids, classroom.tutor_ids = found["STAFF"], found["TUTOR"]
        classroom.staff = sorted(names[p] for p in found["STAFF"] if p in names)
        classroom.tutors = sorted(
            (cards[p] for p in found["TUTOR"] if p in cards), key=lambda c: c.name
        )


async def _session_details(sessions: Sequence[Any]) -> None:
    """Seats from the engine's slots, waitlists, and the tutors scheduled."""
    slots = {
        row["id"]: row
        for row in await Slot.filter(id__in={s.slot_id for s in sessions}).values(
            "id", "capacity", "confirmed"
        )
    }
    waiting = Counter(
        await BookingRow.filter(slot_id__in=list(slots), status="WAITLISTED").values_list(
            "slot_id", flat=True
        )
    )
    scheduled = await models.SessionTutor.filter(
        session_id__in=[s.id for s in sessions]
    ).values_list("session_id", "tutor_id", "person_id")
    cards = await _cards([(t, p) for _, t, p in scheduled])
    for session in sessions:
        slot = slots[session.slot_id]
        session.seats, session.enrolled = slot["capacity"], slot["confirmed"]
        session.seats_free = max(slot["capacity"] - slot["confirmed"], 0)
        session.waitlisted = waiting.get(session.slot_id, 0)
        session.tutors = sorted(
            (cards[p] for s, _, p in scheduled if s == session.id and p in cards),
            key=lambda c: c.name,
        )


async def _tutor_details(tutors: Sequence[Any]) -> None:
    names = await names_of(t.person_id for t in tutors)
    for tutor in tutors:
        tutor.name = names.get(tutor.person_id, "")


CLASSROOM = NodeSource(Classroom, models.Classroom, enrich=_classroom_details)
TERM = NodeSource(ClassroomTerm, models.Term)
SESSION = NodeSource(ClassroomSession, models.Session, enrich=_session_details)
TUTOR = NodeSource(ClassroomTutor, models.Tutor, enrich=_tutor_details)
LECTURE = NodeSource(ClassroomLecture, models.Lecture)
