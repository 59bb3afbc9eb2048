"""The ladder as an explicit state machine, free of storage: what may happen to a case now.

Levels climb one step at a time, GRID → COMMUNITY → DEPARTMENT → STREET (网格预警调处 →
社区应急处置 → 部门联动执法 → 街道会商攻坚). A case is reported to a level, accepted there,
worked on and resolved; at STREET it is resolved only after a consultation meeting. The reporter
rates a resolution 1–5: 2 or less reopens it one level up (at STREET it stays there), more
closes it. A case whose category names no departments has nobody to be reopened with at
DEPARTMENT: a low rating reopens it at COMMUNITY, where it was resolved, and its community
workers escalate it naming the departments if it needs them. A resolution nobody rates is
closed without a rating. Rejected and closed cases are final.

A case gets a new deadline whenever it lands on a level or is reopened, never otherwise: a
rating that closes it keeps the deadline its resolution was measured against.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from core.errors import BadUserInput


class Level(StrEnum):
    GRID = "GRID"
    COMMUNITY = "COMMUNITY"
    DEPARTMENT = "DEPARTMENT"
    STREET = "STREET"

    def above(self) -> Level:
        """The next level up (STREET is the top and stays)."""
        order = list(Level)
        return order[min(order.index(self) + 1, len(order) - 1)]


class Status(StrEnum):
    """Where a case stands (exported to plugins as ``core.CaseStatus``)."""

    REPORTED = "REPORTED"
    ACCEPTED = "ACCEPTED"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"
    REJECTED = "REJECTED"
    REOPENED = "REOPENED"


class Action(StrEnum):
    ACCEPT = "ACCEPT"
    START = "START"
    ESCALATE = "ESCALATE"
    CONSULT = "CONSULT"
    RESOLVE = "RESOLVE"
    REJECT = "REJECT"
    RATE = "RATE"
    CLOSE = "CLOSE"


OPEN = frozenset({Status.REPORTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED})
FINAL = frozenset({Status.CLOSED, Status.REJECTED})
LOW_RATING = 2


@dataclass(frozen=True)
class CaseState:
    level: Level = Level.GRID
    status: Status = Status.REPORTED
    consulted: bool = False
    """A consultation meeting was recorded at STREET since the case last got there."""


def allowed_actions(state: CaseState) -> list[Action]:
    """Every action that may happen to a case in ``state``, in a stable order."""
    s, level = state.status, state.level
    allowed = []
    if s in (Status.REPORTED, Status.REOPENED):
        allowed.append(Action.ACCEPT)
    if s == Status.ACCEPTED:
        allowed.append(Action.START)
    if s in OPEN and level != Level.STREET:
        allowed.append(Action.ESCALATE)
    if level == Level.STREET and s in (Status.ACCEPTED, Status.IN_PROGRESS):
        allowed.append(Action.CONSULT)
    if s == Status.IN_PROGRESS and (level != Level.STREET or state.consulted):
        allowed.append(Action.RESOLVE)
    if s == Status.REPORTED:
        allowed.append(Action.REJECT)
    if s == Status.RESOLVED:
        allowed += [Action.RATE, Action.CLOSE]
    return allowed


def apply(
    state: CaseState, action: Action, rating: int | None = None, *, has_departments: bool = True
) -> CaseState:
    """The state after ``action``; BAD_USER_INPUT listing the allowed actions if it may not
    happen now. ``has_departments``: the case's category names departments to route it to."""
    allowed = allowed_actions(state)
    if action not in allowed:
        raise BadUserInput(
            f"{action} is not possible while the case is {state.status} at {state.level}; "
            f"possible now: {', '.join(allowed) or 'nothing (the case is final)'}.",
            argument="action",
            allowed=[a.value for a in allowed],
        )
    match action:
        case Action.ACCEPT:
            return replace(state, status=Status.ACCEPTED)
        case Action.START:
            return replace(state, status=Status.IN_PROGRESS)
        case Action.ESCALATE:
            return CaseState(level=state.level.above(), status=Status.REPORTED)
        case Action.CONSULT:
            return replace(state, status=Status.IN_PROGRESS, consulted=True)
        case Action.RESOLVE:
            return replace(state, status=Status.RESOLVED)
        case Action.REJECT:
            return replace(state, status=Status.REJECTED)
        case Action.CLOSE:
            return replace(state, status=Status.CLOSED)
        case Action.RATE:
            if rating is None or not 1 <= rating <= 5:
                raise BadUserInput("A rating is a whole number from 1 to 5.", argument="rating")
            if rating <= LOW_RATING:
                level = state.level.above()
                if level == Level.DEPARTMENT and not has_departments:
                    # The reporter cannot name departments; the community workers can.
                    level = state.level
                return CaseState(level=level, status=Status.REOPENED)
            return replace(state, status=Status.CLOSED)
    raise AssertionError(action)  # pragma: no cover  # every Action is matched above


def takes_new_deadline(before: CaseState, after: CaseState) -> bool:
    """Whether a step from ``before`` to ``after`` starts a new deadline (and ends the grid
    worker's assignment): the case landed on a level or was reopened."""
    return after.level != before.level or after.status == Status.REOPENED
