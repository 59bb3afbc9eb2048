"""Root mutations of the module. Each runs in the mutation's one transaction, checks the module
switch at the place it writes to before writing, and tells the audit log what it was about."""

from __future__ import annotations

from datetime import datetime, timedelta

import strawberry
from strawberry.types import Info

from core import BookingEngine, Grant, NotFound
from plugins.new_employment_stations import activities, stations, workers
from plugins.new_employment_stations.activities import ActivityPlan, Season
from plugins.new_employment_stations.hours import OpeningPeriod
from plugins.new_employment_stations.models import Activity, GigWorker, Station
from plugins.new_employment_stations.places import place_row, places_of, settings_at
from plugins.new_employment_stations.stations import Amenity, StationDetails, StationPlace
from plugins.new_employment_stations.types import (
    ACTIVITY,
    STATION,
    VISIT,
    WORKER,
    GigWorkerCard,
    WorkerActivity,
    WorkerStation,
    WorkerStationVisit,
    cards,
    ensure_on,
)
from plugins.new_employment_stations.types import (
    GigWorker as GigWorkerType,
)
from plugins.new_employment_stations.workers import Registration, WorkerKind
from schema import BOOKING, Booking, Context, IsAuthenticated, by_id, global_id, key_of


@strawberry.input(name="WorkerStationOpeningPeriodInput", description="Weekly opening, city time.")
class OpeningPeriodInput:
    weekdays: list[int] = strawberry.field(description="1 Monday … 7 Sunday.")
    opens: str = strawberry.field(description="HH:MM.")
    closes: str = strawberry.field(
        description="HH:MM; 24:00 for midnight, or earlier than `opens` to close the next day."
    )


def _periods(hours: list[OpeningPeriodInput] | None) -> list[OpeningPeriod] | None:
    if hours is None:
        return None
    return [OpeningPeriod(tuple(h.weekdays), h.opens, h.closes) for h in hours]


@strawberry.input(description="A new station for couriers, riders and drivers.")
class CreateWorkerStationInput:
    place_id: strawberry.ID = strawberry.field(description="The community or compound it is in.")
    code: str = strawberry.field(description="Code, unique in the district.")
    name: str = strawberry.field(description="Name, e.g. 欣虹小哥驿站.")
    lon: float = strawberry.field(description="Longitude.")
    lat: float = strawberry.field(description="Latitude.")
    address: str = strawberry.field(default="", description="Street address.")
    phone: str = strawberry.field(default="", description="Telephone.")
    hours: list[OpeningPeriodInput] = strawberry.field(
        default_factory=list, description="Opening hours."
    )
    amenities: list[Amenity] = strawberry.field(
        default_factory=list, description="What it offers (CHARGING needs chargers)."
    )
    chargers: int = strawberry.field(default=0, description="Charging points.")


@strawberry.input(description="Changes to a station; omitted fields stay as they are.")
class UpdateWorkerStationInput:
    station_id: strawberry.ID = strawberry.field(description="The station.")
    version: int = strawberry.field(description="The station's `version` when you read it.")
    name: str | None = strawberry.field(default=None, description="New name.")
    address: str | None = strawberry.field(default=None, description="New address.")
    phone: str | None = strawberry.field(default=None, description="New telephone.")
    lon: float | None = strawberry.field(default=None, description="New longitude.")
    lat: float | None = strawberry.field(default=None, description="New latitude.")
    hours: list[OpeningPeriodInput] | None = strawberry.field(
        default=None, description="New opening hours (replacing the old)."
    )
    amenities: list[Amenity] | None = strawberry.field(
        default=None, description="New amenities (replacing the old)."
    )
    chargers: int | None = strawberry.field(default=None, description="New number of chargers.")


@strawberry.input(description="Registering yourself as a courier, rider or driver.")
class RegisterGigWorkerInput:
    kind: WorkerKind = strawberry.field(description="COURIER, RIDER or DRIVER.")
    platform: str = strawberry.field(description="The platform company, e.g. 美团, 顺丰, 滴滴.")
    district_id: strawberry.ID = strawberry.field(description="The district you mostly work in.")


@strawberry.input(description="A seasonal care activity at a station.")
class CreateWorkerActivityInput:
    station_id: strawberry.ID = strawberry.field(description="The station.")
    title: str = strawberry.field(description="What it is, e.g. 夏日送清凉.")
    starts_at: datetime = strawberry.field(description="Start, with a time zone.")
    ends_at: datetime = strawberry.field(description="End, with a time zone.")
    capacity: int = strawberry.field(description="Seats.")
    description: str = strawberry.field(default="", description="Details.")
    season: Season | None = strawberry.field(
        default=None, description="Default: the season of its start, city time."
    )


def _station_key(station_id: str) -> int:
    return key_of(station_id, "WorkerStation", what="station")


async def _station(context: Context, station_id: str) -> Station:
    station = await stations.station_row(_station_key(station_id))
    await ensure_on(context, station.district_id, station.street_id, station.community_id)
    return station


async def _station_done(
    context: Context, station: Station, grant: Grant, **summary: object
) -> WorkerStation:
    context.note.used(grant)
    context.note.about(global_id("WorkerStation", station.id), station.district_id, **summary)
    context.forget_loaders()
    found: WorkerStation = await by_id(context, STATION).load(station.id)
    return found


@strawberry.type
class StationsMutation:
    @strawberry.mutation(
        description="Open a station in a community or compound (its community workers and "
        "those above).",
        permission_classes=[IsAuthenticated],
    )
    async def create_worker_station(
        self, info: Info, input: CreateWorkerStationInput
    ) -> WorkerStation:
        context: Context = info.context
        place = await place_row(input.place_id, ("Community", "Compound"))
        assert place.street_id is not None and place.community_id is not None
        await ensure_on(context, place.district_id, place.street_id, place.community_id)
        where = StationPlace(
            district_id=place.district_id, street_id=place.street_id,
            community_id=place.community_id, compound_id=place.compound_id,
        )  # fmt: skip
        details = StationDetails(
            name=input.name, address=input.address, phone=input.phone, lon=input.lon,
            lat=input.lat, hours=_periods(input.hours), amenities=input.amenities,
            chargers=input.chargers,
        )  # fmt: skip
        station, grant = await stations.create_station(context.viewer, where, input.code, details)
        return await _station_done(context, station, grant, chargers=station.chargers)

    @strawberry.mutation(
        description="Change a station's details (its managers). A stale `version` is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def update_worker_station(
        self, info: Info, input: UpdateWorkerStationInput
    ) -> WorkerStation:
        context: Context = info.context
        current = await _station(context, input.station_id)
        details = StationDetails(
            name=input.name, address=input.address, phone=input.phone, lon=input.lon,
            lat=input.lat, hours=_periods(input.hours), amenities=input.amenities,
            chargers=input.chargers,
        )  # fmt: skip
        station, grant = await stations.update_station(
            context.viewer, current.id, input.version, details
        )
        return await _station_done(context, station, grant, version=station.version)

    @strawberry.mutation(
        description="Name the keeper on duty (站长) of a station, who must hold STATION_KEEPER "
        "at its community, or nobody (its managers).",
        permission_classes=[IsAuthenticated],
    )
    async def set_worker_station_keeper(
        self, info: Info, station_id: strawberry.ID, version: int,
        person_id: strawberry.ID | None = None,
    ) -> WorkerStation:  # fmt: skip
        context: Context = info.context
        current = await _station(context, station_id)
        person = key_of(person_id, "Person", what="person") if person_id else None
        station, grant = await stations.set_keeper(context.viewer, current.id, version, person)
        return await _station_done(context, station, grant, keeper=person is not None)

    @strawberry.mutation(
        description="Register yourself as a courier, rider or driver (or change your "
        "registration: a new kind or platform needs verifying again).",
        permission_classes=[IsAuthenticated],
    )
    async def register_gig_worker(self, info: Info, input: RegisterGigWorkerInput) -> GigWorkerType:
        context: Context = info.context
        place = await place_row(input.district_id, ("District",))
        await ensure_on(context, place.district_id)
        registration = Registration(input.kind, input.platform, place.district_id)
        worker, created = await workers.register(context.viewer, registration)
        context.note.about(
            global_id("GigWorker", worker.id), worker.district_id, kind=worker.kind,
            created=created,
        )  # fmt: skip
        found: GigWorkerType = await by_id(context, WORKER).load(worker.id)
        return found

    @strawberry.mutation(
        description="Mark a worker verified (or not) after seeing their platform badge: the "
        "keepers and managers of the station where you saw them.",
        permission_classes=[IsAuthenticated],
    )
    async def verify_gig_worker(
        self, info: Info, worker_id: strawberry.ID, station_id: strawberry.ID, verified: bool = True
    ) -> GigWorkerCard:
        context: Context = info.context
        station = await _station(context, station_id)
        worker = await GigWorker.filter(id=key_of(worker_id, "GigWorker", what="worker")).first()
        if worker is None:
            raise NotFound("No such worker.", argument="workerId")
        worker, grant = await workers.verify(context.viewer, worker, station, verified)
        context.note.used(grant)
        context.note.about(worker_id, station.district_id, verified=verified)
        return await cards(context).load(worker.id)

    @strawberry.mutation(
        description="Check in at a station (registered workers): a visit you left open closes. "
        "With `charging` you take a charger, or get CONFLICT when none is free; a closed "
        "station is BAD_USER_INPUT.",
        permission_classes=[IsAuthenticated],
    )
    async def check_in_at_worker_station(
        self, info: Info, station_id: strawberry.ID, charging: bool = False
    ) -> WorkerStationVisit:
        context: Context = info.context
        station = await _station(context, station_id)
        worker = await workers.worker_of(context.viewer)
        key = (station.district_id, station.street_id, station.community_id)
        settings = settings_at(context.activation, (await places_of([key]))[key])
        visit = await workers.check_in(
            worker, station, charging, expiry=timedelta(hours=settings.visit_expires_hours),
            zone=context.activation.config.city.time_zone,
        )  # fmt: skip
        context.note.about(
            global_id("WorkerStationVisit", visit.id), station.district_id, charging=charging
        )
        found: WorkerStationVisit = await by_id(context, VISIT).load(visit.id)
        return found

    @strawberry.mutation(
        description="Check out of the station you are checked in at (giving back its charger).",
        permission_classes=[IsAuthenticated],
    )
    async def check_out_of_worker_station(self, info: Info) -> WorkerStationVisit:
        context: Context = info.context
        worker = await workers.worker_of(context.viewer)
        visit = await workers.open_visit(worker)
        await ensure_on(context, visit.district_id, visit.street_id, visit.community_id)
        closed = await workers.check_out(visit)
        context.note.about(global_id("WorkerStationVisit", closed.id), closed.district_id)
        found: WorkerStationVisit = await by_id(context, VISIT).load(closed.id)
        return found

    @strawberry.mutation(
        description="Plan a seasonal care activity (四季有爱·凝新聚新) at a station: its keepers "
        "and managers. Workers book it with bookWorkerActivity.",
        permission_classes=[IsAuthenticated],
    )
    async def create_worker_activity(
        self, info: Info, input: CreateWorkerActivityInput
    ) -> WorkerActivity:
        context: Context = info.context
        station = await _station(context, input.station_id)
        key = (station.district_id, station.street_id, station.community_id)
        settings = settings_at(context.activation, (await places_of([key]))[key])
        plan = ActivityPlan(
            title=input.title, starts_at=input.starts_at, ends_at=input.ends_at,
            capacity=input.capacity, description=input.description, season=input.season,
        )  # fmt: skip
        activity, grant = await activities.create_activity(
            context.viewer, station, plan, settings, context.activation.config.city.time_zone
        )
        context.note.used(grant)
        context.note.about(
            global_id("WorkerActivity", activity.id), station.district_id,
            capacity=input.capacity, season=activity.season,
        )  # fmt: skip
        found: WorkerActivity = await by_id(context, ACTIVITY).load(activity.id)
        return found

    @strawberry.mutation(
        description="Book a seat at a care activity (registered workers): CONFIRMED, or "
        "WAITLISTED when it is full and keeps a waitlist (CONFLICT when it keeps none). "
        "`myBookings` lists it and `cancelBooking` cancels it before the cut-off.",
        permission_classes=[IsAuthenticated],
    )
    async def book_worker_activity(self, info: Info, activity_id: strawberry.ID) -> Booking:
        context: Context = info.context
        key = key_of(activity_id, "WorkerActivity", what="activity")
        activity = await Activity.filter(id=key).first()
        if activity is None:
            raise NotFound("No such activity.", argument="activityId")
        await ensure_on(context, activity.district_id, activity.street_id, activity.community_id)
        worker = await workers.worker_of(context.viewer)
        booking = await activities.book(worker.person_id, activity, BookingEngine())
        context.note.about(
            global_id("Booking", booking.id), activity.district_id, activity=activity_id,
            status=booking.status,
        )  # fmt: skip
        found: Booking = await by_id(context, BOOKING).load(booking.id)
        return found
