"""Switched off in a district (兴山区 in the test config), every field of the module answers
MODULE_DISABLED there and lists leave it out, core's snap-and-report keeps working, and the data
is all there again when the district switches the module back on."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from strawberry.types.base import get_object_definition

from core.access.models import Account
from core.booking.models import Offering, Slot
from core.regions.models import Compound, District
from plugins.new_employment_stations.graphql import contribution
from plugins.new_employment_stations.models import (
    Activity,
    Award,
    GigWorker,
    Station,
    Visit,
    WorkerReport,
)
from tests.cases.test_ladder_api import gid
from tests.new_employment_stations.support import ALWAYS, person_with_login, xingshan_point
from tests.support.api import codes
from tests.support.configs import TEST_CONFIG

ON_IN_XINGSHAN = TEST_CONFIG.replace(
    'name = "兴山区"\nmodules = []', 'name = "兴山区"\nmodules = ["new_employment_stations"]'
)


async def xingshan_data(client):
    """A station, a worker with an open visit, an activity, a report and its points in 兴山区,
    written directly (the API refuses to write where the module is off)."""
    xingshan = await District.get(code="xingshan")
    compound = await Compound.filter(district_id=xingshan.id).order_by("id").first()
    lon, lat = await xingshan_point()
    station = await Station.create(
        code=f"xs-{uuid.uuid4().hex[:6]}", name="兴山小哥驿站", district_id=xingshan.id,
        street_id=compound.street_id, community_id=compound.community_id,
        compound_id=compound.id, lon=lon, lat=lat, hours=ALWAYS, chargers=2,
    )  # fmt: skip
    signed, person = await person_with_login(client, "兴山骑手")
    worker = await GigWorker.create(
        person_id=person, district_id=xingshan.id, kind="RIDER", platform="美团"
    )
    place = {"district_id": xingshan.id, "street_id": compound.street_id,
             "community_id": compound.community_id}  # fmt: skip
    visit = await Visit.create(
        station_id=station.id, worker_id=worker.id, person_id=person,
        checked_in_at=datetime.now(UTC), open_worker_id=worker.id, **place,
    )  # fmt: skip
    start = datetime.now(UTC) + timedelta(days=2)
    offering = await Offering.create(owner="new_employment_stations", kind="care_activity",
                                     title="冬日暖心", **place)  # fmt: skip
    slot = await Slot.create(offering_id=offering.id, starts_at=start,
                             ends_at=start + timedelta(hours=1), capacity=10)  # fmt: skip
    activity = await Activity.create(
        station_id=station.id, season="WINTER", title="冬日暖心", starts_at=start,
        ends_at=slot.ends_at, offering_id=offering.id, slot_id=slot.id, **place,
    )  # fmt: skip
    case_id = 10_000_000 + worker.id
    report = await WorkerReport.create(
        case_id=case_id, worker_id=worker.id, person_id=person, category="road_damage",
        reported_at=datetime.now(UTC), points=10, **place,
    )  # fmt: skip
    month = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    await Award.create(case_id=case_id, reason="CONFIRMED", worker_id=worker.id, points=10,
                       month=month, awarded_at=datetime.now(UTC), event_id=0, **place)  # fmt: skip
    return {
        "signed": signed, "person": person, "district": gid("District", xingshan.id),
        "community": gid("Community", compound.community_id),
        "compound": gid("Compound", compound.id), "station": gid("WorkerStation", station.id),
        "worker": gid("GigWorker", worker.id), "visit": gid("WorkerStationVisit", visit.id),
        "activity": gid("WorkerActivity", activity.id), "report": gid("GigWorkerReport", report.id),
        "lon": lon, "lat": lat,
    }  # fmt: skip


# Each root field of the module, asked about 兴山区 data: the answer where the module is off.
QUERIES = {
    "workerStations": "query($district: ID!) { workerStations(placeId: $district) { totalCount edges { node { id } } } }",
    "nearestWorkerStations": "query($lon: Float!, $lat: Float!) { nearestWorkerStations(lon: $lon, lat: $lat, radiusMeters: 500) { station { id } } }",
    "workerStationVisits": "query($station: ID!) { workerStationVisits(stationId: $station) { totalCount edges { node { id } } } }",
    "workerActivities": "query($station: ID!) { workerActivities(stationId: $station) { totalCount edges { node { id } } } }",
    "myGigWorker": "{ myGigWorker { id } }",
    "myGigWorkerReports": "{ myGigWorkerReports { totalCount edges { node { id } } } }",
    "gigWorkerLeaderboard": "query($district: ID!) { gigWorkerLeaderboard(districtId: $district) { month } }",
    "workerStationFigures": 'query($district: ID!) { workerStationFigures(placeId: $district, from: "2026-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z") { checkIns } }',
}
MUTATIONS = {
    "createWorkerStation": 'mutation($compound: ID!) { createWorkerStation(input: {placeId: $compound, code: "xs-new", name: "新站", lon: 130.2, lat: 47.3}) { id } }',
    "updateWorkerStation": 'mutation($station: ID!) { updateWorkerStation(input: {stationId: $station, version: 1, phone: "1"}) { id } }',
    "setWorkerStationKeeper": "mutation($station: ID!) { setWorkerStationKeeper(stationId: $station, version: 1) { id } }",
    "registerGigWorker": 'mutation($district: ID!) { registerGigWorker(input: {kind: RIDER, platform: "美团", districtId: $district}) { id } }',
    "verifyGigWorker": "mutation($worker: ID!, $station: ID!) { verifyGigWorker(workerId: $worker, stationId: $station) { verified } }",
    "checkInAtWorkerStation": "mutation($station: ID!) { checkInAtWorkerStation(stationId: $station) { id } }",
    "checkOutOfWorkerStation": "mutation { checkOutOfWorkerStation { id } }",
    "createWorkerActivity": 'mutation($station: ID!) { createWorkerActivity(input: {stationId: $station, title: "t", capacity: 1, startsAt: "2030-01-01T10:00:00+08:00", endsAt: "2030-01-01T11:00:00+08:00"}) { id } }',
    "bookWorkerActivity": "mutation($activity: ID!) { bookWorkerActivity(activityId: $activity) { id } }",
}
BY_THE_WORKER = {"registerGigWorker", "checkInAtWorkerStation", "checkOutOfWorkerStation",
                 "bookWorkerActivity"}  # fmt: skip
LISTS = {"workerStations", "nearestWorkerStations", "workerStationVisits", "workerActivities",
         "myGigWorkerReports"}  # fmt: skip


def _variables(document: str, data: dict) -> dict:
    return {name: data[name] for name in re.findall(r"\$(\w+):", document)}


def test_every_root_field_of_the_module_is_covered_here():
    contributed = contribution()
    names = {
        f.python_name for t in (contributed.query, contributed.mutation)
        for f in get_object_definition(t, strict=True).fields
    }  # fmt: skip
    camel = {re.sub(r"_(\w)", lambda m: m.group(1).upper(), n) for n in names}
    assert camel == set(QUERIES) | set(MUTATIONS)


async def test_every_field_answers_module_disabled_where_the_module_is_off(api):
    client = await api()
    data = await xingshan_data(client)
    admin = await client.signed_in("city_admin")
    worker = data["signed"]
    for name, document in QUERIES.items():
        body = await (admin if name == "workerStationFigures" else worker).post(
            document, _variables(document, data)
        )
        if name in LISTS:  # lists leave the place out
            assert not body.get("errors"), (name, body)
            found = body["data"][name]
            assert found == [] or (found["totalCount"], found["edges"]) == (0, []), (name, found)
        else:
            assert codes(body) == ["MODULE_DISABLED"], (name, body)
            assert body["data"][name] is None
            assert body["errors"][0]["extensions"]["module"] == "new_employment_stations"
    stations_before = await Station.all().count()
    for name, document in MUTATIONS.items():
        actor = worker if name in BY_THE_WORKER else admin
        body = await actor.post(document, _variables(document, data))
        assert codes(body) == ["MODULE_DISABLED"], (name, body)
    assert await Station.all().count() == stations_before, "nothing was written"
    assert await Visit.filter(checked_out_at=None, person_id=await _person(worker)).count() == 1

    for kind in ("station", "worker", "visit", "activity", "report"):
        body = await admin.post("query($id: ID!) { node(id: $id) { id } }", {"id": data[kind]})
        assert codes(body) == ["MODULE_DISABLED"], (kind, body)
    on_community = await client.post(
        "query($c: ID!) { node(id: $c) { ... on Community { name workerStations { id } } } }",
        {"c": data["community"]},
    )
    assert codes(on_community) == ["MODULE_DISABLED"]
    assert on_community["data"]["node"]["name"], "the core fields of the community still answer"

    lon, lat = data["lon"], data["lat"]
    core = await worker.data(
        "mutation($i: SnapReportInput!) { snapReport(input: $i) { created case { status grid { code } } } }",
        {
            "i": {
                "idempotencyKey": str(uuid.uuid4()),
                "category": "road_damage",
                "lon": lon,
                "lat": lat,
            }
        },
    )
    assert core["snapReport"]["created"] is True, (
        "core's snap-and-report works where the module is off"
    )


async def test_switched_back_on_the_data_is_all_there(api):
    client = await api()
    data = await xingshan_data(client)
    on = await api(ON_IN_XINGSHAN)
    account = await Account.get(person_id=data["person"])
    worker = on.as_token(on.runtime.tokens.issue(account.id)[0])
    admin = await on.signed_in("city_admin")
    listed = await on.data(QUERIES["workerStations"], {"district": data["district"]})
    assert data["station"] in [e["node"]["id"] for e in listed["workerStations"]["edges"]]
    mine = await worker.data("{ myGigWorker { id } myGigWorkerReports { totalCount } }")
    assert mine["myGigWorker"]["id"] == data["worker"]
    assert mine["myGigWorkerReports"]["totalCount"] == 1
    board = await worker.data(
        "query($d: ID!) { gigWorkerLeaderboard(districtId: $d) { entries { points isYou } } }",
        {"d": data["district"]},
    )
    assert {"points": 10, "isYou": True} in board["gigWorkerLeaderboard"]["entries"]
    for kind in ("station", "worker", "visit", "activity", "report"):
        found = await admin.data("query($id: ID!) { node(id: $id) { id } }", {"id": data[kind]})
        assert found["node"] == {"id": data[kind]}
    out = await worker.data("mutation { checkOutOfWorkerStation { checkedOutAt } }")
    assert out["checkOutOfWorkerStation"]["checkedOutAt"] is not None


async def _person(client) -> int:
    me = await client.data("{ me { username } }")
    return (await Account.get(username=me["me"]["username"])).person_id
