"""``outreachFigures``: what the outreach teams did at a place over a period."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.errors import BadUserInput, Forbidden, NotFound
from core.outreach.figures import outreach_figures
from core.outreach.kinds import KIND_NAMES
from core.outreach.services import aware
from schema.access.permissions import IsAuthenticated
from schema.cases.metrics import PLACE_FIGURES, PLACES
from schema.context import Context
from schema.ids import key_of, type_name_of
from schema.outreach.types import OutreachKind


@strawberry.type(description="The activities of one kind held in the period.")
class OutreachKindFigures:
    kind: OutreachKind = strawberry.field(description="The kind.")
    kind_name: str = strawberry.field(description="Its Chinese name, e.g. 楼道党课.")
    held: int = strawberry.field(description="Activities of this kind held.")
    attendance: int = strawberry.field(description="People who came to them, in total.")


@strawberry.type(
    description="Outreach at a place over a period, counting activities by when they start."
)
class OutreachFigures:
    by_kind: list[OutreachKindFigures] = strawberry.field(
        description="Held activities and their attendance, for every kind (zeros included)."
    )
    held: int = strawberry.field(description="Activities held (attendance recorded).")
    attendance: int = strawberry.field(description="People who came to them, in total.")
    teams_active: int = strawberry.field(
        description="Teams that held at least one activity at the place in the period."
    )
    planned: int = strawberry.field(
        description="Activities still PLANNED: upcoming, or past without recorded attendance."
    )
    cancelled: int = strawberry.field(description="Activities cancelled.")


@strawberry.type
class OutreachFiguresQuery:
    @strawberry.field(
        description="Outreach figures for [from, to) at a district, street or community: for "
        "the roles at that place or above it (as for `caseMetrics`).",
        permission_classes=[IsAuthenticated],
    )
    async def outreach_figures(
        self,
        info: Info,
        place_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="A District, Street or Community id."),
        ],
        start: Annotated[
            datetime,
            strawberry.argument(name="from", description="Start (inclusive), with an offset."),
        ],
        end: Annotated[
            datetime,
            strawberry.argument(name="to", description="End (exclusive), with an offset."),
        ],
    ) -> OutreachFigures:
        context: Context = info.context
        aware(start, "from")
        aware(end, "to")
        if end <= start:
            raise BadUserInput("The period must end after it starts.", argument="to")
        f = await outreach_figures(await _place_scope(context, place_id), start, end)
        return OutreachFigures(
            by_kind=[
                OutreachKindFigures(
                    kind=OutreachKind[k.kind.value],
                    kind_name=KIND_NAMES[k.kind],
                    held=k.held,
                    attendance=k.attendance,
                )
                for k in f.by_kind
            ],
            held=f.held,
            attendance=f.attendance,
            teams_active=f.teams_active,
            planned=f.planned,
            cancelled=f.cancelled,
        )


async def _place_scope(context: Context, place_id: str) -> Q:
    """The activities of the place, if the viewer's roles reach it (the place resolution of
    ``caseMetrics``; activities have no grid, so grids are refused)."""
    kind = type_name_of(place_id, what="place")
    if kind not in PLACES:
        raise NotFound("No such place.", argument="placeId")
    if kind == "Grid":
        raise BadUserInput(
            "Outreach figures are kept by district, street and community.", argument="placeId"
        )
    level, model = PLACES[kind]
    row = await model.filter(id=key_of(place_id, kind, what="place")).first()
    if row is None:
        raise NotFound("No such place.", argument="placeId")
    place = {f"{lvl}_id": getattr(row, f"{lvl}_id", None) for lvl in ("district", "street")}
    place[f"{level}_id"] = row.id
    if PLACE_FIGURES.covering_grant(context.viewer, place) is None:
        raise Forbidden("These figures are for the roles at that place or above it.")
    lookup: dict[str, Any] = {f"{level}_id": row.id}
    return Q(**lookup)
