"""Workers register themselves, keepers verify them, and they check in and out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from core.regions.models import Community
from plugins.new_employment_stations.models import Station, Visit
from tests.new_employment_stations.support import (
    CHECK_IN,
    CHECK_OUT,
    REGISTER,
    district_gid,
    keeper_at,
    person_with_login,
    rider,
    station,
)
from tests.support.api import codes

VERIFY = """mutation($w: ID!, $s: ID!, $v: Boolean! = true) {
  verifyGigWorker(workerId: $w, stationId: $s, verified: $v) { workerId name kind platform verified } }"""
VISITS = """query($s: ID, $p: Boolean! = false) { workerStationVisits(first: 50, stationId: $s, present: $p) {
  totalCount edges { node { id charging expired checkedOutAt worker { workerId name platform verified } } } } }"""


async def test_registering_and_changing_platform_needs_verifying_again(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    made = await station(worker)
    keeper, _ = await keeper_at(client, await Community.get(code="xinhong"))
    signed, _, registered = await rider(client, "吴骑手", platform="饿了么")
    assert (await signed.data("{ myGigWorker { id platform verified } }"))["myGigWorker"] == {
        "id": registered["id"], "platform": "饿了么", "verified": False,
    }  # fmt: skip

    verified = await keeper.data(VERIFY, {"w": registered["id"], "s": made["id"]})
    assert verified["verifyGigWorker"] == {
        "workerId": registered["id"], "name": "吴骑手", "kind": "RIDER", "platform": "饿了么",
        "verified": True,
    }  # fmt: skip
    same = await signed.data(
        REGISTER,
        {
            "i": {
                "kind": "RIDER",
                "platform": "饿了么",
                "districtId": await district_gid("gongnong"),
            }
        },
    )
    assert same["registerGigWorker"]["verified"] is True, "nothing changed: still verified"
    moved = await signed.data(
        REGISTER,
        {"i": {"kind": "DRIVER", "platform": "滴滴", "districtId": await district_gid("gongnong")}},
    )
    assert (moved["registerGigWorker"]["id"], moved["registerGigWorker"]["verified"]) == (
        registered["id"], False,
    )  # fmt: skip

    assert codes(await signed.post(VERIFY, {"w": registered["id"], "s": made["id"]})) == [
        "FORBIDDEN"
    ]
    outsider = await client.signed_in("resident_nanshan")
    assert codes(await outsider.post(VERIFY, {"w": registered["id"], "s": made["id"]})) == [
        "FORBIDDEN"
    ]
    other_keeper, _ = await keeper_at(client, await Community.filter(code__not="xinhong").first())
    assert codes(await other_keeper.post(VERIFY, {"w": registered["id"], "s": made["id"]})) == [
        "FORBIDDEN"
    ], "a keeper keeps the stations of their own community"
    bad = await signed.post(
        REGISTER,
        {"i": {"kind": "RIDER", "platform": " ", "districtId": await district_gid("gongnong")}},
    )
    assert codes(bad) == ["BAD_USER_INPUT"]


async def test_check_in_and_out_with_occupancy_and_chargers(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    keeper, _ = await keeper_at(client, await Community.get(code="xinhong"))
    first = await station(worker, chargers=1)
    second = await station(worker, chargers=0)
    unregistered, _ = await person_with_login(client, "未注册")
    refused = await unregistered.post(CHECK_IN, {"s": first["id"]})
    assert codes(refused) == ["FORBIDDEN"]
    assert refused["errors"][0]["extensions"]["reason"] == "UNREGISTERED"

    a, _, _ = await rider(client, "甲")
    b, _, b_worker = await rider(client, "乙")
    visit = (await a.data(CHECK_IN, {"s": first["id"], "c": True}))["checkInAtWorkerStation"]
    assert visit["charging"] is True
    assert (visit["station"]["occupancy"], visit["station"]["freeChargers"]) == (1, 0)
    full = await b.post(CHECK_IN, {"s": first["id"], "c": True})
    assert codes(full) == ["CONFLICT"] and full["errors"][0]["extensions"]["argument"] == "charging"
    await b.data(CHECK_IN, {"s": first["id"]})

    present = (await keeper.data(VISITS, {"s": first["id"], "p": True}))["workerStationVisits"]
    assert sorted(e["node"]["worker"]["name"] for e in present["edges"]) == ["乙", "甲"]
    assert codes(await a.post(VERIFY, {"w": b_worker["id"], "s": first["id"]})) == ["FORBIDDEN"]
    own = (await b.data(VISITS, {"s": None}))["workerStationVisits"]
    assert [e["node"]["worker"]["name"] for e in own["edges"]] == ["乙"], "a worker sees their own"

    current = await a.data("{ myGigWorker { currentVisit { id charging station { id } } } }")
    assert current["myGigWorker"]["currentVisit"] == {
        "id": visit["id"], "charging": True, "station": {"id": first["id"]},
    }  # fmt: skip
    assert codes(await keeper.post(VISITS, {"s": None, "p": True})) == ["BAD_USER_INPUT"]

    moved = (await a.data(CHECK_IN, {"s": second["id"]}))["checkInAtWorkerStation"]
    assert moved["station"]["occupancy"] == 1, "checking in elsewhere closes the open visit"
    after = await client.data(
        "query($s: ID!) { node(id: $s) { ... on WorkerStation { occupancy freeChargers } } }",
        {"s": first["id"]},
    )
    assert after["node"] == {"occupancy": 1, "freeChargers": 1}, "the charger came back"
    out = (await a.data(CHECK_OUT))["checkOutOfWorkerStation"]
    assert out["checkedOutAt"] is not None and out["station"]["occupancy"] == 0
    assert codes(await a.post(CHECK_OUT)) == ["BAD_USER_INPUT"]
    gone = await a.data("{ myGigWorker { currentVisit { id } } }")
    assert gone["myGigWorker"]["currentVisit"] is None


async def test_a_forgotten_check_in_expires(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    made = await station(worker, chargers=1)
    forgetful, _, _ = await rider(client, "健忘")
    late, _, _ = await rider(client, "晚到")
    visit = (await forgetful.data(CHECK_IN, {"s": made["id"], "c": True}))["checkInAtWorkerStation"]
    key = _key(visit["id"])
    await Visit.filter(id=key).update(checked_in_at=datetime.now(UTC) - timedelta(hours=5))
    shown = await client.data(
        "query($s: ID!) { node(id: $s) { ... on WorkerStation { occupancy freeChargers } } }",
        {"s": made["id"]},
    )
    assert shown["node"] == {"occupancy": 0, "freeChargers": 1}, "after 4 hours it stops counting"
    present = (await worker.data(VISITS, {"s": made["id"], "p": True}))["workerStationVisits"]
    assert present["totalCount"] == 0, "nor is it in the keeper's list of who is in"
    taken = (await late.data(CHECK_IN, {"s": made["id"], "c": True}))["checkInAtWorkerStation"]
    assert taken["charging"] is True, "the forgotten charger is free again"
    stale = await Visit.get(id=key)
    assert stale.expired and stale.checked_out_at is not None
    assert (await Station.get(id=_key(made["id"]))).chargers_in_use == 1


def _key(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


async def test_ten_riders_race_for_two_chargers(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    made = await station(worker, chargers=2)
    riders = [(await rider(client, f"抢充电{i}"))[0] for i in range(10)]
    bodies = await asyncio.gather(*(r.post(CHECK_IN, {"s": made["id"], "c": True}) for r in riders))
    assert sum(1 for b in bodies if not b.get("errors")) == 2
    assert sorted(codes(b)[0] for b in bodies if b.get("errors")) == ["CONFLICT"] * 8
    key = _key(made["id"])
    assert (await Station.get(id=key)).chargers_in_use == 2
    assert await Visit.filter(station_id=key, charging=True, checked_out_at=None).count() == 2


async def test_one_rider_checking_in_twice_at_once_has_one_open_visit(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    made = await station(worker)
    signed, _, _ = await rider(client, "手快")
    bodies = await asyncio.gather(*(signed.post(CHECK_IN, {"s": made["id"]}) for _ in range(5)))
    assert all(codes(b) in ([], ["CONFLICT"]) for b in bodies)
    assert await Visit.filter(station_id=_key(made["id"]), checked_out_at=None).count() == 1
