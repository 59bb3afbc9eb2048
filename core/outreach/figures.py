"""Outreach figures of a place over a period, by SQL aggregation.

For the period [start, end), counting activities by when they start:

- held, by kind: activities held (attendance recorded);
- attendance, by kind and in total: the attendance recorded for them;
- teams active: the teams that held at least one of them;
- planned: activities still PLANNED (upcoming, or past with no attendance recorded yet);
- cancelled: activities cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from core.outreach.kinds import ActivityKind, ActivityStatus
from core.outreach.models import OutreachActivity


@dataclass(frozen=True)
class KindFigures:
    kind: ActivityKind
    held: int
    attendance: int


@dataclass(frozen=True)
class OutreachFigures:
    by_kind: list[KindFigures]
    held: int
    attendance: int
    teams_active: int
    planned: int
    cancelled: int


async def outreach_figures(scope: Q, start: datetime, end: datetime) -> OutreachFigures:
    """The figures of the activities matching ``scope`` (a filter on activities)."""
    period = OutreachActivity.filter(scope, starts_at__gte=start, starts_at__lt=end)
    held = period.filter(status=ActivityStatus.HELD.value)
    rows = (
        await held.annotate(n=Count("id"), people=Sum("attendance"))
        .group_by("kind")
        .values("kind", "n", "people")
    )
    found = {row["kind"]: (int(row["n"]), int(row["people"] or 0)) for row in rows}
    by_kind = [KindFigures(k, *found.get(k.value, (0, 0))) for k in ActivityKind]
    teams = await held.annotate(t=Count("team_id", distinct=True)).values("t")
    return OutreachFigures(
        by_kind=by_kind,
        held=sum(k.held for k in by_kind),
        attendance=sum(k.attendance for k in by_kind),
        teams_active=int(teams[0]["t"]) if teams else 0,
        planned=await period.filter(status=ActivityStatus.PLANNED.value).count(),
        cancelled=await period.filter(status=ActivityStatus.CANCELLED.value).count(),
    )
