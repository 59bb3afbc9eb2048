"""四季有爱·凝新聚新: care activities through the core booking engine."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from core.access.models import Account
from core.booking.models import Booking, Slot
from core.people.models import Person
from core.regions.models import Community, District
from plugins.new_employment_stations.models import Activity, GigWorker
from tests.new_employment_stations.support import keeper_at, person_with_login, rider, station
from tests.support.api import codes

PLAN = """mutation($i: CreateWorkerActivityInput!) { createWorkerActivity(input: $i) {
  id season title capacity free startsAt station { id } } }"""
BOOK = "mutation($a: ID!) { bookWorkerActivity(activityId: $a) { id status title owner kind } }"


def plan(station_id: str, capacity: int = 2, days: int = 3, **extra: object) -> dict:
    start = datetime.now(UTC) + timedelta(days=days)
    return {"i": {"stationId": station_id, "title": "夏日送清凉", "capacity": capacity,
                  "startsAt": start.isoformat(),
                  "endsAt": (start + timedelta(hours=2)).isoformat(), **extra}}  # fmt: skip


async def test_a_keeper_plans_an_activity_and_workers_book_it(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    made = await station(worker)
    keeper, _ = await keeper_at(client, await Community.get(code="xinhong"))
    activity = (await keeper.data(PLAN, plan(made["id"], season="SUMMER")))["createWorkerActivity"]
    assert (activity["season"], activity["capacity"], activity["free"]) == ("SUMMER", 2, 2)

    resident = await client.signed_in("resident_xinhong")
    assert codes(await resident.post(PLAN, plan(made["id"]))) == ["FORBIDDEN"]
    assert codes(await keeper.post(PLAN, plan(made["id"], days=-1))) == ["BAD_USER_INPUT"]

    outsider, _ = await person_with_login(client, "不是骑手")
    assert codes(await outsider.post(BOOK, {"a": activity["id"]})) == ["FORBIDDEN"]
    first, _, _ = await rider(client, "一号")
    second, _, _ = await rider(client, "二号")
    third, _, _ = await rider(client, "三号")
    booked = (await first.data(BOOK, {"a": activity["id"]}))["bookWorkerActivity"]
    assert booked == {"id": booked["id"], "status": "CONFIRMED", "title": "夏日送清凉",
                      "owner": "new_employment_stations", "kind": "care_activity"}  # fmt: skip
    assert codes(await first.post(BOOK, {"a": activity["id"]})) == ["CONFLICT"]
    await second.data(BOOK, {"a": activity["id"]})
    waiting = (await third.data(BOOK, {"a": activity["id"]}))["bookWorkerActivity"]
    assert waiting["status"] == "WAITLISTED", "the district keeps a waitlist by default"

    mine = await first.data("{ myBookings(first: 5, active: true) { edges { node { id kind } } } }")
    assert {"id": booked["id"], "kind": "care_activity"} in [
        e["node"] for e in mine["myBookings"]["edges"]
    ]
    await first.data(
        "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }", {"b": booked["id"]}
    )
    promoted = await third.data(
        "{ myBookings(first: 5, active: true) { edges { node { status } } } }"
    )
    assert [e["node"]["status"] for e in promoted["myBookings"]["edges"]] == ["CONFIRMED"]

    listed = await client.data(
        "query($s: ID!) { workerActivities(first: 50, stationId: $s) { totalCount edges { node { id free } } } }",
        {"s": made["id"]},
    )
    assert listed["workerActivities"]["edges"] == [{"node": {"id": activity["id"], "free": 0}}]
    on_station = await client.data(
        "query($s: ID!) { node(id: $s) { ... on WorkerStation { activities { id } } } }",
        {"s": made["id"]},
    )
    assert on_station["node"]["activities"] == [{"id": activity["id"]}]


async def test_two_hundred_workers_book_fifty_seats_at_once(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    made = await station(worker)
    activity = (await worker.data(PLAN, plan(made["id"], capacity=50)))["createWorkerActivity"]
    gongnong = await District.get(code="gongnong")
    tag = uuid.uuid4().hex[:8]
    await Person.bulk_create([Person(name=f"抢座{tag}-{i}") for i in range(200)])
    people = await Person.filter(name__startswith=f"抢座{tag}-")
    await Account.bulk_create(
        [Account(username=f"nes-seat-{p.id}", password_hash="-", person_id=p.id) for p in people]
    )
    await GigWorker.bulk_create(
        [GigWorker(person_id=p.id, district_id=gongnong.id, kind="RIDER", platform="美团")
         for p in people]
    )  # fmt: skip
    accounts = await Account.filter(person_id__in=[p.id for p in people]).values_list(
        "id", flat=True
    )
    clients = [client.as_token(client.runtime.tokens.issue(a)[0]) for a in accounts]
    bodies = await asyncio.gather(*(c.post(BOOK, {"a": activity["id"]}) for c in clients))
    assert all(not b.get("errors") for b in bodies), [
        b["errors"] for b in bodies if b.get("errors")
    ][:3]
    statuses = [b["data"]["bookWorkerActivity"]["status"] for b in bodies]
    assert statuses.count("CONFIRMED") == 50 and statuses.count("WAITLISTED") == 150
    stored = await Activity.get(id=int(GlobalID.from_id(activity["id"]).node_id))
    assert (await Slot.get(id=stored.slot_id)).confirmed == 50
    assert await Booking.filter(slot_id=stored.slot_id, status="CONFIRMED").count() == 50
    shown = await client.data(
        "query($a: ID!) { node(id: $a) { ... on WorkerActivity { capacity free } } }",
        {"a": activity["id"]},
    )
    assert shown["node"] == {"capacity": 50, "free": 0}
