"""随手拍: retries are safe, and nearby repeats are offered and can be linked."""

from __future__ import annotations

import asyncio
import uuid

from shapely.geometry import shape
from strawberry.relay import GlobalID

from core.cases.models import Case
from core.regions.models import Grid
from tests.cases.test_ladder_api import ACT

SNAP = """mutation($i: SnapReportInput!) { snapReport(input: $i) { created
  case { id version title source grid { code } } possibleDuplicates { id } } }"""


async def point_in_xinhong_g1() -> tuple[float, float]:
    centre = shape((await Grid.get(code="xinhong-g1")).boundary).centroid
    return centre.x, centre.y


async def test_replaying_one_snap_ten_times_makes_one_case(api):
    client = await api()
    rider = await client.signed_in("resident_xinhong")
    lon, lat = await point_in_xinhong_g1()
    snap = {
        "idempotencyKey": str(uuid.uuid4()),
        "category": "road_damage",
        "lon": lon,
        "lat": lat,
        "description": "路面塌陷",
    }
    answers = [await rider.data(SNAP, {"i": snap}) for _ in range(10)]
    ids = {a["snapReport"]["case"]["id"] for a in answers}
    assert len(ids) == 1
    assert [a["snapReport"]["created"] for a in answers] == [True] + [False] * 9
    first = answers[0]["snapReport"]["case"]
    assert (first["source"], first["grid"]["code"], first["title"]) == (
        "SNAPSHOT",
        "xinhong-g1",
        "道路破损（随手拍）",
    )
    assert await Case.filter(idempotency_key=snap["idempotencyKey"]).count() == 1


async def test_concurrent_retries_make_one_case(api):
    client = await api()
    rider = await client.signed_in("resident_xinhong")
    lon, lat = await point_in_xinhong_g1()
    snap = {"idempotencyKey": str(uuid.uuid4()), "category": "sanitation", "lon": lon, "lat": lat}
    bodies = await asyncio.gather(*(rider.post(SNAP, {"i": snap}) for _ in range(10)))
    assert all("errors" not in b for b in bodies), [b.get("errors") for b in bodies]
    assert len({b["data"]["snapReport"]["case"]["id"] for b in bodies}) == 1
    assert await Case.filter(idempotency_key=snap["idempotencyKey"]).count() == 1


async def test_the_same_key_with_another_report_is_a_conflict(api):
    client = await api()
    rider = await client.signed_in("resident_xinhong")
    lon, lat = await point_in_xinhong_g1()
    key = str(uuid.uuid4())
    await rider.data(
        SNAP, {"i": {"idempotencyKey": key, "category": "sanitation", "lon": lon, "lat": lat}}
    )
    error = await rider.error(
        SNAP, {"i": {"idempotencyKey": key, "category": "heating", "lon": lon, "lat": lat}}
    )
    assert error["extensions"] == {"code": "CONFLICT", "argument": "idempotencyKey"}


async def test_nearby_repeats_are_offered_and_linked(api):
    client = await api()
    first_rider = await client.signed_in("resident_xinhong")
    second_rider = await client.signed_in("xinhong_worker")
    lon, lat = await point_in_xinhong_g1()
    category = "illegal_construction"
    await Case.filter(category=category).delete()
    original = (
        await first_rider.data(
            SNAP,
            {
                "i": {
                    "idempotencyKey": str(uuid.uuid4()),
                    "category": category,
                    "lon": lon,
                    "lat": lat,
                }
            },
        )
    )["snapReport"]["case"]
    repeat = (
        await second_rider.data(
            SNAP,
            {
                "i": {
                    "idempotencyKey": str(uuid.uuid4()),
                    "category": category,
                    "lon": lon + 0.0005,
                    "lat": lat,
                }
            },
        )
    )["snapReport"]["case"]
    worker = await client.signed_in("xinhong_grid1")
    near = await worker.data(
        "query($id: ID!) { node(id: $id) { ... on Case { possibleDuplicates { id } } } }",
        {"id": repeat["id"]},
    )
    assert near["node"]["possibleDuplicates"] == [{"id": original["id"]}]
    linked = await worker.data(
        ACT,
        {
            "i": {
                "caseId": repeat["id"],
                "version": repeat["version"],
                "action": "REJECT",
                "duplicateOf": original["id"],
                "note": "重复上报",
            }
        },
    )
    assert linked["actOnCase"]["status"] == "REJECTED"
    stored = await Case.get(id=int(GlobalID.from_id(repeat["id"]).node_id))
    assert stored.duplicate_of_id == int(GlobalID.from_id(original["id"]).node_id)
