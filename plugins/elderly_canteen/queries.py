"""Root queries of the canteen module, and the figures it adds to districts, streets and
communities. Lists filter by the module switch and the viewer's scope before paging."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, cast

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import Info
from tortoise.expressions import Q

from core import BadUserInput, District, NotFound, Street
from core import Community as CommunityRow
from plugins.elderly_canteen import accounts, rules
from plugins.elderly_canteen.figures import figures
from plugins.elderly_canteen.models import Canteen as CanteenRow
from plugins.elderly_canteen.models import CanteenStaff
from plugins.elderly_canteen.places import NAME, settings_at, zone
from plugins.elderly_canteen.reports import (
    CanteenElderReportLine,
    CanteenElderStatement,
    CanteenFigures,
    CanteenReportLine,
    CanteenStatementLine,
    CanteenSubsidyReport,
    figures_type,
    tally,
)
from plugins.elderly_canteen.timing import at, parse_month
from plugins.elderly_canteen.types import (
    CANTEEN,
    ELDER,
    MEAL,
    Canteen,
    CanteenElder,
    CanteenMeal,
    MealKind,
    MealMode,
)
from schema import (
    Connection,
    Context,
    IsAuthenticated,
    PageArgs,
    by_id,
    cost,
    global_id,
    key_of,
    make_connection,
    module_filter,
    scoped_connection,
)

PLACE_TYPES = ("District", "Street", "Community", "Canteen")
FIRST = strawberry.argument(description="How many items to return (at most 100).")
AFTER = strawberry.argument(description="Return items after this cursor (`endCursor`).")
FirstArg = Annotated[int, FIRST]
AfterArg = Annotated[str | None, AFTER]


def parse_place(place_id: str) -> tuple[str, int]:
    """The type and key of a District, Street, Community or Canteen global id."""
    try:
        parsed = relay.GlobalID.from_id(place_id)
        if parsed.type_name in PLACE_TYPES:
            return parsed.type_name, int(parsed.node_id)
    except (GlobalIDValueError, ValueError):
        pass
    raise NotFound("No such place.", argument="placeId")


async def place_row(kind: str, key: int) -> dict[str, Any]:
    """The place columns and name of a district, street, community or canteen."""
    model: Any = {
        "District": District,
        "Street": Street,
        "Community": CommunityRow,
        "Canteen": CanteenRow,
    }[kind]
    row = await model.filter(id=key).first().values()
    if row is None:
        raise NotFound("No such place.", argument="placeId")
    columns = {
        "district_id": row["id"] if kind == "District" else row["district_id"],
        "street_id": row["id"] if kind == "Street" else row.get("street_id"),
        "community_id": row["id"] if kind == "Community" else row.get("community_id"),
        "name": row["name"],
        "kind": kind,
        "id": key,
    }
    if kind == "Canteen":
        columns["staff_ids"] = frozenset(
            await CanteenStaff.filter(canteen_id=key).values_list("person_id", flat=True)
        )
    return columns


def place_q(place: dict[str, Any]) -> Q:
    """Rows of the canteen tables (canteens, elders, meals...) at a region place."""
    column = {"District": "district_id", "Street": "street_id", "Community": "community_id"}
    return Q(**{column[place["kind"]]: place["id"]})


@strawberry.type
class CanteenQuery:
    @strawberry.field(
        description="Canteens where the module is on, optionally in one district, street or "
        "community (`placeId`). Public."
    )
    async def canteens(
        self,
        info: Info,
        place_id: strawberry.ID | None = None,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> Connection[Canteen]:
        page = PageArgs.of(first, after)
        filters = [await module_filter(info, NAME)]
        if place_id is not None:
            kind, key = parse_place(place_id)
            filters.append(Q(id=key) if kind == "Canteen" else place_q({"kind": kind, "id": key}))
        rows = CanteenRow.filter(*filters)
        if page.after is not None:
            rows = rows.filter(id__gt=page.after)
        found = await rows.order_by("id").limit(page.first + 1).values(*CANTEEN.columns)
        nodes = [CANTEEN.build(r) for r in found[: page.first]]

        async def count() -> int:
            return await CanteenRow.filter(*filters).count()

        return make_connection(nodes, len(found) > page.first, key=lambda n: n.id, count=count)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Registered elders you may see (your own registration; a canteen's elders "
        "for its staff and managers; your grid's elders for a grid worker), optionally of one "
        "canteen.",
    )
    async def canteen_elders(
        self,
        info: Info,
        canteen_id: strawberry.ID | None = None,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> Connection[CanteenElder]:
        filters = [await module_filter(info, NAME)]
        if canteen_id is not None:
            filters.append(Q(canteen_id=key_of(canteen_id, "Canteen", what="canteen")))
        return await scoped_connection(info, ELDER, rules.ELDER_SCOPE, first, after, *filters)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Meals you may see, newest first: your own, or for a canteen's staff and "
        "managers its meals. Narrow by canteen, sitting, month (YYYY-MM) or `mine`.",
    )
    async def canteen_meals(
        self,
        info: Info,
        canteen_id: strawberry.ID | None = None,
        sitting_id: strawberry.ID | None = None,
        month: str | None = None,
        mine: bool = False,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> Connection[CanteenMeal]:
        context: Context = info.context
        filters = [await module_filter(info, NAME)]
        if canteen_id is not None:
            filters.append(Q(canteen_id=key_of(canteen_id, "Canteen", what="canteen")))
        if sitting_id is not None:
            filters.append(Q(sitting_id=key_of(sitting_id, "CanteenSitting", what="sitting")))
        if month is not None:
            parse_month(month)
            filters.append(Q(month=month))
        if mine:
            viewer = context.viewer
            filters.append(Q(person_id=viewer.person_id if viewer else -1))
        return await scoped_connection(
            info, MEAL, rules.MEAL_SCOPE, first, after, *filters, newest_first=True
        )

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="An elder's statement for a month (YYYY-MM): yours without `elderId`; an "
        "elder you may see with it.",
    )
    async def canteen_elder_statement(
        self, info: Info, month: str, elder_id: strawberry.ID | None = None
    ) -> CanteenElderStatement | None:
        context: Context = info.context
        parse_month(month)
        if elder_id is None:
            viewer = context.viewer
            key = await accounts.elder_ids_of(viewer.person_id) if viewer else None
            if key is None:
                raise NotFound("You are not registered with a canteen.")
        else:
            key = key_of(elder_id, "CanteenElder", what="elder")
        elder = await by_id(context, ELDER).load(key)
        if elder is None or not context.access.admits(context, elder):
            raise NotFound("No such elder.")
        settings = await settings_at(context, vars(elder))
        found = await accounts.statement(key, month, settings)
        names = dict(
            await CanteenRow.filter(id__in={line.canteen_id for line in found.lines}).values_list(
                "id", "name"
            )
        )
        return CanteenElderStatement(
            month=month,
            elder=elder,
            lines=[
                CanteenStatementLine(
                    meal_id=strawberry.ID(global_id("CanteenMeal", line.meal_id)),
                    day=line.day,
                    meal=MealKind(line.meal),
                    mode=MealMode(line.mode),
                    status=line.status,
                    canteen_name=names.get(line.canteen_id, ""),
                    age_tier=line.age_tier,
                    price=line.price,
                    subsidy=line.subsidy,
                    pay=line.pay,
                )
                for line in found.lines
            ],
            meals_served=found.meals_served,
            price=found.price,
            subsidy=found.subsidy,
            pay=found.pay,
            booked_subsidy=found.booked_subsidy,
            subsidy_cap=found.subsidy_cap,
            subsidy_left=found.subsidy_left,
            district_id=elder.district_id,
            street_id=elder.street_id,
            community_id=elder.community_id,
        )

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The monthly subsidy report (YYYY-MM) of a canteen (its staff and managers), "
        "or of a community, street or district (their workers, officers and admins), with an "
        ".xlsx export. Canteens where the module is off are left out.",
    )
    async def canteen_subsidy_report(
        self, info: Info, place_id: strawberry.ID, month: str
    ) -> CanteenSubsidyReport | None:
        context: Context = info.context
        parse_month(month)
        place = await place_row(*parse_place(place_id))
        allowed = rules.REPORT_READERS.covering_grant(context.viewer, place)
        if allowed is None and place["kind"] == "Canteen":
            allowed = rules.staff_grant(context.viewer, place)
        if allowed is None:
            raise NotFound("No such place.", argument="placeId")
        where = Q(id=place["id"]) if place["kind"] == "Canteen" else place_q(place)
        found = await accounts.subsidy_report(month, where & await module_filter(info, NAME))
        return CanteenSubsidyReport(
            month=month,
            place_name=place["name"],
            canteens=[
                CanteenReportLine(
                    canteen_id=strawberry.ID(global_id("Canteen", c.canteen_id)),
                    name=c.name,
                    totals=tally(c.tally),
                )
                for c in found.canteens
            ],
            elders=[
                CanteenElderReportLine(
                    elder_id=strawberry.ID(global_id("CanteenElder", e.elder_id)),
                    name=e.name,
                    age_tier=e.age_tier,
                    canteen_id=strawberry.ID(global_id("Canteen", e.canteen_id)),
                    totals=tally(e.tally),
                )
                for e in found.elders
            ],
            totals=tally(found.totals),
            report=found,
            district_id=place["district_id"],
            street_id=place["street_id"],
            community_id=place["community_id"],
        )


FROM = strawberry.argument(name="from", description="First day (city time).")
TO = strawberry.argument(description="Day after the last (city time).")


def _id(place: object) -> int:
    """The id of the District, Street or Community a field added to it was resolved on."""
    return int(cast(Any, place).id)


async def place_figures(info: Info, where: Q, start: date, end: date) -> CanteenFigures:
    if not start < end <= start + timedelta(days=366):
        raise BadUserInput("`to` after `from`, at most a year apart.", argument="to")
    city = zone(info.context)
    found = await figures(
        where & await module_filter(info, NAME),
        start,
        end,
        at(start, "00:00", city),
        at(end, "00:00", city),
    )
    return figures_type(found)


@strawberry.type
class DistrictCanteenFigures:
    @strawberry.field(description="老年食堂 figures of the district (where the module is on).")
    async def canteen_figures(
        self, info: Info, start: Annotated[date, FROM], to: Annotated[date, TO]
    ) -> CanteenFigures | None:
        return await place_figures(info, Q(district_id=_id(self)), start, to)


@strawberry.type
class StreetCanteenFigures:
    @strawberry.field(description="老年食堂 figures of the street (where the module is on).")
    async def canteen_figures(
        self, info: Info, start: Annotated[date, FROM], to: Annotated[date, TO]
    ) -> CanteenFigures | None:
        return await place_figures(info, Q(street_id=_id(self)), start, to)


@strawberry.type
class CommunityCanteenFigures:
    @strawberry.field(description="老年食堂 figures of the community.")
    async def canteen_figures(
        self, info: Info, start: Annotated[date, FROM], to: Annotated[date, TO]
    ) -> CanteenFigures | None:
        return await place_figures(info, Q(community_id=_id(self)), start, to)

    @strawberry.field(description="老年食堂 canteens of the community.", metadata=cost(size=20))
    async def canteens(self, info: Info) -> list[Canteen] | None:
        rows = (
            await CanteenRow.filter(community_id=_id(self)).order_by("id").values(*CANTEEN.columns)
        )
        return [CANTEEN.build(r) for r in rows]
