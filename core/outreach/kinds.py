"""The kinds of outreach activity and the states an activity goes through."""

from __future__ import annotations

from enum import StrEnum


class ActivityKind(StrEnum):
    """What sort of gathering an activity is."""

    POLICY_TALK = "POLICY_TALK"
    CORRIDOR_CLASS = "CORRIDOR_CLASS"
    COURTYARD_MEETING = "COURTYARD_MEETING"
    STOOL_CLASS = "STOOL_CLASS"


KIND_NAMES: dict[ActivityKind, str] = {
    ActivityKind.POLICY_TALK: "政策宣讲",
    ActivityKind.CORRIDOR_CLASS: "楼道党课",
    ActivityKind.COURTYARD_MEETING: "院落会议",
    ActivityKind.STOOL_CLASS: "小马扎课堂",
}
"""The Chinese name of each kind, as residents know it."""


class ActivityStatus(StrEnum):
    """PLANNED until it is held (attendance recorded) or cancelled."""

    PLANNED = "PLANNED"
    HELD = "HELD"
    CANCELLED = "CANCELLED"
