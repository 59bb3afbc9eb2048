"""GraphQL types of the module. Objects are built from plain rows (``NodeSource``), and every
relation is read through a per-request loader (one statement per batch)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info
from tortoise.functions import Sum

from core import CaseFacts, CaseStatus, ModuleDisabled, Slot, case_facts, names_of
from plugins.new_employment_stations import models
from plugins.new_employment_stations.activities import Season
from plugins.new_employment_stations.hours import MAX_PERIODS, is_open, periods_of
from plugins.new_employment_stations.places import NAME, PlaceIds, places_of, settings_at
from plugins.new_employment_stations.rules import REPORT_SCOPE, VISIT_SCOPE, WORKER_SCOPE
from plugins.new_employment_stations.stations import Amenity, Presence, amenities_of, presence
from plugins.new_employment_stations.workers import WorkerKind
from schema import CASE, Case, Context, NodeSource, by_id, cost, scoped

strawberry.enum(Amenity, name="WorkerStationAmenity", description="What a station offers.")
strawberry.enum(WorkerKind, name="GigWorkerKind", description="COURIER, RIDER or DRIVER.")
strawberry.enum(
    Season, name="CareActivitySeason", description="四季有爱: the season of a care activity."
)


async def ensure_on(context: Context, district_id: int, street_id: int | None = None,
                    community_id: int | None = None) -> None:  # fmt: skip
    """MODULE_DISABLED unless the module is on at the place (checked before anything is
    written, in the words the module gate uses)."""
    if not (await context.switch_ids(NAME)).enabled(district_id, street_id, community_id):
        parts = [f"district {district_id}"]
        parts += [f"street {street_id}"] if street_id is not None else []
        parts += [f"community {community_id}"] if community_id is not None else []
        raise ModuleDisabled(NAME, f"the place of this object ({', '.join(parts)})")


@strawberry.type(name="WorkerStationOpeningPeriod", description="Weekly opening, city time.")
class OpeningPeriod:
    weekdays: list[int] = strawberry.field(description="Days it applies to: 1 Monday … 7 Sunday.")
    opens: str = strawberry.field(description="Opening time, HH:MM.")
    closes: str = strawberry.field(
        description="Closing time, HH:MM (24:00 at midnight; earlier than `opens`: the next day)."
    )


@strawberry.type(description="新就业群体服务驿站: a rest station for couriers, riders and drivers.")
class WorkerStation(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique in its district.")
    name: str = strawberry.field(description="Name, e.g. 欣虹小哥驿站.")
    address: str = strawberry.field(description="Street address.")
    phone: str = strawberry.field(description="Telephone.")
    lon: float = strawberry.field(description="Longitude.")
    lat: float = strawberry.field(description="Latitude.")
    chargers: int = strawberry.field(description="Charging points for e-bikes and phones.")
    version: int = strawberry.field(description="Send it back to change the station.")
    hours: strawberry.Private[Any]
    has_water: strawberry.Private[bool]
    has_microwave: strawberry.Private[bool]
    has_rest_seats: strawberry.Private[bool]
    has_toilet: strawberry.Private[bool]
    has_first_aid: strawberry.Private[bool]
    keeper_id: strawberry.Private[int | None]
    compound_id: strawberry.Private[int | None]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(
        name="hours", description="Opening hours, city time.", metadata=cost(size=MAX_PERIODS)
    )
    def opening_hours(self) -> list[OpeningPeriod]:
        return [
            OpeningPeriod(weekdays=list(p.weekdays), opens=p.opens, closes=p.closes)
            for p in periods_of(self.hours)
        ]

    @strawberry.field(description="Whether it is open right now.")
    def open_now(self, info: Info) -> bool:
        return is_open(self.hours, datetime.now(UTC), info.context.activation.config.city.time_zone)

    @strawberry.field(description="What it offers.")
    def amenities(self) -> list[Amenity]:
        return amenities_of(self)

    @strawberry.field(description="Workers checked in right now (forgotten check-ins expire).")
    async def occupancy(self, info: Info) -> int:
        return (await presence_of(info.context).load(self.place_key())).present

    @strawberry.field(description="Chargers not in use right now.")
    async def free_chargers(self, info: Info) -> int:
        found = await presence_of(info.context).load(self.place_key())
        return max(self.chargers - found.charging, 0)

    @strawberry.field(description="The name of the keeper on duty (站长), if one is named.")
    async def keeper_name(self, info: Info) -> str | None:
        if self.keeper_id is None:
            return None
        return await names(info.context).load(self.keeper_id)

    @strawberry.field(
        description="Care activities that have not ended, soonest first.", metadata=cost(size=50)
    )
    async def activities(self, info: Info) -> list[WorkerActivity]:
        return await activities_by_station(info.context).load(self.id)

    def place_key(self) -> tuple[int, PlaceIds]:
        return self.id, (self.district_id, self.street_id, self.community_id)


@strawberry.type(description="A station near a point, with how far it is.")
class NearbyWorkerStation:
    distance_meters: int = strawberry.field(description="Distance in a straight line, metres.")
    station: WorkerStation = strawberry.field(description="The station.")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]


@scoped(WORKER_SCOPE)
@strawberry.type(description="A courier, rider or driver registered with the stations.")
class GigWorker(relay.Node):
    id: relay.NodeID[int]
    kind: WorkerKind = strawberry.field(description="COURIER, RIDER or DRIVER.")
    platform: str = strawberry.field(description="The platform company, e.g. 美团.")
    verified: bool = strawberry.field(description="A station keeper saw their badge.")
    verified_at: datetime | None = strawberry.field(description="When (UTC).")
    created_at: datetime = strawberry.field(description="When they registered (UTC).")
    person_id: strawberry.Private[int]
    district_id: strawberry.Private[int]

    @strawberry.field(description="Their name.")
    async def name(self, info: Info) -> str | None:
        return await names(info.context).load(self.person_id)

    @strawberry.field(description="Every point earned by snap-and-report so far.")
    async def points(self, info: Info) -> int:
        return await points_by_worker(info.context).load(self.id)

    @strawberry.field(description="The check-in they have not checked out of, if any.")
    async def current_visit(self, info: Info) -> WorkerStationVisit | None:
        return await open_visits(info.context).load(self.id)


@strawberry.type(description="A worker as a station keeper sees them at the desk.")
class GigWorkerCard:
    worker_id: strawberry.ID = strawberry.field(description="Their GigWorker id (to verify).")
    name: str = strawberry.field(description="Their name.")
    kind: WorkerKind = strawberry.field(description="COURIER, RIDER or DRIVER.")
    platform: str = strawberry.field(description="The platform company.")
    verified: bool = strawberry.field(description="Whether a keeper verified them.")


@scoped(VISIT_SCOPE)
@strawberry.type(description="A check-in at a station: the worker, and the station keepers.")
class WorkerStationVisit(relay.Node):
    id: relay.NodeID[int]
    checked_in_at: datetime = strawberry.field(description="When (UTC).")
    checked_out_at: datetime | None = strawberry.field(
        description="When they left (UTC); for an expired check-in, when it stopped counting."
    )
    charging: bool = strawberry.field(description="Whether they took a charger.")
    expired: bool = strawberry.field(description="Closed because nobody checked out.")
    station_id: strawberry.Private[int]
    worker_id: strawberry.Private[int]
    person_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(description="The station.")
    async def station(self, info: Info) -> WorkerStation:
        return await by_id(info.context, STATION).load(self.station_id)

    @strawberry.field(description="Who checked in.")
    async def worker(self, info: Info) -> GigWorkerCard:
        return await cards(info.context).load(self.worker_id)


@strawberry.type(description="四季有爱·凝新聚新: a seasonal care activity at a station.")
class WorkerActivity(relay.Node):
    id: relay.NodeID[int]
    season: Season = strawberry.field(description="The season it belongs to.")
    title: str = strawberry.field(description="What it is, e.g. 夏日送清凉.")
    description: str = strawberry.field(description="Details.")
    starts_at: datetime = strawberry.field(description="Start (UTC).")
    ends_at: datetime = strawberry.field(description="End (UTC).")
    station_id: strawberry.Private[int]
    slot_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(description="Seats in all.")
    async def capacity(self, info: Info) -> int:
        return (await slots(info.context).load(self.slot_id))[0]

    @strawberry.field(description="Seats still free.")
    async def free(self, info: Info) -> int:
        capacity, confirmed = await slots(info.context).load(self.slot_id)
        return max(capacity - confirmed, 0)

    @strawberry.field(description="The station.")
    async def station(self, info: Info) -> WorkerStation:
        return await by_id(info.context, STATION).load(self.station_id)


@scoped(REPORT_SCOPE)
@strawberry.type(description="随手拍 by a worker (移动哨兵): the case it made and what it earned.")
class GigWorkerReport(relay.Node):
    id: relay.NodeID[int]
    category: str = strawberry.field(description="The case category code.")
    reported_at: datetime = strawberry.field(description="When (UTC).")
    confirmed_at: datetime | None = strawberry.field(
        description="When a handler accepted it as valid (UTC)."
    )
    solved_at: datetime | None = strawberry.field(description="When it was resolved (UTC).")
    points: int = strawberry.field(description="Points it earned.")
    case_id: strawberry.Private[int]
    person_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(description="Where the case stands now.")
    async def status(self, info: Info) -> CaseStatus | None:
        found = await facts(info.context).load(self.case_id)
        return found.status if found else None

    @strawberry.field(description="The case itself, with its timeline.")
    async def case(self, info: Info) -> Case | None:
        found: Case | None = await by_id(info.context, CASE).load(self.case_id)
        return found


@strawberry.type(description="One worker on the monthly leaderboard.")
class GigWorkerLeaderboardEntry:
    rank: int = strawberry.field(description="1 for the most points; ties share a rank.")
    name: str = strawberry.field(description="Their name, masked (王**).")
    kind: WorkerKind = strawberry.field(description="COURIER, RIDER or DRIVER.")
    platform: str = strawberry.field(description="The platform company.")
    verified: bool = strawberry.field(description="Whether a keeper verified them.")
    points: int = strawberry.field(description="Points earned in the month.")
    confirmed_reports: int = strawberry.field(description="Reports confirmed valid.")
    solved_problems: int = strawberry.field(description="Reported problems resolved.")
    is_you: bool = strawberry.field(description="Whether this is the signed-in viewer.")


@strawberry.type(description="移动哨兵 of the month: the workers whose reports earned most.")
class GigWorkerLeaderboard:
    month: str = strawberry.field(description="YYYY-MM, city time.")
    entries: list[GigWorkerLeaderboardEntry] = strawberry.field(
        description="Best first, at most the district's leaderboard size.",
        metadata=cost(size=100),  # leaderboard_size is at most 100
    )
    district_id: strawberry.Private[int]


@strawberry.type(description="The stations' figures for a place and a period.")
class WorkerStationFigures:
    workers_served: int = strawberry.field(description="Distinct workers who checked in.")
    check_ins: int = strawberry.field(description="Check-ins at its stations.")
    reports_made: int = strawberry.field(description="Snap-and-reports by registered workers.")
    reports_confirmed: int = strawberry.field(description="Reports confirmed valid.")
    problems_solved: int = strawberry.field(description="Reported problems resolved.")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int | None]
    community_id: strawberry.Private[int | None]


def mask_name(name: str) -> str:
    """王小明 → 王**: the family name only."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else "*"


# -- loaders ----------------------------------------------------------------------------------


def names(context: Context) -> DataLoader[int, str | None]:
    async def load(ids: Sequence[int]) -> list[str | None]:
        found = await names_of(ids)
        return [found.get(i) for i in ids]

    return context.loader((NAME, "names"), lambda: DataLoader(load))


def facts(context: Context) -> DataLoader[int, CaseFacts | None]:
    async def load(ids: Sequence[int]) -> list[CaseFacts | None]:
        found = await case_facts(ids)
        return [found.get(i) for i in ids]

    return context.loader((NAME, "case_facts"), lambda: DataLoader(load))


def presence_of(context: Context) -> DataLoader[tuple[int, PlaceIds], Presence]:
    """Who is in at stations, keyed by (station id, its place ids)."""

    async def load(keys: Sequence[tuple[int, PlaceIds]]) -> list[Presence]:
        places = await places_of(p for _, p in keys)
        expiry = {
            i: timedelta(hours=settings_at(context.activation, places[p]).visit_expires_hours)
            for i, p in keys
        }
        found = await presence(expiry)
        return [found[i] for i, _ in keys]

    return context.loader((NAME, "presence"), lambda: DataLoader(load))


def activities_by_station(context: Context) -> DataLoader[int, list[WorkerActivity]]:
    async def load(ids: Sequence[int]) -> list[list[WorkerActivity]]:
        rows = (
            await models.Activity.filter(station_id__in=list(ids), ends_at__gt=datetime.now(UTC))
            .order_by("starts_at", "id")
            .values(*ACTIVITY.columns)
        )
        found: dict[int, list[WorkerActivity]] = {i: [] for i in ids}
        for row in rows:
            found[row["station_id"]].append(ACTIVITY.build(row))
        return [found[i] for i in ids]

    return context.loader((NAME, "activities"), lambda: DataLoader(load))


def slots(context: Context) -> DataLoader[int, tuple[int, int]]:
    async def load(ids: Sequence[int]) -> list[tuple[int, int]]:
        rows = await Slot.filter(id__in=list(ids)).values_list("id", "capacity", "confirmed")
        found = {i: (c, n) for i, c, n in rows}
        return [found.get(i, (0, 0)) for i in ids]

    return context.loader((NAME, "slots"), lambda: DataLoader(load))


def cards(context: Context) -> DataLoader[int, GigWorkerCard]:
    async def load(ids: Sequence[int]) -> list[GigWorkerCard]:
        rows = await models.GigWorker.filter(id__in=list(ids)).values(
            "id", "person_id", "kind", "platform", "verified"
        )
        people = await names_of(r["person_id"] for r in rows)
        found = {
            r["id"]: GigWorkerCard(
                worker_id=strawberry.ID(str(relay.GlobalID("GigWorker", str(r["id"])))),
                name=people.get(r["person_id"], ""),
                kind=WorkerKind(r["kind"]),
                platform=r["platform"],
                verified=r["verified"],
            )
            for r in rows
        }
        return [found[i] for i in ids]

    return context.loader((NAME, "cards"), lambda: DataLoader(load))


def open_visits(context: Context) -> DataLoader[int, WorkerStationVisit | None]:
    async def load(ids: Sequence[int]) -> list[WorkerStationVisit | None]:
        rows = await models.Visit.filter(worker_id__in=list(ids), checked_out_at=None).values(
            *VISIT.columns
        )
        found = {row["worker_id"]: VISIT.build(row) for row in rows}
        return [found.get(i) for i in ids]

    return context.loader((NAME, "open_visits"), lambda: DataLoader(load))


def points_by_worker(context: Context) -> DataLoader[int, int]:
    async def load(ids: Sequence[int]) -> list[int]:
        rows = (
            await models.Award.filter(worker_id__in=list(ids))
            .annotate(total=Sum("points"))
            .group_by("worker_id")
            .values_list("worker_id", "total")
        )
        totals = {worker_id: int(total or 0) for worker_id, total in rows}
        return [totals.get(i, 0) for i in ids]

    return context.loader((NAME, "points"), lambda: DataLoader(load))


STATION = NodeSource(WorkerStation, models.Station)
WORKER = NodeSource(GigWorker, models.GigWorker)
VISIT = NodeSource(WorkerStationVisit, models.Visit)
ACTIVITY = NodeSource(WorkerActivity, models.Activity)
REPORT = NodeSource(GigWorkerReport, models.WorkerReport)
