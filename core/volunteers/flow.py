"""What may happen to a work order in each status, free of storage and of who asks.

REQUESTED → ASSIGNED (to a team; it may be handed to another team while ASSIGNED) → DONE (by a
member of the team, with before and after photos) → CONFIRMED (by the requester). A work order
is CANCELLED before it is done. CONFIRMED and CANCELLED are final.
"""

from __future__ import annotations

from enum import StrEnum

from core.errors import BadUserInput
from core.volunteers.orders import WorkOrderStatus


class WorkOrderAction(StrEnum):
    """A step a work order may take."""

    ASSIGN = "ASSIGN"
    ADD_PHOTOS = "ADD_PHOTOS"
    COMPLETE = "COMPLETE"
    CONFIRM = "CONFIRM"
    CANCEL = "CANCEL"


POSSIBLE: dict[WorkOrderStatus, tuple[WorkOrderAction, ...]] = {
    WorkOrderStatus.REQUESTED: (WorkOrderAction.ASSIGN, WorkOrderAction.CANCEL),
    WorkOrderStatus.ASSIGNED: (
        WorkOrderAction.ASSIGN,
        WorkOrderAction.ADD_PHOTOS,
        WorkOrderAction.COMPLETE,
        WorkOrderAction.CANCEL,
    ),
    WorkOrderStatus.DONE: (WorkOrderAction.CONFIRM,),
    WorkOrderStatus.CONFIRMED: (),
    WorkOrderStatus.CANCELLED: (),
}

AFTER: dict[WorkOrderAction, WorkOrderStatus] = {
    WorkOrderAction.ASSIGN: WorkOrderStatus.ASSIGNED,
    WorkOrderAction.COMPLETE: WorkOrderStatus.DONE,
    WorkOrderAction.CONFIRM: WorkOrderStatus.CONFIRMED,
    WorkOrderAction.CANCEL: WorkOrderStatus.CANCELLED,
}
"""The status each status-changing action leads to (ADD_PHOTOS leaves the status alone)."""


def possible(status: str) -> tuple[WorkOrderAction, ...]:
    """Every action possible in ``status``, in a stable order."""
    return POSSIBLE[WorkOrderStatus(status)]


def step(status: str, action: WorkOrderAction) -> WorkOrderStatus:
    """The status after ``action``; BAD_USER_INPUT listing the possible actions if it may not
    happen now."""
    allowed = possible(status)
    if action not in allowed:
        raise BadUserInput(
            f"{action} is not possible while the work order is {status}; possible now: "
            f"{', '.join(allowed) or 'nothing (the work order is final)'}.",
            argument="workOrderId",
            allowed=[a.value for a in allowed],
        )
    return AFTER.get(action, WorkOrderStatus(status))
