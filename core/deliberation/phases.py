"""What a topic is about, who proposed an option, and where a topic stands.

Only OPEN, DECIDED and CANCELLED are stored; the phase a client sees follows from the stored
status and the clock (PROPOSING before the voting window, VOTING inside it, COUNTING after it
until somebody decides), so no job has to move topics along when their window opens or closes.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from tortoise.expressions import Q


class Subject(StrEnum):
    """What a topic is about."""

    GREENING = "GREENING"
    GARBAGE_COLLECTION = "GARBAGE_COLLECTION"
    FITNESS_EQUIPMENT = "FITNESS_EQUIPMENT"
    ELDERLY_CANTEEN = "ELDERLY_CANTEEN"
    PARKING = "PARKING"
    PROPERTY = "PROPERTY"
    OTHER = "OTHER"


SUBJECT_NAMES: dict[Subject, str] = {
    Subject.GREENING: "绿化: greening, trees and lawns",
    Subject.GARBAGE_COLLECTION: "垃圾清运: garbage collection and sorting",
    Subject.FITNESS_EQUIPMENT: "健身器材: outdoor fitness equipment",
    Subject.ELDERLY_CANTEEN: "老年食堂: the elderly canteen",
    Subject.PARKING: "停车: parking",
    Subject.PROPERTY: "物业: property management",
    Subject.OTHER: "其他: anything else",
}


class ProposerKind(StrEnum):
    """On whose behalf an option was put forward."""

    RESIDENT = "RESIDENT"
    PROPERTY_COMPANY = "PROPERTY_COMPANY"
    PARTY_MEMBER = "PARTY_MEMBER"


PROPOSER_NAMES: dict[ProposerKind, str] = {
    ProposerKind.RESIDENT: "居民: a resident of the place",
    ProposerKind.PROPERTY_COMPANY: "物业公司: the property company (entered by staff)",
    ProposerKind.PARTY_MEMBER: "党员: a Party member or the Party organisation (entered by staff)",
}


class Status(StrEnum):
    """What is stored. Any other stored value (an older VOTING, say) counts as OPEN: the
    phase of an open topic comes from its window, never from its status."""

    OPEN = "OPEN"
    DECIDED = "DECIDED"
    CANCELLED = "CANCELLED"


FINAL = (Status.DECIDED.value, Status.CANCELLED.value)
"""Stored statuses of a topic that is no longer open."""


class Phase(StrEnum):
    """Where a topic stands now."""

    PROPOSING = "PROPOSING"
    VOTING = "VOTING"
    COUNTING = "COUNTING"
    DECIDED = "DECIDED"
    CANCELLED = "CANCELLED"


PHASE_NAMES: dict[Phase, str] = {
    Phase.PROPOSING: "征集方案: options are proposed; voting has not opened yet",
    Phase.VOTING: "投票中: inside the voting window",
    Phase.COUNTING: "计票: voting has closed and the decision is awaited",
    Phase.DECIDED: "已决议: the decision is recorded",
    Phase.CANCELLED: "已取消: cancelled before a decision",
}


def phase_of(status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> Phase:
    """The phase of a topic with this stored status and voting window at ``now``. The window
    includes its opening instant and excludes its closing one."""
    if status == Status.CANCELLED:
        return Phase.CANCELLED
    if status == Status.DECIDED:
        return Phase.DECIDED
    if now < opens_at:
        return Phase.PROPOSING
    if now < closes_at:
        return Phase.VOTING
    return Phase.COUNTING


def results_shown(
    status: str, closes_at: datetime, decided_at: datetime | None, now: datetime
) -> bool:
    """Whether vote counts may be shown: only once voting has closed, so that nobody follows
    the crowd. A topic cancelled before its window closed never shows them."""
    if now < closes_at:
        return False
    if status == Status.CANCELLED:
        return decided_at is not None and decided_at >= closes_at
    return True


def phase_filter(phase: Phase, now: datetime) -> Q:
    """The topics in ``phase`` at ``now``, as a filter (the SQL twin of :func:`phase_of`)."""
    if phase in (Phase.DECIDED, Phase.CANCELLED):
        return Q(status=phase.value)
    is_open = ~Q(status__in=FINAL)
    if phase == Phase.PROPOSING:
        return is_open & Q(voting_opens_at__gt=now)
    if phase == Phase.VOTING:
        return is_open & Q(voting_opens_at__lte=now, voting_closes_at__gt=now)
    return is_open & Q(voting_closes_at__lte=now)
