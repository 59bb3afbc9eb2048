"""Probes of the stations area's root operations (see tests/access/probes.py)."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from core.booking.models import Booking, Offering, Slot
from core.stations.models import (
    CatalogueItem,
    ServiceApplication,
    ServiceStation,
    StationService,
    StationStaff,
)
from tests.access.probes import Probe, gid, ok

_unique = itertools.count()
PROBE_ITEM = "probe-residence-proof"


async def probe_item() -> CatalogueItem:
    item, _ = await CatalogueItem.get_or_create(
        code=PROBE_ITEM,
        defaults={"name": "居住证明（探针）", "category": "COMMUNITY_AFFAIRS",
                  "materials": ["居民身份证"], "doorstep": True},
    )  # fmt: skip
    return item


async def station_at(p: Probe, relation: str) -> ServiceStation:
    """A station in the compound at the relation, offering the probe item."""
    compound = p.target(relation).compound
    station = await ServiceStation.create(
        code=f"probe-station-{next(_unique)}", name="探针服务站",
        district_id=compound.district_id, street_id=compound.street_id,
        community_id=compound.community_id, compound_id=compound.id,
    )  # fmt: skip
    await StationService.create(station_id=station.id, item_id=(await probe_item()).id)
    return station


async def drop_station(station: ServiceStation) -> None:
    await ServiceApplication.filter(station_id=station.id).delete()
    await StationStaff.filter(station_id=station.id).delete()
    await StationService.filter(station_id=station.id).delete()
    await ServiceStation.filter(id=station.id).delete()
    offering_ids = await Offering.filter(title__startswith="探针服务站").values_list(
        "id", flat=True
    )
    await Booking.filter(offering_id__in=offering_ids).delete()
    await Offering.filter(id__in=offering_ids).delete()


async def _application_at(p: Probe, relation: str) -> tuple[ServiceStation, ServiceApplication]:
    station = await station_at(p, relation)
    application = await ServiceApplication.create(
        district_id=station.district_id, street_id=station.street_id,
        community_id=station.community_id, station_id=station.id,
        item_id=(await probe_item()).id, applicant_id=p.target(relation).person,
    )  # fmt: skip
    return station, application


async def service_applications(p: Probe, relation: str) -> bool:
    station, application = await _application_at(p, relation)
    try:
        body = await p.client.post("{ serviceApplications(first: 100) { edges { node { id } } } }")
        wanted = gid("ServiceApplication", application.id)
        return ok(body) and any(
            e["node"]["id"] == wanted for e in body["data"]["serviceApplications"]["edges"]
        )
    finally:
        await drop_station(station)


async def handle_service_application(p: Probe, relation: str) -> bool:
    station, application = await _application_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($i: HandleServiceApplicationInput!) { handleServiceApplication(input: $i) { status } }",
            {"i": {"applicationId": gid("ServiceApplication", application.id), "version": 1,
                   "action": "ACCEPT"}},
        )  # fmt: skip
        return ok(body)
    finally:
        await drop_station(station)


async def withdraw_service_application(p: Probe, relation: str) -> bool:
    station, application = await _application_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($a: ID!) { withdrawServiceApplication(applicationId: $a, version: 1) { status } }",
            {"a": gid("ServiceApplication", application.id)},
        )
        return ok(body)
    finally:
        await drop_station(station)


async def service_metrics(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        'query($c: ID!) { serviceMetrics(placeId: $c, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { received } }',
        {"c": gid("Community", p.target(relation).grid.community_id)},
    )
    return ok(body)


async def save_catalogue_item(p: Probe, relation: str) -> bool:
    code = f"probe-item-{next(_unique)}"
    body = await p.client.post(
        'mutation($c: String!) { saveCatalogueItem(input: {code: $c, name: "探针事项", category: GOVERNMENT_AFFAIRS}) { code } }',
        {"c": code},
    )
    await CatalogueItem.filter(code=code).delete()
    return ok(body)


async def create_service_station(p: Probe, relation: str) -> bool:
    code = f"probe-new-{next(_unique)}"
    body = await p.client.post(
        'mutation($i: CreateServiceStationInput!) { createServiceStation(input: $i) { id } }',
        {"i": {"placeId": gid("Compound", p.target(relation).compound.id), "code": code,
               "name": "探针服务站"}},
    )  # fmt: skip
    for station in await ServiceStation.filter(code=code):
        await drop_station(station)
    return ok(body)


def _on_station(
    query: str, variables: Callable[[ServiceStation], dict[str, object]]
) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        station = await station_at(p, relation)
        try:
            return ok(await p.client.post(query, variables(station)))
        finally:
            await drop_station(station)

    return probe


def _soon(hours: int) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def _slot_at(p: Probe, relation: str) -> tuple[ServiceStation, Slot]:
    station = await station_at(p, relation)
    offering = await Offering.create(
        owner="core.stations", kind="appointment", title="探针服务站 预约办理",
        district_id=station.district_id, street_id=station.street_id,
        community_id=station.community_id, waitlist=False,
    )  # fmt: skip
    await ServiceStation.filter(id=station.id).update(offering_id=offering.id)
    start = datetime.now(UTC) + timedelta(days=1)
    slot = await Slot.create(
        offering_id=offering.id, starts_at=start, ends_at=start + timedelta(hours=1), capacity=5
    )
    return station, slot


async def book_station_appointment(p: Probe, relation: str) -> bool:
    station, slot = await _slot_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($s: ID!) { bookStationAppointment(slotId: $s) { status } }",
            {"s": gid("AppointmentSlot", slot.id)},
        )
        return ok(body)
    finally:
        await drop_station(station)


async def cancel_booking(p: Probe, relation: str) -> bool:
    station, slot = await _slot_at(p, relation)
    person = p.viewer_person if relation == "own" else p.target(relation).person
    try:
        booking = await Booking.create(
            slot_id=slot.id, person_id=person, offering_id=slot.offering_id, status="CONFIRMED"
        )
        body = await p.client.post(
            "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }",
            {"b": gid("Booking", booking.id)},
        )
        return ok(body)
    finally:
        await drop_station(station)


async def apply_for_service(p: Probe, relation: str) -> bool:
    station = await station_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($i: ApplyForServiceInput!) { applyForService(input: $i) { status } }",
            {"i": {"stationId": gid("ServiceStation", station.id), "itemCode": PROBE_ITEM}},
        )
        return ok(body)
    finally:
        await drop_station(station)


def answers(query: str, key: str) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        body = await p.client.post(query)
        return ok(body) and body["data"][key] is not None

    return probe


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "serviceCatalogue": answers("{ serviceCatalogue { code } }", "serviceCatalogue"),
    "serviceStations": answers("{ serviceStations(first: 1) { totalCount } }", "serviceStations"),
    "myBookings": answers("{ myBookings(first: 1) { totalCount } }", "myBookings"),
    "cancelBooking": cancel_booking,
    "serviceApplications": service_applications,
    "handleServiceApplication": handle_service_application,
    "withdrawServiceApplication": withdraw_service_application,
    "serviceMetrics": service_metrics,
    "saveCatalogueItem": save_catalogue_item,
    "createServiceStation": create_service_station,
    "updateServiceStation": _on_station(
        'mutation($s: ID!) { updateServiceStation(input: {stationId: $s, version: 1, phone: "0468-1"}) { phone } }',
        lambda s: {"s": gid("ServiceStation", s.id)},
    ),
    "setStationStaff": _on_station(
        "mutation($s: ID!) { setStationStaff(stationId: $s, version: 1, staff: []) { id } }",
        lambda s: {"s": gid("ServiceStation", s.id)},
    ),
    "setStationServices": _on_station(
        "mutation($s: ID!, $c: [String!]!) { setStationServices(stationId: $s, version: 1, itemCodes: $c) { id } }",
        lambda s: {"s": gid("ServiceStation", s.id), "c": [PROBE_ITEM]},
    ),
    "openStationAppointments": _on_station(
        "mutation($s: ID!, $a: DateTime!, $b: DateTime!) { openStationAppointments(stationId: $s, slots: [{startsAt: $a, endsAt: $b, capacity: 3}]) { id } }",
        lambda s: {"s": gid("ServiceStation", s.id), "a": _soon(24), "b": _soon(25)},
    ),
    "applyForService": apply_for_service,
    "bookStationAppointment": book_station_appointment,
}
