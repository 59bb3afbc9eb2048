"""Stations, the one-stop catalogue, applications and appointments through GraphQL."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

from core.access.models import Account
from core.stations.models import ServiceApplication, ServiceStation
from tests.cases.test_ladder_api import gid, xinhong_compound
from tests.support.api import codes

_unique = itertools.count()

SAVE_ITEM = """mutation($i: CatalogueItemInput!) { saveCatalogueItem(input: $i) {
  code name category materials timeLimitDays doorstep active version } }"""
CREATE_STATION = """mutation($i: CreateServiceStationInput!) { createServiceStation(input: $i) {
  id version name hours { weekdays opens closes } services { code } staff { name title } } }"""
SET_SERVICES = """mutation($s: ID!, $v: Int!, $c: [String!]!) {
  setStationServices(stationId: $s, version: $v, itemCodes: $c) { version services { code } } }"""
SET_STAFF = """mutation($s: ID!, $v: Int!, $p: [StationStaffInput!]!) {
  setStationStaff(stationId: $s, version: $v, staff: $p) { version staff { name title } } }"""
APPLY = """mutation($i: ApplyForServiceInput!) { applyForService(input: $i) {
  id version status atDoorstep materials missingMaterials item { code name } station { name }
  allowedActions } }"""
HANDLE = """mutation($i: HandleServiceApplicationInput!) { handleServiceApplication(input: $i) {
  id version status rejectReason acceptedAt finishedAt allowedActions } }"""
QUEUE = """query($s: ID!, $st: ApplicationStatus) {
  serviceApplications(stationId: $s, status: $st, first: 50) { totalCount
    edges { node { id status applicantName item { code } } } } }"""


async def person_of(username: str) -> int:
    return (await Account.get(username=username)).person_id


async def catalogue_item(
    admin, *, doorstep: bool = True, materials=("居民身份证", "户口簿")
) -> str:
    code = f"test-item-{next(_unique)}"
    data = await admin.data(
        SAVE_ITEM,
        {"i": {"code": code, "name": "居住证明", "category": "COMMUNITY_AFFAIRS",
               "materials": list(materials), "timeLimitDays": 2, "doorstep": doorstep}},
    )  # fmt: skip
    return data["saveCatalogueItem"]["code"]


async def station_with(worker, item_codes: list[str], staff: list[tuple[str, str]] = ()) -> dict:
    """A station in 欣虹社区's first compound, opened by its community worker."""
    compound = await xinhong_compound()
    created = (
        await worker.data(
            CREATE_STATION,
            {
                "i": {
                    "placeId": gid("Compound", compound.id),
                    "code": f"st-{next(_unique)}",
                    "name": "欣虹小区党群服务站",
                    "address": "欣虹小区3号楼",
                    "hours": [{"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "17:00"}],
                }
            },
        )
    )["createServiceStation"]
    version = (
        await worker.data(
            SET_SERVICES, {"s": created["id"], "v": created["version"], "c": item_codes}
        )
    )["setStationServices"]["version"]
    if staff:
        people = [{"personId": gid("Person", await person_of(u)), "title": t} for u, t in staff]
        version = (await worker.data(SET_STAFF, {"s": created["id"], "v": version, "p": people}))[
            "setStationStaff"
        ]["version"]
    return {**created, "version": version}


async def test_catalogue_is_kept_by_city_admins_and_versioned(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    worker = await client.signed_in("xinhong_worker")
    code = await catalogue_item(admin)
    listed = await client.data("{ serviceCatalogue { code materials } }")
    assert {"code": code, "materials": ["居民身份证", "户口簿"]} in listed["serviceCatalogue"]

    change = {"code": code, "name": "居住证明（新）", "category": "COMMUNITY_AFFAIRS", "version": 1}
    assert (await admin.data(SAVE_ITEM, {"i": change}))["saveCatalogueItem"]["version"] == 2
    stale = await admin.post(SAVE_ITEM, {"i": change})
    assert codes(stale) == ["CONFLICT"]
    again = await admin.post(SAVE_ITEM, {"i": {**change, "version": None}})
    assert codes(again) == ["CONFLICT"], "an existing code without a version is not overwritten"
    assert codes(await worker.post(SAVE_ITEM, {"i": {**change, "version": 2}})) == ["FORBIDDEN"]
    bad = await admin.post(SAVE_ITEM, {"i": {**change, "code": "有 空格", "version": None}})
    assert codes(bad) == ["BAD_USER_INPUT"] and bad["errors"][0]["extensions"]["argument"] == "code"

    retired = {**change, "version": 2, "active": False}
    await admin.data(SAVE_ITEM, {"i": retired})
    active = await client.data("{ serviceCatalogue { code } }")
    assert code not in [i["code"] for i in active["serviceCatalogue"]]
    everything = await client.data("{ serviceCatalogue(includeRetired: true) { code } }")
    assert code in [i["code"] for i in everything["serviceCatalogue"]]


async def test_a_station_is_public_with_hours_and_services(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    worker = await client.signed_in("xinhong_worker")
    code = await catalogue_item(admin)
    station = await station_with(worker, [code], staff=[("xinhong_grid1", "值班员")])
    compound = await xinhong_compound()
    found = await client.data(
        """query($p: ID!, $c: String!) { serviceStations(placeId: $p, itemCode: $c) {
             totalCount edges { node { id name openNow hours { weekdays opens closes }
             services { code } staff { title } community { name } compound { id } } } } }""",
        {"p": gid("Compound", compound.id), "c": code},
    )
    nodes = [e["node"] for e in found["serviceStations"]["edges"]]
    assert [n["id"] for n in nodes] == [station["id"]]
    assert nodes[0]["hours"] == [{"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "17:00"}]
    assert nodes[0]["services"] == [{"code": code}] and nodes[0]["staff"] == [{"title": "值班员"}]
    assert nodes[0]["community"]["name"] == "欣虹社区"
    assert isinstance(nodes[0]["openNow"], bool)


async def test_station_set_up_refusals_leave_nothing_behind(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    compound = await xinhong_compound()
    before = await ServiceStation.all().count()
    place = gid("Compound", compound.id)
    bad_hours = {"placeId": place, "code": "bad-hours", "name": "站",
                 "hours": [{"weekdays": [8], "opens": "08:00", "closes": "07:00"}]}  # fmt: skip
    body = await worker.post(CREATE_STATION, {"i": bad_hours})
    assert codes(body) == ["BAD_USER_INPUT"] and "hours[0]" in body["errors"][0]["message"]
    body = await resident.post(CREATE_STATION, {"i": {**bad_hours, "hours": []}})
    assert codes(body) == ["FORBIDDEN"]
    assert await ServiceStation.all().count() == before

    station = await station_with(worker, [])
    unknown = await worker.post(SET_SERVICES, {"s": station["id"], "v": station["version"],
                                               "c": ["no-such-item"]})  # fmt: skip
    assert codes(unknown) == ["BAD_USER_INPUT"]
    assert unknown["errors"][0]["extensions"]["unknown"] == ["no-such-item"]
    stale = await worker.post(SET_SERVICES, {"s": station["id"], "v": 1, "c": []})
    assert codes(stale) == ["CONFLICT"]
    assert (await ServiceStation.get(id=await _key(station["id"]))).version == station["version"]


async def test_a_resident_applies_and_the_station_staff_work_the_queue(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    worker = await client.signed_in("xinhong_worker")
    staff = await client.signed_in(
        "xinhong_grid1"
    )  # a grid worker: no say over stations, but staff here
    resident = await client.signed_in("resident_xinhong")
    outsider = await client.signed_in("resident_nanshan")
    code = await catalogue_item(admin)
    station = await station_with(worker, [code], staff=[("xinhong_grid1", "值班员")])

    applied = (
        await resident.data(
            APPLY,
            {
                "i": {
                    "stationId": station["id"],
                    "itemCode": code,
                    "materials": ["居民身份证"],
                    "atDoorstep": True,
                    "note": "行动不便，请上门",
                }
            },
        )
    )["applyForService"]
    assert applied["status"] == "SUBMITTED" and applied["atDoorstep"] is True
    assert applied["missingMaterials"] == ["户口簿"] and applied["allowedActions"] == []

    queue = (await staff.data(QUEUE, {"s": station["id"], "st": "SUBMITTED"}))[
        "serviceApplications"
    ]
    assert [e["node"]["id"] for e in queue["edges"]] == [applied["id"]]
    assert queue["edges"][0]["node"]["applicantName"]
    hidden = await outsider.data("query($id: ID!) { node(id: $id) { id } }", {"id": applied["id"]})
    assert hidden["node"] is None

    # Completing before accepting is not a move: the possible ones are named.
    early = await staff.post(HANDLE, {"i": {"applicationId": applied["id"], "version": 1,
                                            "action": "COMPLETE"}})  # fmt: skip
    assert codes(early) == ["BAD_USER_INPUT"]
    assert early["errors"][0]["extensions"]["allowed"] == ["ACCEPT", "REJECT"]
    accepted = (await staff.data(HANDLE, {"i": {"applicationId": applied["id"], "version": 1,
                                                "action": "ACCEPT"}}))["handleServiceApplication"]  # fmt: skip
    assert accepted["status"] == "ACCEPTED" and accepted["acceptedAt"]
    assert accepted["allowedActions"] == ["COMPLETE", "REJECT"]
    stale = await worker.post(HANDLE, {"i": {"applicationId": applied["id"], "version": 1,
                                             "action": "REJECT", "reason": "x"}})  # fmt: skip
    assert codes(stale) == ["CONFLICT"]
    done = (await worker.data(HANDLE, {"i": {"applicationId": applied["id"], "version": 2,
                                             "action": "COMPLETE"}}))["handleServiceApplication"]  # fmt: skip
    assert done["status"] == "DONE" and done["finishedAt"]

    mine = await resident.data(
        "{ serviceApplications(mine: true, first: 5) { edges { node { id status } } } }"
    )
    assert {"id": applied["id"], "status": "DONE"} in [
        e["node"] for e in mine["serviceApplications"]["edges"]
    ]

    community = (await ServiceStation.get(id=int(await _key(station["id"])))).community_id
    now = datetime.now(UTC)
    figures = await worker.data(
        """query($c: ID!, $a: DateTime!, $b: DateTime!) { serviceMetrics(placeId: $c, from: $a, to: $b) {
             received done atDoorstep doorstepRate onTimeRate byCategory { category count } } }""",
        {"c": gid("Community", community), "a": (now - timedelta(hours=1)).isoformat(),
         "b": (now + timedelta(hours=1)).isoformat()},
    )  # fmt: skip
    m = figures["serviceMetrics"]
    assert m["received"] >= 1 and m["done"] >= 1 and m["atDoorstep"] >= 1
    assert 0 < m["doorstepRate"] <= 1 and m["onTimeRate"] == 1.0
    assert {"category": "COMMUNITY_AFFAIRS", "count": m["received"]} in m["byCategory"]
    assert codes(await resident.post(
        """query($c: ID!) { serviceMetrics(placeId: $c, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { received } }""",
        {"c": gid("Community", community)},
    )) == ["FORBIDDEN"]  # fmt: skip


async def _key(station_id: str) -> int:
    from strawberry.relay import GlobalID

    return int(GlobalID.from_id(station_id).node_id)


async def test_rejections_need_a_reason_and_applications_are_checked(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    code = await catalogue_item(admin, doorstep=False)
    other = await catalogue_item(admin)
    station = await station_with(worker, [code])
    before = await ServiceApplication.all().count()
    for bad, argument in [
        ({"itemCode": other}, "itemCode"),  # not offered here
        ({"itemCode": code, "atDoorstep": True}, "atDoorstep"),
        ({"itemCode": code, "materials": ["护照"]}, "materials"),
    ]:
        body = await resident.post(APPLY, {"i": {"stationId": station["id"], **bad}})
        assert codes(body) == ["BAD_USER_INPUT"], bad
        assert body["errors"][0]["extensions"]["argument"] == argument
    assert await ServiceApplication.all().count() == before

    applied = (await resident.data(APPLY, {"i": {"stationId": station["id"], "itemCode": code}}))[
        "applyForService"
    ]
    no_reason = await worker.post(HANDLE, {"i": {"applicationId": applied["id"], "version": 1,
                                                 "action": "REJECT"}})  # fmt: skip
    assert codes(no_reason) == ["BAD_USER_INPUT"]
    rejected = (await worker.data(HANDLE, {"i": {"applicationId": applied["id"], "version": 1,
                                                 "action": "REJECT", "reason": "材料不全"}}))  # fmt: skip
    assert rejected["handleServiceApplication"]["rejectReason"] == "材料不全"
    withdraw = await resident.post(
        "mutation($a: ID!) { withdrawServiceApplication(applicationId: $a, version: 2) { status } }",
        {"a": applied["id"]},
    )
    assert codes(withdraw) == ["BAD_USER_INPUT"], "a rejected application is not withdrawn"


async def test_a_resident_books_a_station_appointment_and_applies_with_it(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    code = await catalogue_item(admin)
    station = await station_with(worker, [code], staff=[("xinhong_grid1", "值班员")])
    staff = await client.signed_in("xinhong_grid1")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    opened = await staff.data(
        """mutation($s: ID!, $a: DateTime!, $b: DateTime!) {
             openStationAppointments(stationId: $s, slots: [{startsAt: $a, endsAt: $b, capacity: 1}]) {
               id free } }""",
        {"s": station["id"], "a": start.isoformat(), "b": (start + timedelta(minutes=30)).isoformat()},
    )  # fmt: skip
    slot = opened["openStationAppointments"][0]
    assert slot["free"] == 1
    listed = await resident.data(
        "query($s: ID!) { node(id: $s) { ... on ServiceStation { appointmentSlots { id free } } } }",
        {"s": station["id"]},
    )
    assert listed["node"]["appointmentSlots"] == [{"id": slot["id"], "free": 1}]

    booked = await resident.data(
        "mutation($s: ID!) { bookStationAppointment(slotId: $s) { id status title startsAt owner kind } }",
        {"s": slot["id"]},
    )
    booking = booked["bookStationAppointment"]
    assert booking["status"] == "CONFIRMED" and booking["owner"] == "core.stations"
    assert "预约办理" in booking["title"]
    full = await worker.post(
        "mutation($s: ID!) { bookStationAppointment(slotId: $s) { id } }", {"s": slot["id"]}
    )
    assert codes(full) == ["CONFLICT"]

    applied = await resident.data(
        APPLY, {"i": {"stationId": station["id"], "itemCode": code, "bookingId": booking["id"]}}
    )
    assert applied["applyForService"]["status"] == "SUBMITTED"
    mine = await resident.data("{ myBookings(active: true, first: 50) { edges { node { id } } } }")
    assert booking["id"] in [e["node"]["id"] for e in mine["myBookings"]["edges"]]
    theirs = await worker.post(
        "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }", {"b": booking["id"]}
    )
    assert codes(theirs) == ["NOT_FOUND"], "someone else's booking does not exist for you"
    cancelled = await resident.data(
        "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }", {"b": booking["id"]}
    )
    assert cancelled["cancelBooking"]["status"] == "CANCELLED"
    again = await resident.data(
        "query($s: ID!) { node(id: $s) { ... on ServiceStation { appointmentSlots { free } } } }",
        {"s": station["id"]},
    )
    assert again["node"]["appointmentSlots"] == [{"free": 1}]


async def test_simultaneous_bookings_of_one_slot_confirm_only_its_capacity(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    station = await station_with(worker, [])
    start = datetime.now(UTC) + timedelta(days=3)
    slot = (
        await worker.data(
            """mutation($s: ID!, $a: DateTime!, $b: DateTime!) {
                 openStationAppointments(stationId: $s, slots: [{startsAt: $a, endsAt: $b, capacity: 2}]) { id } }""",
            {
                "s": station["id"],
                "a": start.isoformat(),
                "b": (start + timedelta(hours=1)).isoformat(),
            },
        )
    )["openStationAppointments"][0]
    people = [
        "resident_xinhong",
        "resident_nanshan",
        "xinhong_grid1",
        "hongqi_officer",
        "gongnong_admin",
    ]
    clients = [await client.signed_in(u) for u in people]
    bodies = await asyncio.gather(*(
        c.post("mutation($s: ID!) { bookStationAppointment(slotId: $s) { status } }", {"s": slot["id"]})
        for c in clients
    ))  # fmt: skip
    confirmed = [b for b in bodies if not b.get("errors")]
    assert len(confirmed) == 2
    assert all(codes(b) == ["CONFLICT"] for b in bodies if b.get("errors"))
