"""Visiting experts (省级专家): who came, from which hospital, in which specialty, when, and what
they did — consultations held and surgeries performed, as counts and categories only.

A visit is hosted by a team and belongs to the team's district; the team's doctors and
managers record it and keep its counts up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core import BadUserInput, Conflict, Grant, NotFound, Viewer
from plugins.medical_teams.models import ExpertVisit
from plugins.medical_teams.sessions import organiser_grant
from plugins.medical_teams.teams import team_row

MAX_COUNT = 100_000
MAX_CATEGORIES = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class VisitDetails:
    """What a visit shows; ``None`` in an update keeps the stored value."""

    expert_name: str | None = None
    expert_title: str | None = None
    home_hospital: str | None = None
    specialty: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    consultations: int | None = None
    surgeries: list[tuple[str, int]] | None = None
    """Surgeries performed by category: (category, count) pairs."""


def _text(value: str, argument: str, what: str, longest: int, shortest: int = 1) -> str:
    text = value.strip()
    if not shortest <= len(text) <= longest:
        raise BadUserInput(f"{what} has {shortest}–{longest} characters.", argument=argument)
    return text


def _values(details: VisitDetails) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if details.expert_name is not None:
        values["expert_name"] = _text(details.expert_name, "expertName", "A name", 50)
    if details.expert_title is not None:
        values["expert_title"] = _text(details.expert_title, "expertTitle", "A title", 50, 0)
    if details.home_hospital is not None:
        values["home_hospital"] = _text(details.home_hospital, "homeHospital", "A hospital", 100)
    if details.specialty is not None:
        values["specialty"] = _text(details.specialty, "specialty", "A specialty", 32)
    if details.starts_on is not None:
        values["starts_on"] = details.starts_on
    if details.ends_on is not None:
        values["ends_on"] = details.ends_on
    if details.consultations is not None:
        if not 0 <= details.consultations <= MAX_COUNT:
            raise BadUserInput(f"consultations is 0–{MAX_COUNT}.", argument="consultations")
        values["consultations"] = details.consultations
    if details.surgeries is not None:
        categories: dict[str, int] = {}
        for category, count in details.surgeries:
            name = _text(category, "surgeries", "A surgery category", 32)
            if name in categories or not 1 <= count <= MAX_COUNT:
                raise BadUserInput(
                    f"Each category once, with a count of 1–{MAX_COUNT}.", argument="surgeries"
                )
            categories[name] = count
        if len(categories) > MAX_CATEGORIES:
            raise BadUserInput(f"At most {MAX_CATEGORIES} categories.", argument="surgeries")
        values["surgery_categories"] = [{"category": c, "count": n} for c, n in categories.items()]
        values["surgeries"] = sum(categories.values())
    return values


def _check_dates(starts_on: date, ends_on: date) -> None:
    if not starts_on <= ends_on <= starts_on + timedelta(days=MAX_DAYS):
        raise BadUserInput(
            f"A visit ends on or after its first day, at most {MAX_DAYS} days later.",
            argument="endsOn",
        )


async def record_visit(
    viewer: Viewer | None, team_id: int, details: VisitDetails
) -> tuple[ExpertVisit, Grant]:
    team = await team_row(team_id)
    grant = organiser_grant(viewer, team)
    missing = [n for n in ("expert_name", "home_hospital", "specialty", "starts_on", "ends_on")
               if getattr(details, n) is None]  # fmt: skip
    if missing:
        raise BadUserInput("A visit needs the expert, their hospital, a specialty and its dates.",
                           argument="input")  # fmt: skip
    values = _values(details)
    _check_dates(values["starts_on"], values["ends_on"])
    visit = await ExpertVisit.create(team_id=team_id, district_id=team["district_id"], **values)
    return visit, grant


async def visit_row(visit_id: int) -> ExpertVisit:
    visit = await ExpertVisit.filter(id=visit_id).first()
    if visit is None:
        raise NotFound("No such expert visit.", argument="visitId")
    return visit


async def update_visit(
    viewer: Viewer | None, visit: ExpertVisit, version: int, details: VisitDetails
) -> tuple[ExpertVisit, Grant]:
    grant = organiser_grant(viewer, await team_row(visit.team_id))
    values = _values(details)
    _check_dates(values.get("starts_on", visit.starts_on), values.get("ends_on", visit.ends_on))
    moved = await ExpertVisit.filter(id=visit.id, version=version).update(
        version=version + 1, **values
    )
    if not moved:
        raise Conflict(
            "The visit changed since you read it: reload it.", currentVersion=visit.version
        )
    return await visit_row(visit.id), grant
