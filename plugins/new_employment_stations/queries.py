"""Root queries of the module: stations (and the nearest ones), visits, activities, a worker's
own registration and reports, the monthly leaderboard and the figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core import (
    BadUserInput,
    Forbidden,
    box_around,
)
from plugins.new_employment_stations import models
from plugins.new_employment_stations.activities import Season
from plugins.new_employment_stations.figures import figures
from plugins.new_employment_stations.hours import is_open
from plugins.new_employment_stations.places import (
    NAME,
    place_row,
    places_of,
    settings_at,
    within,
)
from plugins.new_employment_stations.points import ranks, standings
from plugins.new_employment_stations.rules import FIGURES, VISIT_SCOPE
from plugins.new_employment_stations.stations import (
    AMENITY_COLUMNS,
    Amenity,
    by_distance,
    presence,
)
from plugins.new_employment_stations.types import (
    ACTIVITY,
    REPORT,
    STATION,
    VISIT,
    WORKER,
    GigWorker,
    GigWorkerLeaderboard,
    GigWorkerLeaderboardEntry,
    GigWorkerReport,
    NearbyWorkerStation,
    WorkerActivity,
    WorkerStation,
    WorkerStationFigures,
    WorkerStationVisit,
    ensure_on,
    mask_name,
    names,
)
from plugins.new_employment_stations.workers import WorkerKind
from schema import (
    Connection,
    Context,
    IsAuthenticated,
    NodeSource,
    PageArgs,
    key_of,
    make_connection,
    module_filter,
    scoped_connection,
)

MAX_NEAREST = 20
MAX_RADIUS_M = 50_000


def _offers(amenity: Amenity) -> Q:
    if amenity == Amenity.CHARGING:
        return Q(chargers__gt=0)
    lookup: dict[str, Any] = {AMENITY_COLUMNS[amenity]: True}
    return Q(**lookup)


async def _page(
    info: Info, source: NodeSource, first: int, after: str | None, *filters: Q
) -> Connection[Any]:
    page = PageArgs.of(first, after)
    rows = source.model.filter(await module_filter(info, NAME), *filters)
    counted = rows
    if page.after is not None:
        rows = rows.filter(id__gt=page.after)
    found = await rows.order_by("id").limit(page.first + 1).values(*source.columns)
    nodes = [source.build(row) for row in found[: page.first]]
    return make_connection(nodes, len(found) > page.first, key=lambda n: n.id, count=counted.count)


@strawberry.type
class StationsQuery:
    @strawberry.field(
        description="Stations for couriers, riders and drivers where the module is on, "
        "optionally in a place (district, street, community or compound id) and offering an "
        "amenity. Public."
    )
    async def worker_stations(
        self, info: Info, first: int = 20, after: str | None = None,
        place_id: strawberry.ID | None = None, amenity: Amenity | None = None,
    ) -> Connection[WorkerStation]:  # fmt: skip
        filters = []
        if place_id is not None:
            place = await place_row(place_id, ("District", "Street", "Community", "Compound"))
            filters.append(within(place))
        if amenity is not None:
            filters.append(_offers(amenity))
        return await _page(info, STATION, first, after, *filters)

    @strawberry.field(
        description="Stations within `radiusMeters` of a point, nearest first: by default only "
        "those open now; with `freeCharger`, only those with a charger free right now. Public. "
        "(A box around the point narrows the rows in SQL; distances, hours and chargers are "
        "checked on those.)"
    )
    async def nearest_worker_stations(
        self, info: Info, lon: float, lat: float, first: int = 5, radius_meters: int = 3000,
        open_now: bool = True, free_charger: bool = False, amenity: Amenity | None = None,
    ) -> list[NearbyWorkerStation]:  # fmt: skip
        context: Context = info.context
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise BadUserInput("Longitude or latitude out of range.", argument="lon")
        if not 1 <= first <= MAX_NEAREST:
            raise BadUserInput(f"first is 1–{MAX_NEAREST}.", argument="first")
        if not 1 <= radius_meters <= MAX_RADIUS_M:
            raise BadUserInput(f"radiusMeters is 1–{MAX_RADIUS_M}.", argument="radiusMeters")
        rows = STATION.model.filter(
            await module_filter(info, NAME), **box_around(lon, lat, radius_meters)
        )
        if free_charger:
            rows = rows.filter(_offers(Amenity.CHARGING))
        if amenity is not None:
            rows = rows.filter(_offers(amenity))
        stations = [STATION.build(r) for r in await rows.values(*STATION.columns)]
        now = datetime.now(UTC)
        zone = context.activation.config.city.time_zone
        if open_now:
            stations = [s for s in stations if is_open(s.hours, now, zone)]
        near = by_distance(lon, lat, stations, radius_meters)
        if free_charger and near:
            places = await places_of(s.place_key()[1] for _, s in near)
            expiry = {
                s.id: timedelta(
                    hours=settings_at(context.activation, places[key]).visit_expires_hours
                )
                for _, s in near
                for key in [s.place_key()[1]]
            }
            busy = await presence(expiry, now)
            near = [(d, s) for d, s in near if s.chargers > busy[s.id].charging]
        return [
            NearbyWorkerStation(
                distance_meters=round(distance),
                station=s,
                district_id=s.district_id,
                street_id=s.street_id,
                community_id=s.community_id,
            )
            for distance, s in near[:first]
        ]

    @strawberry.field(
        description="Check-ins you may see, newest first: your own, and those at the stations "
        "you keep or manage. `stationId` narrows to one station; with it, `present` narrows to "
        "the workers in right now (forgotten check-ins expire after the district's "
        "`visit_expires_hours`).",
        permission_classes=[IsAuthenticated],
    )
    async def worker_station_visits(
        self, info: Info, first: int = 20, after: str | None = None,
        station_id: strawberry.ID | None = None, present: bool = False,
    ) -> Connection[WorkerStationVisit]:  # fmt: skip
        context: Context = info.context
        filters = [await module_filter(info, NAME)]
        if station_id is not None:
            key = key_of(station_id, "WorkerStation", what="station")
            filters.append(Q(station_id=key))
            if present:
                station = await models.Station.filter(id=key).first()
                if station is not None:
                    place = (station.district_id, station.street_id, station.community_id)
                    hours = settings_at(
                        context.activation, (await places_of([place]))[place]
                    ).visit_expires_hours
                    since = datetime.now(UTC) - timedelta(hours=hours)
                    filters.append(Q(checked_out_at=None, checked_in_at__gt=since))
        elif present:
            raise BadUserInput("`present` needs a stationId.", argument="present")
        return await scoped_connection(
            info, VISIT, VISIT_SCOPE, first, after, *filters, newest_first=True
        )

    @strawberry.field(
        description="Care activities that have not ended, in the order they were planned, "
        "optionally at a station or in a place, of a season. Public."
    )
    async def worker_activities(
        self, info: Info, first: int = 20, after: str | None = None,
        station_id: strawberry.ID | None = None, place_id: strawberry.ID | None = None,
        season: Season | None = None,
    ) -> Connection[WorkerActivity]:  # fmt: skip
        filters = [Q(ends_at__gt=datetime.now(UTC))]
        if station_id is not None:
            filters.append(Q(station_id=key_of(station_id, "WorkerStation", what="station")))
        if place_id is not None:
            place = await place_row(place_id, ("District", "Street", "Community"))
            filters.append(within(place))
        if season is not None:
            filters.append(Q(season=season.value))
        return await _page(info, ACTIVITY, first, after, *filters)

    @strawberry.field(
        description="Your registration as a courier, rider or driver (null before you register).",
        permission_classes=[IsAuthenticated],
    )
    async def my_gig_worker(self, info: Info) -> GigWorker | None:
        viewer = info.context.viewer
        row = (
            await models.GigWorker.filter(person_id=viewer.person_id)
            .first()
            .values(*WORKER.columns)
        )
        return WORKER.build(row) if row else None

    @strawberry.field(
        description="Everything you reported by snap-and-report as a registered worker, newest "
        "first, with where each case stands and the points it earned.",
        permission_classes=[IsAuthenticated],
    )
    async def my_gig_worker_reports(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[GigWorkerReport]:
        viewer = info.context.viewer
        page = PageArgs.of(first, after)
        mine = REPORT.model.filter(await module_filter(info, NAME), person_id=viewer.person_id)
        rows = mine.filter(id__lt=page.after) if page.after is not None else mine
        found = await rows.order_by("-id").limit(page.first + 1).values(*REPORT.columns)
        nodes = [REPORT.build(r) for r in found[: page.first]]
        return make_connection(nodes, len(found) > page.first, key=lambda n: n.id, count=mine.count)

    @strawberry.field(
        description="移动哨兵: the workers whose snap-and-reports in a district earned most in a "
        "month (YYYY-MM, city time; default this month). For anyone signed in; names masked.",
        permission_classes=[IsAuthenticated],
    )
    async def gig_worker_leaderboard(
        self, info: Info, district_id: strawberry.ID, month: str | None = None
    ) -> GigWorkerLeaderboard | None:
        context: Context = info.context
        place = await place_row(district_id, ("District",))
        await ensure_on(context, place.district_id)
        zone = context.activation.config.city.time_zone
        month = month or datetime.now(UTC).astimezone(ZoneInfo(zone)).strftime("%Y-%m")
        try:
            datetime.strptime(month, "%Y-%m")
        except ValueError:
            raise BadUserInput("A month is YYYY-MM.", argument="month") from None
        district = (await places_of([(place.district_id, None, None)])).popitem()[1]
        size = settings_at(context.activation, district).leaderboard_size
        best = (await standings(place.district_id, month, await module_filter(info, NAME)))[:size]
        workers = {
            w["id"]: w
            for w in await models.GigWorker.filter(id__in=[s.worker_id for s in best]).values(
                "id", "person_id", "kind", "platform", "verified"
            )
        }
        people = await names(context).load_many([workers[s.worker_id]["person_id"] for s in best])
        me = context.viewer.person_id if context.viewer else None
        entries = [
            GigWorkerLeaderboardEntry(
                rank=rank,
                name=mask_name(name or ""),
                kind=WorkerKind(workers[s.worker_id]["kind"]),
                platform=workers[s.worker_id]["platform"],
                verified=workers[s.worker_id]["verified"],
                points=s.points,
                confirmed_reports=s.confirmed,
                solved_problems=s.solved,
                is_you=workers[s.worker_id]["person_id"] == me,
            )
            for s, rank, name in zip(best, ranks([s.points for s in best]), people, strict=True)
        ]
        return GigWorkerLeaderboard(month=month, entries=entries, district_id=place.district_id)

    @strawberry.field(
        description="The stations' figures for [from, to) at a place (district, street or "
        "community id): for its keepers and managing roles, and those above.",
        permission_classes=[IsAuthenticated],
    )
    async def worker_station_figures(
        self,
        info: Info,
        place_id: strawberry.ID,
        start: Annotated[
            datetime, strawberry.argument(name="from", description="Start (inclusive).")
        ],
        end: Annotated[datetime, strawberry.argument(name="to", description="End (exclusive).")],
    ) -> WorkerStationFigures | None:
        context: Context = info.context
        if end <= start:
            raise BadUserInput("The period must end after it starts.", argument="to")
        place = await place_row(place_id, ("District", "Street", "Community"))
        if FIGURES.covering_grant(context.viewer, place.row()) is None:
            raise Forbidden("These figures are for the keepers and managers of that place.")
        await ensure_on(context, place.district_id, place.street_id, place.community_id)
        found = await figures(await module_filter(info, NAME) & within(place), start, end)
        return WorkerStationFigures(
            workers_served=found.workers_served, check_ins=found.check_ins,
            reports_made=found.reports_made, reports_confirmed=found.reports_confirmed,
            problems_solved=found.problems_solved, district_id=place.district_id,
            street_id=place.street_id, community_id=place.community_id,
        )  # fmt: skip
