"""Terms and their sessions: generated from a weekly pattern between the term's dates, minus
its holidays and the district's public holidays; then planned (topic, tutors), cancelled or
closed one by one.

Each term is one offering of the core booking engine and each session one slot of it, whose
capacity is the classroom's: enrolment, waitlists and the enrolment cut-off are the engine's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, cast

from core import (
    BadUserInput,
    Booking,
    BookingEngine,
    BookingStatus,
    Conflict,
    Grant,
    NotFound,
    Offering,
    Slot,
    Viewer,
)
from plugins.four_thirty_classroom.classrooms import classroom_row, running_grant
from plugins.four_thirty_classroom.models import Attendance, Session, SessionTutor, Term, Tutor
from plugins.four_thirty_classroom.places import NAME
from plugins.four_thirty_classroom.rules import carer_grant
from plugins.four_thirty_classroom.settings import ClassroomSettings
from plugins.four_thirty_classroom.timing import (
    MAX_HOLIDAYS,
    MAX_TERM_DAYS,
    Holiday,
    at,
    local_day,
    parse_hhmm,
    term_days,
)
from plugins.four_thirty_classroom.tutors import check_problem
from schema import global_id

KIND = "after_school"
DEFAULT_TOPIC = "作业辅导与安全看护"
SCHEDULED, HELD, CANCELLED = "SCHEDULED", "HELD", "CANCELLED"


@dataclass
class TermPlan:
    name: str
    starts_on: date
    ends_on: date
    weekdays: list[int] | None = None
    holidays: list[Holiday] = field(default_factory=list)
    session_start: str | None = None
    session_end: str | None = None
    topic: str | None = None


@dataclass(frozen=True)
class Scheduled:
    term_id: int
    sessions: int
    skipped_days: list[date]
    """Days of the pattern left out because the classroom already has a session then."""


def _times(plan: TermPlan, settings: ClassroomSettings) -> tuple[time, time]:
    starts = parse_hhmm(plan.session_start, "sessionStart") if plan.session_start else None
    ends = parse_hhmm(plan.session_end, "sessionEnd") if plan.session_end else None
    starts, ends = starts or settings.session_start, ends or settings.session_end
    if ends <= starts:
        raise BadUserInput("A session ends after it starts.", argument="sessionEnd")
    return starts, ends


def _checked_plan(plan: TermPlan, settings: ClassroomSettings, today: date) -> list[int]:
    if not 1 <= len(plan.name.strip()) <= 100:
        raise BadUserInput("A name of 1–100 characters.", argument="name")
    if plan.ends_on < plan.starts_on:
        raise BadUserInput("A term ends on or after its first day.", argument="endsOn")
    if (plan.ends_on - plan.starts_on).days >= MAX_TERM_DAYS:
        raise BadUserInput(f"A term lasts at most {MAX_TERM_DAYS} days.", argument="endsOn")
    if plan.ends_on < today:
        raise BadUserInput("The term is over already.", argument="endsOn")
    weekdays = sorted(set(plan.weekdays if plan.weekdays is not None else settings.weekdays))
    if not weekdays or any(d not in range(1, 8) for d in weekdays):
        raise BadUserInput("Weekdays 1 (Monday) to 7 (Sunday), at least one.", argument="weekdays")
    if len(plan.holidays) > MAX_HOLIDAYS:
        raise BadUserInput(
            f"At most {MAX_HOLIDAYS} holidays (each a range of days).", argument="holidays",
            max=MAX_HOLIDAYS,
        )  # fmt: skip
    for holiday in plan.holidays:
        if holiday.last < holiday.first or len(holiday.name) > 50:
            raise BadUserInput(
                "A holiday runs from a day to the same or a later day, with a name of at most "
                "50 characters.", argument="holidays",
            )  # fmt: skip
    if plan.topic is not None and not 1 <= len(plan.topic.strip()) <= 200:
        raise BadUserInput("A topic of 1–200 characters.", argument="topic")
    return weekdays


async def schedule_term(
    viewer: Viewer | None, classroom_id: int, plan: TermPlan, settings: ClassroomSettings,
    zone: str, now: datetime,
) -> tuple[Scheduled, Grant]:  # fmt: skip
    """Record a term and generate its sessions (the classroom's staff and managers)."""
    classroom = await classroom_row(classroom_id)
    grant = running_grant(viewer, classroom, "Scheduling a term")
    assert viewer is not None
    if not classroom["active"]:
        raise BadUserInput("The classroom is closed.", argument="classroomId")
    weekdays = _checked_plan(plan, settings, local_day(now, zone))
    starts, ends = _times(plan, settings)
    topic = (plan.topic or DEFAULT_TOPIC).strip()
    taken = set(
        await Session.filter(
            classroom_id=classroom_id, day__gte=plan.starts_on, day__lte=plan.ends_on
        ).values_list("day", flat=True)
    )
    days: list[date] = []
    skipped: list[date] = []
    for day in term_days(plan.starts_on, plan.ends_on, weekdays, plan.holidays,
                         settings.public_holidays):  # fmt: skip
        if at(day, starts, zone) <= now:
            continue
        (skipped if day in taken else days).append(day)
    if not days:
        raise BadUserInput(
            "The term has no session days left: check its dates, weekdays and holidays.",
            argument="startsOn",
        )
    place = {k: classroom[k] for k in ("district_id", "street_id", "community_id")}
    offering = await Offering.create(
        owner=NAME, kind=KIND, title=f"{classroom['name']} {plan.name.strip()}",
        cutoff_minutes=settings.enrol_cutoff_minutes, per_person_limit=len(days),
        waitlist=settings.waitlist, **place,
    )  # fmt: skip
    term = await Term.create(
        classroom_id=classroom_id, name=plan.name.strip(), starts_on=plan.starts_on,
        ends_on=plan.ends_on, weekdays=weekdays, holidays=[h.as_json() for h in plan.holidays],
        session_start=f"{starts:%H:%M}", session_end=f"{ends:%H:%M}", topic=topic,
        offering_id=offering.id, created_by_id=viewer.person_id, **place,
    )  # fmt: skip
    for day in days:
        begins, finishes = at(day, starts, zone), at(day, ends, zone)
        slot = await Slot.create(
            offering_id=offering.id, starts_at=begins, ends_at=finishes,
            capacity=classroom["capacity"],
        )  # fmt: skip
        await Session.create(
            classroom_id=classroom_id, term_id=term.id, day=day, starts_at=begins,
            ends_at=finishes, topic=topic, slot_id=slot.id, offering_id=offering.id, **place,
        )  # fmt: skip
    return Scheduled(term.id, len(days), skipped), grant


async def session_row(session_id: int) -> dict[str, Any]:
    """A session's columns with its classroom's member ids (what the rules read)."""
    row = await Session.filter(id=session_id).first().values()
    if row is None:
        raise NotFound("No such session.", argument="sessionId")
    classroom = await classroom_row(row["classroom_id"])
    for key in ("staff_ids", "tutor_ids", "member_ids", "capacity", "name", "active"):
        row[f"classroom_{key}" if key in ("capacity", "name", "active") else key] = classroom[key]
    return row


async def plan_session(
    viewer: Viewer | None, session_id: int, version: int, topic: str | None,
    tutor_ids: list[int] | None, settings: ClassroomSettings, now: datetime,
) -> tuple[dict[str, Any], Grant]:  # fmt: skip
    """Set a session's topic and tutors (the classroom's staff and managers). Every tutor must
    be on the classroom's tutor list with a background check that passed and is still valid."""
    row = await session_row(session_id)
    grant = running_grant(viewer, row, "Planning a session")
    if row["status"] != SCHEDULED or row["ends_at"] <= now:
        raise BadUserInput(f"The session is {_state(row, now)}.", argument="sessionId")
    values: dict[str, Any] = {}
    if topic is not None:
        if not 1 <= len(topic.strip()) <= 200:
            raise BadUserInput("A topic of 1–200 characters.", argument="topic")
        values["topic"] = topic.strip()
    people: dict[int, int] = {}
    if tutor_ids is not None:
        wanted = list(dict.fromkeys(tutor_ids))
        tutors = {t["id"]: t for t in await Tutor.filter(id__in=wanted).values()}
        for tutor_id in wanted:
            tutor = tutors.get(tutor_id)
            named = global_id("ClassroomTutor", tutor_id)
            if tutor is None:
                raise NotFound(
                    "No such tutor.",
                    argument="tutorIds",
                    tutorId=named,
                )
            problem = check_problem(tutor, settings, now)
            if problem is not None:
                raise BadUserInput(problem, argument="tutorIds", tutorId=named,
                                   checkStatus=tutor["check_status"])  # fmt: skip
            if tutor["person_id"] not in row["tutor_ids"]:
                raise BadUserInput(
                    "Only tutors on the classroom's tutor list are scheduled "
                    "(setClassroomTutors).", argument="tutorIds", tutorId=named,
                )  # fmt: skip
            people[tutor_id] = tutor["person_id"]
    if row["version"] != version:
        raise _stale(row["version"])
    moved = await Session.filter(id=session_id, version=version).update(
        version=version + 1, **values
    )
    if not moved:
        raise _stale(version + 1)
    if tutor_ids is not None:
        await SessionTutor.filter(session_id=session_id).exclude(tutor_id__in=list(people)).delete()
        have = set(
            await SessionTutor.filter(session_id=session_id).values_list("tutor_id", flat=True)
        )
        await SessionTutor.bulk_create(
            [SessionTutor(session_id=session_id, tutor_id=t, person_id=p)
             for t, p in people.items() if t not in have]
        )  # fmt: skip
    return await session_row(session_id), grant


async def cancel_session(
    viewer: Viewer | None, session_id: int, version: int, note: str,
    now: Callable[[], datetime],
) -> tuple[dict[str, Any], Grant, int]:  # fmt: skip
    """Cancel a session that has not started (staff and managers): every enrolment in it is
    cancelled. Returns the session, the grant and how many enrolments were cancelled."""
    row = await session_row(session_id)
    grant = running_grant(viewer, row, "Cancelling a session")
    if row["status"] != SCHEDULED or row["starts_at"] <= now():
        raise BadUserInput(f"The session is {_state(row, now())}.", argument="sessionId")
    if len(note) > 300:
        raise BadUserInput("A note of at most 300 characters.", argument="note")
    if row["version"] != version:
        raise _stale(row["version"])
    moved = await Session.filter(id=session_id, version=version, status=SCHEDULED).update(
        version=version + 1, status=CANCELLED, note=note.strip()
    )
    if not moved:
        raise _stale(version + 1)
    # No seat is freed for the waitlist of a cancelled session.
    await Slot.filter(id=row["slot_id"]).update(capacity=0)
    engine = BookingEngine(now=now)
    active = cast(
        list[int],
        await Booking.filter(
            slot_id=row["slot_id"],
            status__in=[BookingStatus.CONFIRMED.value, BookingStatus.WAITLISTED.value],
        ).values_list("id", flat=True),
    )
    for booking_id in active:
        await engine.cancel(booking_id)
    return await session_row(session_id), grant, len(active)


async def close_session(
    viewer: Viewer | None, session_id: int, now: Callable[[], datetime]
) -> tuple[dict[str, Any], Grant, int]:
    """Close a session after it ended (its staff, tutors and managers): it counts as held and
    enrolled children who never came become NO_SHOW. Refused while a child checked in has not
    been picked up."""
    row = await session_row(session_id)
    grant = carer_grant(viewer, row) or running_grant(viewer, row, "Closing a session")
    if row["status"] != SCHEDULED:
        raise BadUserInput(f"The session is {row['status']}.", argument="sessionId")
    if row["ends_at"] > now():
        raise BadUserInput(
            "A session is closed once it has ended.", argument="sessionId",
            endsAt=row["ends_at"].isoformat(),
        )  # fmt: skip
    in_care = await Attendance.filter(
        session_id=session_id, checked_in_at__isnull=False, checked_out_at__isnull=True
    ).count()
    if in_care:
        raise BadUserInput(
            f"{in_care} child(ren) checked in have not been picked up yet: check them out to "
            "an authorised adult first.", argument="sessionId", stillInCare=in_care,
        )  # fmt: skip
    moved = await Session.filter(id=session_id, status=SCHEDULED).update(
        status=HELD, version=row["version"] + 1
    )
    if not moved:
        raise Conflict("The session changed meanwhile: reload it.", argument="sessionId")
    no_shows = await BookingEngine(now=now).mark_no_shows(row["slot_id"])
    return await session_row(session_id), grant, no_shows


def _state(row: dict[str, Any], now: datetime) -> str:
    if row["status"] != SCHEDULED:
        return row["status"]
    return "over" if row["ends_at"] <= now else "under way"


def _stale(current: int) -> Conflict:
    return Conflict("The session changed since you read it: reload it.", currentVersion=current)
