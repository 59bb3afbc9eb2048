"""A read-only view of cases for plugins: what a case is about and where it stands now.

Plugins react to case events (``on_case_event``) and often need more than the event says: who
reported the case, from which source, where it is. They read it here rather than from the
``Case`` model, which is core's to change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from core.cases.machine import Status
from core.cases.models import Case


@dataclass(frozen=True)
class CaseFacts:
    """One case as it is now. ``reporter_id`` is the reporting person (also for anonymous
    reports: never show it to others); ``duplicate_of_id`` is set when the case was rejected
    as a repeat of that one."""

    id: int
    category: str
    source: str
    level: str
    status: Status
    reporter_id: int | None
    district_id: int
    street_id: int
    community_id: int
    grid_id: int
    duplicate_of_id: int | None
    created_at: datetime
    resolved_at: datetime | None


_COLUMNS = tuple(CaseFacts.__dataclass_fields__)


async def case_facts(case_ids: Iterable[int]) -> dict[int, CaseFacts]:
    """The facts of the cases that exist among ``case_ids``, by id (one statement)."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return {}
    rows = await Case.filter(id__in=wanted).values(*_COLUMNS)
    return {row["id"]: CaseFacts(**{**row, "status": Status(row["status"])}) for row in rows}
