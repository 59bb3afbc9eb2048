"""The module's figures for a place and a period [start, end), by SQL aggregation.

- *sessions held*: sessions closed as held that started in the period;
- *children served*: distinct children checked in at those sessions;
- *attendance rate*: of the enrolments confirmed for those sessions, the share checked in
  (the rest were no-shows); null without any;
- *tutor hours*: the length of each of those sessions times its scheduled tutors;
- *lectures held*, *activities held*: recorded as held, started in the period;
- *lecture beneficiaries*: the students and families those lectures and activities reached;
- *pick-ups refused*: alerts raised in the period.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count, Sum

from plugins.four_thirty_classroom.models import (
    Attendance,
    Lecture,
    PickupAlert,
    Session,
    SessionTutor,
)


@dataclass(frozen=True)
class Figures:
    sessions_held: int
    children_served: int
    attendance_rate: float | None
    tutor_hours: float
    lectures_held: int
    activities_held: int
    lecture_beneficiaries: int
    pickups_refused: int


async def figures(where: Q, start: datetime, end: datetime) -> Figures:
    """``where`` selects the rows of the place (and leaves out places where the module is off)."""
    held = Session.filter(where, status="HELD", starts_at__gte=start, starts_at__lt=end)
    sessions = await held.values("id", "starts_at", "ends_at")
    tutors = Counter(
        await SessionTutor.filter(session_id__in=Subquery(held.values("id"))).values_list(
            "session_id", flat=True
        )
    )
    hours = sum(
        (s["ends_at"] - s["starts_at"]).total_seconds() / 3600 * tutors[s["id"]] for s in sessions
    )
    enrolled = Attendance.filter(where, session_id__in=Subquery(held.values("id")))
    came = enrolled.filter(checked_in_at__isnull=False)
    served = await came.annotate(n=Count("child_id", distinct=True)).first().values("n")
    expected = await enrolled.filter(booking__status__in=["CHECKED_IN", "NO_SHOW"]).count()
    attended = await came.count()
    lectures = (
        await Lecture.filter(where, status="HELD", starts_at__gte=start, starts_at__lt=end)
        .annotate(n=Count("id"), students_=Sum("students"), families_=Sum("families"))
        .group_by("kind")
        .values("kind", "n", "students_", "families_")
    )
    by_kind = {row["kind"]: row for row in lectures}
    return Figures(
        sessions_held=len(sessions),
        children_served=int(served["n"] or 0) if served else 0,
        attendance_rate=round(attended / expected, 4) if expected else None,
        tutor_hours=round(hours, 2),
        lectures_held=int(by_kind.get("LECTURE", {}).get("n") or 0),
        activities_held=int(by_kind.get("ACTIVITY", {}).get("n") or 0),
        lecture_beneficiaries=sum(
            int(row["students_"] or 0) + int(row["families_"] or 0) for row in lectures
        ),
        pickups_refused=await PickupAlert.filter(
            where, raised_at__gte=start, raised_at__lt=end
        ).count(),
    )
