"""GraphQL types of stations, the one-stop catalogue and applications."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.booking.models import Slot
from core.stations import models
from core.stations.applications import ApplicationAction, ApplicationStatus, allowed_actions
from core.stations.hours import is_open, periods_of
from core.stations.management import ServiceCategory
from core.stations.rules import APPLICATION_HANDLERS, APPLICATION_SCOPE
from schema.access.rules import scoped
from schema.access.types import PERSON, Person
from schema.context import Context
from schema.loaders import by_id
from schema.nodes import NodeSource
from schema.regions.types import COMMUNITY, COMPOUND, Community, Compound

strawberry.enum(
    ServiceCategory,
    name="ServiceCategory",
    description="The three parts of the one-stop catalogue: COMMUNITY_AFFAIRS 社区事务, "
    "GOVERNMENT_AFFAIRS 政务服务, PROPERTY_AFFAIRS 物业事务.",
)
strawberry.enum(
    ApplicationStatus, name="ApplicationStatus", description="Where an application stands."
)
strawberry.enum(
    ApplicationAction, name="ApplicationAction", description="What station staff do with one."
)


@strawberry.type(description="一站式服务事项: one item of the city-wide one-stop catalogue.")
class CatalogueItem:
    code: str = strawberry.field(description="Stable code, e.g. residence-certificate.")
    name: str = strawberry.field(description="Chinese name, e.g. 居住证明.")
    category: ServiceCategory = strawberry.field(description="Which part of the catalogue.")
    description: str = strawberry.field(description="What the service is.")
    materials: list[str] = strawberry.field(description="What the applicant brings.")
    time_limit_days: int = strawberry.field(
        description="Promised handling time in days (0: on the spot)."
    )
    doorstep: bool = strawberry.field(
        description="Whether it can be handled at the applicant's home (上门办理)."
    )
    active: bool = strawberry.field(description="False once retired from the catalogue.")
    version: int = strawberry.field(description="Send it back to change the item.")
    id: strawberry.Private[int]


CATALOGUE_COLUMNS = tuple(f for f in CatalogueItem.__annotations__)


def catalogue_item(row: dict[str, Any]) -> CatalogueItem:
    return CatalogueItem(**{k: row[k] for k in CATALOGUE_COLUMNS})


@strawberry.type(description="A weekly opening period, in city time.")
class OpeningPeriod:
    weekdays: list[int] = strawberry.field(description="Days it applies to: 1 Monday … 7 Sunday.")
    opens: str = strawberry.field(description="Opening time, HH:MM.")
    closes: str = strawberry.field(description="Closing time, HH:MM.")


@strawberry.type(description="Someone on a station's staff, named as staff on duty.")
class StationStaffMember:
    name: str = strawberry.field(description="Their name.")
    title: str = strawberry.field(description="Their duty at the station, e.g. 值班员.")


@strawberry.type(description="An appointment slot of a station.")
class AppointmentSlot(relay.Node):
    id: relay.NodeID[int]
    starts_at: datetime = strawberry.field(description="Start (UTC).")
    ends_at: datetime = strawberry.field(description="End (UTC).")
    capacity: int = strawberry.field(description="Appointments it takes.")
    confirmed: strawberry.Private[int]

    @strawberry.field(description="Appointments still free.")
    def free(self) -> int:
        return max(self.capacity - self.confirmed, 0)


@strawberry.type(
    description="党群服务站点: a party-mass service station in a community or compound."
)
class ServiceStation(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique in its district.")
    name: str = strawberry.field(description="Name, e.g. 欣虹社区党群服务中心.")
    address: str = strawberry.field(description="Street address.")
    phone: str = strawberry.field(description="Telephone.")
    lon: float | None = strawberry.field(description="Longitude.")
    lat: float | None = strawberry.field(description="Latitude.")
    version: int = strawberry.field(description="Send it back to change the station.")
    hours: strawberry.Private[Any]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    compound_id: strawberry.Private[int | None]
    offering_id: strawberry.Private[int | None]

    @strawberry.field(name="hours", description="Opening hours, city time.")
    def opening_hours(self) -> list[OpeningPeriod]:
        return [
            OpeningPeriod(weekdays=list(p.weekdays), opens=p.opens, closes=p.closes)
            for p in periods_of(self.hours)
        ]

    @strawberry.field(description="Whether it is open right now.")
    def open_now(self, info: Info) -> bool:
        zone = info.context.activation.config.city.time_zone
        return is_open(self.hours, datetime.now(UTC), zone)

    @strawberry.field(description="The community it serves.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, COMMUNITY).load(self.community_id)

    @strawberry.field(description="The compound it is in, for a compound station.")
    async def compound(self, info: Info) -> Compound | None:
        if self.compound_id is None:
            return None
        return await by_id(info.context, COMPOUND).load(self.compound_id)

    @strawberry.field(description="The catalogue items it offers, by catalogue order.")
    async def services(self, info: Info) -> list[CatalogueItem]:
        return await services_by_station(info.context).load(self.id)

    @strawberry.field(description="Its staff.")
    async def staff(self, info: Info) -> list[StationStaffMember]:
        return await staff_by_station(info.context).load(self.id)

    @strawberry.field(
        description="Appointment slots starting after now (or `from`), soonest first, at most 50."
    )
    async def appointment_slots(
        self,
        start: Annotated[
            datetime | None, strawberry.argument(name="from", description="Default: now.")
        ] = None,
    ) -> list[AppointmentSlot]:
        if self.offering_id is None:
            return []
        since = start or datetime.now(UTC)
        rows = (
            await Slot.filter(offering_id=self.offering_id, starts_at__gte=since)
            .order_by("starts_at", "id")
            .limit(50)
            .values("id", "starts_at", "ends_at", "capacity", "confirmed")
        )
        return [AppointmentSlot(**row) for row in rows]


@scoped(APPLICATION_SCOPE)
@strawberry.type(
    description="An application for a one-stop service at a station: seen by the applicant, "
    "the station's staff and its managers."
)
class ServiceApplication(relay.Node):
    id: relay.NodeID[int]
    status: ApplicationStatus = strawberry.field(description="Where it stands.")
    note: str = strawberry.field(description="What the applicant wrote.")
    materials: list[str] = strawberry.field(description="The materials the applicant brings.")
    at_doorstep: bool = strawberry.field(description="Handled at the applicant's home (上门办理).")
    reject_reason: str | None = strawberry.field(description="Why it was rejected.")
    created_at: datetime = strawberry.field(description="When it was submitted (UTC).")
    accepted_at: datetime | None = strawberry.field(description="When staff accepted it (UTC).")
    finished_at: datetime | None = strawberry.field(
        description="When it was done, rejected or withdrawn (UTC)."
    )
    version: int = strawberry.field(description="Send it back with an action.")
    station_id: strawberry.Private[int]
    item_id: strawberry.Private[int]
    applicant_id: strawberry.Private[int]
    booking_id: strawberry.Private[int | None]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    staff_ids: strawberry.Private[frozenset[int]] = frozenset()

    @strawberry.field(description="The station.")
    async def station(self, info: Info) -> ServiceStation:
        return await by_id(info.context, SERVICE_STATION).load(self.station_id)

    @strawberry.field(description="The catalogue item applied for.")
    async def item(self, info: Info) -> CatalogueItem:
        return await items_by_id(info.context).load(self.item_id)

    @strawberry.field(
        description="Required materials of the item the applicant did not say they bring."
    )
    async def missing_materials(self, info: Info) -> list[str]:
        item = await items_by_id(info.context).load(self.item_id)
        return [m for m in item.materials if m not in self.materials]

    @strawberry.field(description="Who applied; null when you may not see that person.")
    async def applicant(self, info: Info) -> Person | None:
        return await by_id(info.context, PERSON).load(self.applicant_id)

    @strawberry.field(description="The applicant's name, for the staff handling it.")
    async def applicant_name(self, info: Info) -> str | None:
        person = await by_id(info.context, PERSON).load(self.applicant_id)
        return person.name if person else None

    @strawberry.field(description="The actions you may take on it now (empty: none).")
    def allowed_actions(self, info: Info) -> list[ApplicationAction]:
        viewer, row = info.context.viewer, vars(self)
        if APPLICATION_HANDLERS.covering_grant(viewer, row) or APPLICATION_HANDLERS.is_member(
            viewer, row
        ):
            return allowed_actions(self.status)
        return []


def services_by_station(context: Context) -> DataLoader[int, list[CatalogueItem]]:
    async def load(ids: Sequence[int]) -> list[list[CatalogueItem]]:
        links = await models.StationService.filter(station_id__in=list(ids)).values_list(
            "station_id", "item_id"
        )
        items = await items_by_id(context).load_many(sorted({i for _, i in links}))
        by_item = {item.id: item for item in items}
        found: dict[int, list[CatalogueItem]] = {i: [] for i in ids}
        for station_id, item_id in links:
            found[station_id].append(by_item[item_id])
        return [sorted(found[i], key=lambda item: item.code) for i in ids]

    return context.loader("station_services", lambda: DataLoader(load))


def staff_by_station(context: Context) -> DataLoader[int, list[StationStaffMember]]:
    async def load(ids: Sequence[int]) -> list[list[StationStaffMember]]:
        rows = (
            await models.StationStaff.filter(station_id__in=list(ids))
            .order_by("id")
            .values("station_id", "title", "person__name")
        )
        found: dict[int, list[StationStaffMember]] = {i: [] for i in ids}
        for row in rows:
            found[row["station_id"]].append(
                StationStaffMember(name=row["person__name"], title=row["title"])
            )
        return [found[i] for i in ids]

    return context.loader("station_staff", lambda: DataLoader(load))


def items_by_id(context: Context) -> DataLoader[int, CatalogueItem]:
    async def load(ids: Sequence[int]) -> list[CatalogueItem]:
        rows = await models.CatalogueItem.filter(id__in=list(ids)).values(*CATALOGUE_COLUMNS)
        found = {row["id"]: catalogue_item(row) for row in rows}
        return [found[i] for i in ids]

    return context.loader("catalogue_items", lambda: DataLoader(load))


async def _with_staff(applications: Sequence[Any]) -> None:
    rows = await models.StationStaff.filter(
        station_id__in={a.station_id for a in applications}
    ).values_list("station_id", "person_id")
    by_station: dict[int, set[int]] = {}
    for station_id, person_id in rows:
        by_station.setdefault(station_id, set()).add(person_id)
    for application in applications:
        application.staff_ids = frozenset(by_station.get(application.station_id, ()))


SERVICE_STATION = NodeSource(ServiceStation, models.ServiceStation)
SERVICE_APPLICATION = NodeSource(ServiceApplication, models.ServiceApplication, enrich=_with_staff)
