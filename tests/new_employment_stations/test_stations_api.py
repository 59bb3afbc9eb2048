"""Stations through GraphQL: opening and changing them, keepers, hours, and the nearest ones."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.regions.models import Community
from plugins.new_employment_stations.hours import is_open
from tests.cases.test_ladder_api import gid
from tests.new_employment_stations.support import (
    CHECK_IN,
    keeper_at,
    person_with_login,
    rider,
    station,
    xinhong_point,
)
from tests.support.api import codes

UPDATE = """mutation($i: UpdateWorkerStationInput!) { updateWorkerStation(input: $i) {
  version chargers amenities phone } }"""
KEEPER = """mutation($s: ID!, $v: Int!, $p: ID) { setWorkerStationKeeper(stationId: $s, version: $v, personId: $p) {
  version keeperName } }"""
NEAREST = """query($lon: Float!, $lat: Float!, $c: Boolean, $o: Boolean, $r: Int) {
  nearestWorkerStations(lon: $lon, lat: $lat, first: 20, freeCharger: $c, openNow: $o, radiusMeters: $r) {
    distanceMeters station { id name freeChargers openNow } } }"""


async def test_a_station_is_opened_by_its_community_and_shows_amenities(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    made = await station(worker, chargers=4, amenities=["DRINKING_WATER", "MICROWAVE", "CHARGING"])
    assert made["amenities"] == ["DRINKING_WATER", "CHARGING", "MICROWAVE"]
    assert (made["chargers"], made["freeChargers"], made["occupancy"]) == (4, 4, 0)
    assert made["openNow"] is True and made["keeperName"] is None
    assert made["hours"] == [
        {"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}
    ]

    resident = await client.signed_in("resident_xinhong")
    refused = await resident.post(
        UPDATE, {"i": {"stationId": made["id"], "version": made["version"], "phone": "1"}}
    )
    assert codes(refused) == ["FORBIDDEN"]
    changed = await worker.data(
        UPDATE,
        {"i": {"stationId": made["id"], "version": made["version"], "chargers": 0,
               "amenities": ["TOILET", "FIRST_AID"], "phone": "0468-3366"}},
    )  # fmt: skip
    assert changed["updateWorkerStation"] == {
        "version": made["version"] + 1, "chargers": 0, "amenities": ["TOILET", "FIRST_AID"],
        "phone": "0468-3366",
    }  # fmt: skip
    stale = await worker.post(UPDATE, {"i": {"stationId": made["id"], "version": made["version"]}})
    assert codes(stale) == ["CONFLICT"]
    bad = await worker.post(
        UPDATE, {"i": {"stationId": made["id"], "version": made["version"] + 1,
                       "amenities": ["CHARGING"]}},
    )  # fmt: skip
    assert codes(bad) == ["BAD_USER_INPUT"]

    listed = await client.data(
        "query($c: ID!) { node(id: $c) { ... on Community { workerStations { id } } } }",
        {"c": gid("Community", (await Community.get(code="xinhong")).id)},
    )
    assert {"id": made["id"]} in listed["node"]["workerStations"]
    public = await client.data(
        "{ workerStations(first: 100, amenity: FIRST_AID) { totalCount edges { node { id } } } }"
    )
    assert {"node": {"id": made["id"]}} in public["workerStations"]["edges"]


async def test_the_keeper_holds_the_role_at_the_community(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    admin = await client.signed_in("gongnong_admin")
    made = await station(worker)
    _, keeper = await keeper_at(client, await Community.get(code="xinhong"), name="赵站长")
    _, nobody = await person_with_login(client, "没有角色")
    refused = await worker.post(KEEPER, {"s": made["id"], "v": made["version"],
                                         "p": gid("Person", nobody)})  # fmt: skip
    assert codes(refused) == ["BAD_USER_INPUT"]
    named = await worker.data(KEEPER, {"s": made["id"], "v": made["version"],
                                       "p": gid("Person", keeper)})  # fmt: skip
    assert named["setWorkerStationKeeper"]["keeperName"] == "赵站长"

    # The role is granted like any other, by an admin, at a community.
    _, another = await person_with_login(client, "钱站长")
    grant = await admin.data(
        'mutation($p: ID!, $c: ID!) { grantRole(personId: $p, role: "STATION_KEEPER", placeId: $c) { role level } }',
        {
            "p": gid("Person", another),
            "c": gid("Community", (await Community.get(code="xinhong")).id),
        },
    )
    assert grant["grantRole"] == {"role": "STATION_KEEPER", "level": "community"}
    renamed = await worker.data(KEEPER, {"s": made["id"], "v": made["version"] + 1,
                                         "p": gid("Person", another)})  # fmt: skip
    assert renamed["setWorkerStationKeeper"]["keeperName"] == "钱站长"


async def test_nearest_stations_come_in_distance_order_open_and_with_a_free_charger(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    near = await station(worker, dx=0.001, name="近站", chargers=1)
    far = await station(worker, dx=0.01, name="远站", chargers=3)
    middle = await station(worker, dx=-0.004, name="中站", chargers=0)
    tomorrow = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).isoweekday() % 7 + 1
    closed = await station(
        worker, dx=0.0005, name="关门站",
        hours=[{"weekdays": [tomorrow], "opens": "10:00", "closes": "11:00"}],
    )  # fmt: skip
    lon, lat = await xinhong_point()
    found = (await client.data(NEAREST, {"lon": lon, "lat": lat, "r": 2000}))[
        "nearestWorkerStations"
    ]
    ours = [
        n
        for n in found
        if n["station"]["id"] in {near["id"], far["id"], middle["id"], closed["id"]}
    ]
    assert [n["station"]["name"] for n in ours] == ["近站", "中站", "远站"]
    distances = [n["distanceMeters"] for n in found]
    assert distances == sorted(distances)
    assert 60 < ours[0]["distanceMeters"] < 90, "0.001° of longitude at 47°N is about 76 m"

    every = (await client.data(NEAREST, {"lon": lon, "lat": lat, "o": False}))[
        "nearestWorkerStations"
    ]
    mine = {near["id"], far["id"], middle["id"], closed["id"]}
    ours = [n["station"] for n in every if n["station"]["id"] in mine]
    assert [(s["name"], s["openNow"]) for s in ours] == [
        ("关门站", False), ("近站", True), ("中站", True), ("远站", True)
    ]  # fmt: skip

    charging, _, _ = await rider(client, "充电的骑手")
    await charging.data(CHECK_IN, {"s": near["id"], "c": True})
    with_charger = (await client.data(NEAREST, {"lon": lon, "lat": lat, "c": True}))[
        "nearestWorkerStations"
    ]
    names = [
        n["station"]["name"]
        for n in with_charger
        if n["station"]["id"] in {near["id"], far["id"], middle["id"]}
    ]
    assert names == ["远站"], "the near one's only charger is taken; the middle one has none"
    small = (await client.data(NEAREST, {"lon": lon, "lat": lat, "r": 100}))[
        "nearestWorkerStations"
    ]
    assert far["id"] not in [n["station"]["id"] for n in small]
    bad = await client.post(NEAREST, {"lon": 200.0, "lat": lat})
    assert codes(bad) == ["BAD_USER_INPUT"]


def test_hours_may_run_past_midnight():
    zone = ZoneInfo("Asia/Shanghai")
    night = [{"weekdays": [1], "opens": "18:00", "closes": "02:00"}]
    monday_late = datetime(2026, 11, 2, 23, 0, tzinfo=zone)
    tuesday_early = datetime(2026, 11, 3, 1, 30, tzinfo=zone)
    tuesday_late = datetime(2026, 11, 3, 23, 0, tzinfo=zone)
    assert is_open(night, monday_late, "Asia/Shanghai")
    assert is_open(night, tuesday_early, "Asia/Shanghai")
    assert not is_open(night, tuesday_late, "Asia/Shanghai")
    always = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]
    assert is_open(always, datetime(2026, 11, 8, 23, 59, tzinfo=zone), "Asia/Shanghai")


def test_the_module_composes_alone_though_its_types_lead_to_core_types():
    """Its reports lead to core's Case (and on to generic connections strawberry specialised
    twice): the builder counts every class core reaches as core's, not as a clash."""
    from core.plugins.host import build_plugin_host
    from schema.builder import build_schema

    sdl = build_schema(build_plugin_host(["new_employment_stations"])).schema.as_str()
    assert "type GigWorkerReport implements Node" in sdl
    assert "workerStations: [WorkerStation!]" in sdl
