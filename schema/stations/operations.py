"""Root fields of stations: the catalogue, stations, applications and appointments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q, Subquery

from core.access.scope import ScopeRule
from core.access.viewer import Grant
from core.booking.engine import BookingEngine
from core.errors import BadUserInput, Forbidden
from core.regions.places import find_place
from core.stations import appointments, management
from core.stations.applications import (
    Application,
    ApplicationAction,
    ApplicationStatus,
    apply,
    handle,
    withdraw,
)
from core.stations.hours import OpeningPeriod
from core.stations.management import CatalogueEntryInput, ServiceCategory, StationDetails
from core.stations.metrics import service_figures
from core.stations.models import CatalogueItem as CatalogueRow
from core.stations.models import StationService
from core.stations.rules import APPLICATION_SCOPE, MANAGER_ROLES
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated
from schema.booking.types import BOOKING, Booking
from schema.context import Context
from schema.ids import global_id, key_of, type_name_of
from schema.loaders import by_id
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection, PageArgs, make_connection
from schema.stations.types import (
    CATALOGUE_COLUMNS,
    SERVICE_APPLICATION,
    SERVICE_STATION,
    AppointmentSlot,
    CatalogueItem,
    ServiceApplication,
    ServiceStation,
    catalogue_item,
)

PLACE_FILTERS = {"District": "district_id", "Street": "street_id", "Community": "community_id",
                 "Compound": "compound_id"}  # fmt: skip

FIGURES = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""Station figures of a place are for the managing roles at that place or above."""


@strawberry.input(description="A weekly opening period, in city time.")
class OpeningPeriodInput:
    weekdays: list[int] = strawberry.field(description="1 Monday … 7 Sunday.")
    opens: str = strawberry.field(description="HH:MM.")
    closes: str = strawberry.field(description="HH:MM, after `opens`.")


def _periods(hours: list[OpeningPeriodInput] | None) -> list[OpeningPeriod] | None:
    if hours is None:
        return None
    return [OpeningPeriod(tuple(h.weekdays), h.opens, h.closes) for h in hours]


@strawberry.input(description="A new station.")
class CreateServiceStationInput:
    place_id: strawberry.ID = strawberry.field(description="The community or compound it is in.")
    code: str = strawberry.field(description="Code, unique in the district.")
    name: str = strawberry.field(description="Name, e.g. 欣虹社区党群服务中心.")
    address: str = strawberry.field(default="", description="Street address.")
    phone: str = strawberry.field(default="", description="Telephone.")
    lon: float | None = strawberry.field(default=None, description="Longitude.")
    lat: float | None = strawberry.field(default=None, description="Latitude.")
    hours: list[OpeningPeriodInput] = strawberry.field(
        default_factory=list, description="Opening hours."
    )


@strawberry.input(description="Changes to a station; omitted fields stay as they are.")
class UpdateServiceStationInput:
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


@strawberry.input(description="Someone on a station's staff.")
class StationStaffInput:
    person_id: strawberry.ID = strawberry.field(description="The person.")
    title: str = strawberry.field(default="", description="Their duty, e.g. 值班员.")


@strawberry.input(description="An item of the one-stop catalogue, new or changed.")
class CatalogueItemInput:
    code: str = strawberry.field(description="Stable code (letters, digits, '-', '_').")
    name: str = strawberry.field(description="Chinese name.")
    category: ServiceCategory = strawberry.field(description="Which part of the catalogue.")
    description: str = strawberry.field(default="", description="What the service is.")
    materials: list[str] = strawberry.field(default_factory=list, description="What to bring.")
    time_limit_days: int = strawberry.field(default=1, description="Promised handling days.")
    doorstep: bool = strawberry.field(default=False, description="Can be handled at home.")
    active: bool = strawberry.field(default=True, description="False retires the item.")
    version: int | None = strawberry.field(
        default=None, description="The item's `version` when changing it; omit for a new item."
    )


@strawberry.input(description="An application for a one-stop service at a station.")
class ApplyForServiceInput:
    station_id: strawberry.ID = strawberry.field(description="The station.")
    item_code: str = strawberry.field(description="A catalogue item the station offers.")
    note: str = strawberry.field(default="", description="Anything the staff should know.")
    materials: list[str] = strawberry.field(
        default_factory=list, description="Which of the item's materials you bring."
    )
    at_doorstep: bool = strawberry.field(
        default=False, description="Ask for it to be handled at your home (doorstep items only)."
    )
    booking_id: strawberry.ID | None = strawberry.field(
        default=None, description="Your appointment at this station, if you booked one."
    )


@strawberry.input(description="A staff action on an application.")
class HandleServiceApplicationInput:
    application_id: strawberry.ID = strawberry.field(description="The application.")
    version: int = strawberry.field(description="Its `version` when you read it.")
    action: ApplicationAction = strawberry.field(description="ACCEPT, COMPLETE or REJECT.")
    reason: str = strawberry.field(default="", description="For REJECT: why (required).")


@strawberry.input(description="An appointment slot to open.")
class AppointmentSlotInput:
    starts_at: datetime = strawberry.field(description="Start, with a time zone.")
    ends_at: datetime = strawberry.field(description="End, after the start.")
    capacity: int = strawberry.field(description="Appointments it takes (1–500).")


@strawberry.type(description="One-stop service figures over a period.")
class ServiceMetrics:
    received: int = strawberry.field(description="Applications submitted in the period.")
    done: int = strawberry.field(description="Of those, done.")
    rejected: int = strawberry.field(description="Of those, rejected.")
    withdrawn: int = strawberry.field(description="Of those, withdrawn by the applicant.")
    open: int = strawberry.field(description="Of those, still submitted or accepted.")
    at_doorstep: int = strawberry.field(description="Done at the applicant's home (上门办理).")
    doorstep_rate: float | None = strawberry.field(
        description="Of those done, the share done at the doorstep (null with none done)."
    )
    on_time_rate: float | None = strawberry.field(
        description="Of those done, the share done within the item's time limit."
    )
    average_hours_to_finish: float | None = strawberry.field(
        description="Mean hours from submission to done."
    )
    by_category: list[CategoryCount] = strawberry.field(description="Received, by category.")


@strawberry.type(description="A count of applications in one part of the catalogue.")
class CategoryCount:
    category: ServiceCategory = strawberry.field(description="The part of the catalogue.")
    count: int = strawberry.field(description="How many.")


@strawberry.type
class StationQuery:
    @strawberry.field(
        description="The city's one-stop service catalogue (57 items in the standard set), "
        "by category and code; retired items only with `includeRetired`."
    )
    async def service_catalogue(
        self, category: ServiceCategory | None = None, include_retired: bool = False
    ) -> list[CatalogueItem]:
        rows = CatalogueRow.all()
        if category is not None:
            rows = rows.filter(category=category.value)
        if not include_retired:
            rows = rows.filter(active=True)
        found = await rows.order_by("category", "code").values(*CATALOGUE_COLUMNS)
        return [catalogue_item(row) for row in found]

    @strawberry.field(
        description="Service stations, optionally in a place (district, street, community or "
        "compound id) and offering one catalogue item. Public."
    )
    async def service_stations(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None,
        place_id: strawberry.ID | None = None, item_code: str | None = None,
    ) -> Connection[ServiceStation]:  # fmt: skip
        page = PageArgs.of(first, after)
        rows = SERVICE_STATION.model.all()
        if place_id is not None:
            kind = type_name_of(place_id, what="place")
            if kind not in PLACE_FILTERS:
                raise BadUserInput(
                    "Give a district, street, community or compound.", argument="placeId"
                )
            rows = rows.filter(**{PLACE_FILTERS[kind]: key_of(place_id, kind, what="place")})
        if item_code is not None:
            offered = StationService.filter(item__code=item_code).values("station_id")
            rows = rows.filter(id__in=Subquery(offered))
        filtered = rows
        if page.after is not None:
            rows = rows.filter(id__gt=page.after)
        found = await rows.order_by("id").limit(page.first + 1).values(*SERVICE_STATION.columns)
        nodes = [SERVICE_STATION.build(row) for row in found[: page.first]]
        return make_connection(
            nodes, len(found) > page.first, key=lambda n: n.id, count=filtered.count
        )

    @strawberry.field(
        description="Applications you may see: your own, and the queues of the stations you "
        "staff or manage. With `stationId` (a station's work queue) oldest first, otherwise "
        "newest first.",
        permission_classes=[IsAuthenticated],
    )
    async def service_applications(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None,
        station_id: strawberry.ID | None = None, status: ApplicationStatus | None = None,
        mine: bool = False,
    ) -> Connection[ServiceApplication]:  # fmt: skip
        context: Context = info.context
        assert context.viewer is not None
        filters = []
        if station_id is not None:
            filters.append(Q(station_id=key_of(station_id, "ServiceStation", what="station")))
        if status is not None:
            filters.append(Q(status=status.value))
        if mine:
            filters.append(Q(applicant_id=context.viewer.person_id))
        return await scoped_connection(
            info, SERVICE_APPLICATION, APPLICATION_SCOPE, first, after, *filters,
            newest_first=station_id is None,
        )  # fmt: skip

    @strawberry.field(
        description="One-stop service figures for [from, to) at a place (district, street or "
        "community id), for its managing roles and those above.",
        permission_classes=[IsAuthenticated],
    )
    async def service_metrics(
        self,
        info: Info,
        place_id: strawberry.ID,
        start: Annotated[
            datetime, strawberry.argument(name="from", description="Start (inclusive).")
        ],
        end: Annotated[datetime, strawberry.argument(name="to", description="End (exclusive).")],
    ) -> ServiceMetrics:
        if end <= start:
            raise BadUserInput("The period must end after it starts.", argument="to")
        kind = type_name_of(place_id, what="place")
        if kind not in ("District", "Street", "Community"):
            raise BadUserInput("Give a district, street or community.", argument="placeId")
        place = await find_place(kind, key_of(place_id, kind, what="place"))
        if FIGURES.covering_grant(info.context.viewer, place.row()) is None:
            raise Forbidden("These figures are for the managing roles at that place or above.")
        lookup: dict[str, Any] = {PLACE_FILTERS[kind]: place.id}
        f = await service_figures(Q(**lookup), start, end)
        return ServiceMetrics(
            received=f.received, done=f.done, rejected=f.rejected, withdrawn=f.withdrawn,
            open=f.open, at_doorstep=f.at_doorstep, doorstep_rate=f.doorstep_rate,
            on_time_rate=f.on_time_rate, average_hours_to_finish=f.average_hours_to_finish,
            by_category=[CategoryCount(category=ServiceCategory(k), count=v)
                         for k, v in sorted(f.by_category.items())],
        )  # fmt: skip


@strawberry.type
class StationMutation:
    @strawberry.mutation(
        description="Add or change an item of the one-stop catalogue (city admins). Omit "
        "`version` to add; send it to change; `active: false` retires an item.",
        permission_classes=[IsAuthenticated],
    )
    async def save_catalogue_item(self, info: Info, input: CatalogueItemInput) -> CatalogueItem:
        context: Context = info.context
        entry = CatalogueEntryInput(
            code=input.code, name=input.name, category=input.category,
            description=input.description, materials=input.materials,
            time_limit_days=input.time_limit_days, doorstep=input.doorstep, active=input.active,
        )  # fmt: skip
        item, grant = await management.save_catalogue_item(context.viewer, entry, input.version)
        context.note.used(grant)
        context.note.about(f"CatalogueItem:{item.code}", None, version=item.version)
        row = await CatalogueRow.filter(id=item.id).first().values(*CATALOGUE_COLUMNS)
        return catalogue_item(row)

    @strawberry.mutation(
        description="Open a station in a community or compound (its community workers and "
        "those above).",
        permission_classes=[IsAuthenticated],
    )
    async def create_service_station(
        self, info: Info, input: CreateServiceStationInput
    ) -> ServiceStation:
        context: Context = info.context
        kind = type_name_of(input.place_id, what="place")
        if kind not in ("Community", "Compound"):
            raise BadUserInput("A station is in a community or a compound.", argument="placeId")
        place = await find_place(kind, key_of(input.place_id, kind, what="place"))
        details = StationDetails(
            name=input.name, address=input.address, phone=input.phone, lon=input.lon,
            lat=input.lat, hours=_periods(input.hours),
        )  # fmt: skip
        station, grant = await management.create_station(context.viewer, place, input.code, details)
        return await _station_done(context, station.id, station.district_id, grant)

    @strawberry.mutation(
        description="Change a station's details (its managers).",
        permission_classes=[IsAuthenticated],
    )
    async def update_service_station(
        self, info: Info, input: UpdateServiceStationInput
    ) -> ServiceStation:
        context: Context = info.context
        details = StationDetails(
            name=input.name, address=input.address, phone=input.phone, lon=input.lon,
            lat=input.lat, hours=_periods(input.hours),
        )  # fmt: skip
        station, grant = await management.update_station(
            context.viewer, _station_key(input.station_id), input.version, details
        )
        return await _station_done(context, station.id, station.district_id, grant)

    @strawberry.mutation(
        description="Replace a station's staff (its managers). Staff work its application queue.",
        permission_classes=[IsAuthenticated],
    )
    async def set_station_staff(
        self, info: Info, station_id: strawberry.ID, version: int, staff: list[StationStaffInput]
    ) -> ServiceStation:
        context: Context = info.context
        members = [(key_of(s.person_id, "Person", what="person"), s.title) for s in staff]
        station, grant = await management.set_staff(
            context.viewer, _station_key(station_id), version, members
        )
        return await _station_done(
            context, station.id, station.district_id, grant, staff=len(members)
        )

    @strawberry.mutation(
        description="Replace the catalogue items a station offers (its managers).",
        permission_classes=[IsAuthenticated],
    )
    async def set_station_services(
        self, info: Info, station_id: strawberry.ID, version: int, item_codes: list[str]
    ) -> ServiceStation:
        context: Context = info.context
        station, grant = await management.set_services(
            context.viewer, _station_key(station_id), version, item_codes
        )
        return await _station_done(
            context, station.id, station.district_id, grant, services=len(set(item_codes))
        )

    @strawberry.mutation(
        description="Apply at a station for a catalogue item it offers. The application starts "
        "SUBMITTED in the station's work queue.",
        permission_classes=[IsAuthenticated],
    )
    async def apply_for_service(
        self, info: Info, input: ApplyForServiceInput
    ) -> ServiceApplication:
        context: Context = info.context
        request = Application(
            station_id=_station_key(input.station_id), item_code=input.item_code,
            note=input.note, materials=input.materials, at_doorstep=input.at_doorstep,
            booking_id=key_of(input.booking_id, "Booking", what="booking")
            if input.booking_id else None,
        )  # fmt: skip
        application = await apply(context.viewer, request)
        context.note.about(
            global_id("ServiceApplication", application.id), application.district_id,
            item=input.item_code, doorstep=application.at_doorstep,
        )  # fmt: skip
        return await _application(context, application.id)

    @strawberry.mutation(
        description="Accept, complete or reject an application (the station's staff and "
        "managers). A move not possible now answers BAD_USER_INPUT with the possible ones in "
        "`extensions.allowed`; a stale `version` answers CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def handle_service_application(
        self, info: Info, input: HandleServiceApplicationInput
    ) -> ServiceApplication:
        context: Context = info.context
        key = key_of(input.application_id, "ServiceApplication", what="application")
        application, grant = await handle(
            context.viewer, key, input.version, input.action, input.reason
        )
        if grant is not None:
            context.note.used(grant)
        context.note.about(
            input.application_id, application.district_id, action=input.action.value,
            status=application.status,
        )  # fmt: skip
        return await _application(context, application.id)

    @strawberry.mutation(
        description="Withdraw your own application before the station accepts it.",
        permission_classes=[IsAuthenticated],
    )
    async def withdraw_service_application(
        self, info: Info, application_id: strawberry.ID, version: int
    ) -> ServiceApplication:
        context: Context = info.context
        key = key_of(application_id, "ServiceApplication", what="application")
        application = await withdraw(context.viewer, key, version)
        context.note.about(application_id, application.district_id, status=application.status)
        return await _application(context, application.id)

    @strawberry.mutation(
        description="Open appointment slots at a station (its staff and managers).",
        permission_classes=[IsAuthenticated],
    )
    async def open_station_appointments(
        self, info: Info, station_id: strawberry.ID, slots: list[AppointmentSlotInput]
    ) -> list[AppointmentSlot]:
        context: Context = info.context
        key = _station_key(station_id)
        requests = [appointments.SlotRequest(s.starts_at, s.ends_at, s.capacity) for s in slots]
        made, grant = await appointments.open_slots(context.viewer, key, requests)
        station = await management.station_row(key)
        if grant is not None:
            context.note.used(grant)
        context.note.about(station_id, station.district_id, slots=len(made))
        return [
            AppointmentSlot(id=s.id, starts_at=s.starts_at, ends_at=s.ends_at,
                            capacity=s.capacity, confirmed=s.confirmed)
            for s in made
        ]  # fmt: skip

    @strawberry.mutation(
        description="Book an appointment slot at a station. A full slot answers CONFLICT; "
        "booking closes 30 minutes before the slot; at most two upcoming appointments each.",
        permission_classes=[IsAuthenticated],
    )
    async def book_station_appointment(self, info: Info, slot_id: strawberry.ID) -> Booking:
        context: Context = info.context
        key = key_of(slot_id, "AppointmentSlot", what="slot")
        booking = await appointments.book(context.viewer, key, BookingEngine())
        offering = await management.ServiceStation.filter(offering_id=booking.offering_id).first()
        context.note.about(
            global_id("Booking", booking.id), offering.district_id if offering else None,
            status=booking.status,
        )  # fmt: skip
        found = await by_id(context, BOOKING).load(booking.id)
        assert found is not None
        return found


def _station_key(station_id: str) -> int:
    return key_of(station_id, "ServiceStation", what="station")


async def _station_done(
    context: Context, station_id: int, district_id: int, grant: Grant, **summary: int
) -> ServiceStation:
    context.note.used(grant)
    context.note.about(global_id("ServiceStation", station_id), district_id, **summary)
    context.forget_loaders()
    found = await by_id(context, SERVICE_STATION).load(station_id)
    assert found is not None
    return found


async def _application(context: Context, application_id: int) -> ServiceApplication:
    context.forget_loaders()
    found = await by_id(context, SERVICE_APPLICATION).load(application_id)
    assert found is not None
    return found
