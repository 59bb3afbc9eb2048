"""``caseMetrics``: the case figures of a place, a department or a worker over a period."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.access.scope import ScopeRule
from core.cases.metrics import case_figures
from core.errors import BadUserInput, Forbidden, NotFound
from core.regions.models import Community, District, Grid, Street
from schema.access.permissions import IsAuthenticated
from schema.context import Context
from schema.ids import key_of, type_name_of

PLACES = {"District": ("district", District), "Street": ("street", Street),
          "Community": ("community", Community), "Grid": ("grid", Grid)}  # fmt: skip

# Figures of a place are for the roles at that place or above it.
PLACE_FIGURES = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER",
                     "GRID_WORKER"}),
)  # fmt: skip


@strawberry.type(description="A count under a key (a level, a category, a source).")
class KeyCount:
    key: str = strawberry.field(description="The level, category code or source.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(description="Case figures over a period; the README defines each one.")
class CaseMetrics:
    received: int = strawberry.field(description="Cases reported in the period.")
    resolved: int = strawberry.field(description="Cases with a resolution in the period.")
    closed: int = strawberry.field(description="Cases closed in the period.")
    rejected: int = strawberry.field(description="Cases received in the period, now rejected.")
    completion_rate: float | None = strawberry.field(
        description="办结率: of the cases received and not rejected, the share now resolved or "
        "closed (null with none received)."
    )
    on_time_rate: float | None = strawberry.field(
        description="Of the cases last resolved in the period, the share resolved before the "
        "deadline of their level."
    )
    escalations: list[KeyCount] = strawberry.field(description="Escalations by the level reached.")
    average_satisfaction: float | None = strawberry.field(
        description="Mean rating (1–5) of the rated cases closed in the period."
    )
    by_category: list[KeyCount] = strawberry.field(description="Received, by category.")
    by_source: list[KeyCount] = strawberry.field(description="Received, by source.")


def _counts(values: dict[str, int]) -> list[KeyCount]:
    return [KeyCount(key=k, count=v) for k, v in sorted(values.items())]


@strawberry.type
class CaseMetricsQuery:
    @strawberry.field(
        description="Case figures for [from, to): of a place (district, street, community or "
        "grid id), a department, or a worker (a person id); with none, the whole city (city "
        "admins only). Roles see the figures of their place and what lies inside it.",
        permission_classes=[IsAuthenticated],
    )
    async def case_metrics(
        self,
        info: Info,
        start: Annotated[
            datetime, strawberry.argument(name="from", description="Start (inclusive).")
        ],
        end: Annotated[datetime, strawberry.argument(name="to", description="End (exclusive).")],
        place_id: strawberry.ID | None = None,
        department_id: strawberry.ID | None = None,
        worker_id: strawberry.ID | None = None,
    ) -> CaseMetrics:
        context: Context = info.context
        if end <= start:
            raise BadUserInput("The period must end after it starts.", argument="end")
        if sum(x is not None for x in (place_id, department_id, worker_id)) > 1:
            raise BadUserInput("Give a place, a department or a worker, not several.")
        scope = await _scope(context, place_id, department_id, worker_id)
        f = await case_figures(scope, start, end)
        return CaseMetrics(
            received=f.received, resolved=f.resolved, closed=f.closed, rejected=f.rejected,
            completion_rate=f.completion_rate, on_time_rate=f.on_time_rate,
            escalations=_counts(f.escalations), average_satisfaction=f.average_satisfaction,
            by_category=_counts(f.by_category), by_source=_counts(f.by_source),
        )  # fmt: skip


async def _scope(
    context: Context, place_id: str | None, department_id: str | None, worker_id: str | None
) -> Q:
    viewer = context.viewer
    city = bool(viewer and viewer.with_role("CITY_ADMIN"))
    if place_id is not None:
        kind = type_name_of(place_id, what="place")
        if kind not in PLACES:
            raise NotFound("No such place.")
        level, model = PLACES[kind]
        row = await model.filter(id=key_of(place_id, kind, what="place")).first()
        if row is None:
            raise NotFound("No such place.")
        place = {
            f"{lvl}_id": getattr(row, f"{lvl}_id", None)
            for lvl in ("district", "street", "community")
        }
        place[f"{level}_id"] = row.id
        if PLACE_FIGURES.covering_grant(viewer, place) is None:
            raise Forbidden("These figures are for the roles at that place or above it.")
        lookup: dict[str, Any] = {f"{level}_id": row.id}
        return Q(**lookup)
    if department_id is not None:
        key = key_of(department_id, "Department", what="department")
        mine = viewer is not None and any(
            g.department_id == key for g in viewer.with_role("DEPARTMENT_OFFICER")
        )
        if not (city or mine):
            raise Forbidden("These figures are for the department's officers and city admins.")
        return Q(departments__department_id=key)
    if worker_id is not None:
        key = key_of(worker_id, "Person", what="person")
        if not (city or (viewer is not None and viewer.person_id == key)):
            raise Forbidden("A worker's figures are for the worker and city admins.")
        return Q(assignee_id=key)
    if not city:
        raise Forbidden("City-wide figures are for city admins.")
    return Q()
