"""The module's figures for a place and a period, by SQL aggregation: counts only.

- *sessions* held or planned (not cancelled) that start in the period, by kind and place type;
- *people served*: residents checked in at those sessions plus the walk-ins recorded;
- *teams active*: teams with such a session there;
- *consultations* recorded at those sessions, how many carried a *referral*, how many referrals
  became *follow-up cases* and how many of those are resolved or closed;
- *expert visits* starting in the period, distinct *experts*, the consultations they held and
  the *surgeries* they performed by category. Visits belong to a district: below district
  level these are null.

Nothing here reads a record's health fields: the figures are the same for every viewer and
carry no text of any record.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.expressions import Q
from tortoise.functions import Count

from core import Booking, BookingStatus
from plugins.medical_teams.models import Consultation, ExpertVisit, Session
from plugins.medical_teams.sessions import SessionStatus

RESOLVED = ("RESOLVED", "CLOSED")


@dataclass(frozen=True)
class SessionCount:
    kind: str
    place_type: str
    sessions: int
    people_served: int


@dataclass(frozen=True)
class ExpertFigures:
    visits: int
    experts: int
    consultations: int
    surgeries: int
    surgeries_by_category: list[tuple[str, int]]


@dataclass(frozen=True)
class Figures:
    sessions: int
    by_kind: list[SessionCount]
    people_served: int
    teams_active: int
    consultations: int
    referrals: int
    follow_up_cases: int
    follow_ups_resolved: int


async def session_figures(where: Q, start: datetime, end: datetime) -> list[SessionCount]:
    rows = (
        await Session.filter(where, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=SessionStatus.CANCELLED.value)
        .values("slot_id", "kind", "place_type", "walk_ins", "team_id")
    )
    checked_in = dict(
        await Booking.filter(
            slot_id__in=[r["slot_id"] for r in rows], status=BookingStatus.CHECKED_IN.value
        )
        .annotate(n=Count("id"))
        .group_by("slot_id")
        .values_list("slot_id", "n")
    )
    sessions: Counter[tuple[str, str]] = Counter()
    served: Counter[tuple[str, str]] = Counter()
    for row in rows:
        key = (row["kind"], row["place_type"])
        sessions[key] += 1
        served[key] += int(checked_in.get(row["slot_id"], 0)) + row["walk_ins"]
    return [SessionCount(k, p, sessions[(k, p)], served[(k, p)]) for k, p in sorted(sessions)]


async def expert_figures(where: Q, first_day: date, end_day: date) -> ExpertFigures:
    """Expert visits starting in [first_day, end_day), of the district ``where`` selects."""
    rows = await ExpertVisit.filter(where, starts_on__gte=first_day, starts_on__lt=end_day).values(
        "expert_name", "home_hospital", "consultations", "surgeries", "surgery_categories"
    )
    by_category: Counter[str] = Counter()
    for row in rows:
        for item in row["surgery_categories"] or []:
            by_category[item["category"]] += int(item["count"])
    return ExpertFigures(
        visits=len(rows),
        experts=len({(r["expert_name"], r["home_hospital"]) for r in rows}),
        consultations=sum(r["consultations"] for r in rows),
        surgeries=sum(r["surgeries"] for r in rows),
        surgeries_by_category=sorted(by_category.items(), key=lambda c: (-c[1], c[0])),
    )


async def figures(where: Q, start: datetime, end: datetime) -> Figures:
    """``where`` selects the sessions and records of the place (and leaves out places where
    the module is off)."""
    by_kind = await session_figures(where, start, end)
    teams = (
        await Session.filter(where, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=SessionStatus.CANCELLED.value)
        .distinct()
        .values_list("team_id", flat=True)
    )
    records = Consultation.filter(where, session__starts_at__gte=start, session__starts_at__lt=end)
    return Figures(
        sessions=sum(c.sessions for c in by_kind),
        by_kind=by_kind,
        people_served=sum(c.people_served for c in by_kind),
        teams_active=len(set(teams)),
        consultations=await records.count(),
        referrals=await records.filter(referral__not_isnull=True).count(),
        follow_up_cases=await records.filter(case_id__not_isnull=True).count(),
        follow_ups_resolved=await records.filter(case_status__in=RESOLVED).count(),
    )
