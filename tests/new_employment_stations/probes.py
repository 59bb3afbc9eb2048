"""Probes of the new_employment_stations module's root operations (see tests/access/probes.py).

A target station sits in the compound at the relation; workers the probes register are removed
again (a worker who existed before the probe stays)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from core.booking.models import Booking, Offering, Slot
from plugins.new_employment_stations.models import Activity, GigWorker, Station, Visit
from tests.access.probes import Probe, gid, ok

_unique = itertools.count()
ALWAYS = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]


async def new_station(p: Probe, relation: str, **values: object) -> Station:
    compound = p.target(relation).compound
    return await Station.create(
        code=f"probe-yizhan-{next(_unique)}", name="探针驿站", district_id=compound.district_id,
        street_id=compound.street_id, community_id=compound.community_id,
        compound_id=compound.id, lon=130.29, lat=47.35, hours=ALWAYS, chargers=2, **values,
    )  # fmt: skip


async def drop_station(station_id: int) -> None:
    await Visit.filter(station_id=station_id).delete()
    for activity in await Activity.filter(station_id=station_id):
        await activity.delete()
        await Booking.filter(slot_id=activity.slot_id).delete()
        await Slot.filter(id=activity.slot_id).delete()
        await Offering.filter(id=activity.offering_id).delete()
    await GigWorker.filter(verified_station_id=station_id).update(verified_station_id=None)
    await Station.filter(id=station_id).delete()


@asynccontextmanager
async def station_at(p: Probe, relation: str) -> AsyncIterator[Station]:
    station = await new_station(p, relation)
    try:
        yield station
    finally:
        await drop_station(station.id)


@asynccontextmanager
async def worker(person_id: int | None, district_id: int) -> AsyncIterator[GigWorker | None]:
    """The person registered as a rider for the probe (None for an anonymous viewer)."""
    if person_id is None:
        yield None
        return
    found = await GigWorker.filter(person_id=person_id).first()
    made = found is None
    if found is None:
        found = await GigWorker.create(
            person_id=person_id, district_id=district_id, kind="RIDER", platform="探针外卖"
        )
    try:
        yield found
    finally:
        if made:
            await Visit.filter(worker_id=found.id).delete()
            await GigWorker.filter(id=found.id).delete()


async def _activity_at(station: Station) -> Activity:
    start = datetime.now(UTC) + timedelta(days=2)
    offering = await Offering.create(
        owner="new_employment_stations", kind="care_activity", title="探针活动",
        district_id=station.district_id, street_id=station.street_id,
        community_id=station.community_id, per_person_limit=1,
    )  # fmt: skip
    slot = await Slot.create(
        offering_id=offering.id, starts_at=start, ends_at=start + timedelta(hours=1), capacity=5
    )
    return await Activity.create(
        station_id=station.id, district_id=station.district_id, street_id=station.street_id,
        community_id=station.community_id, season="WINTER", title="探针活动",
        starts_at=slot.starts_at, ends_at=slot.ends_at, offering_id=offering.id, slot_id=slot.id,
    )  # fmt: skip


async def worker_station_visits(p: Probe, relation: str) -> bool:
    async with (
        station_at(p, relation) as station,
        worker(p.target(relation).person, station.district_id) as visitor,
    ):
        assert visitor is not None
        visit = await Visit.create(
            station_id=station.id, worker_id=visitor.id, person_id=visitor.person_id,
            district_id=station.district_id, street_id=station.street_id,
            community_id=station.community_id, checked_in_at=datetime.now(UTC),
        )  # fmt: skip
        body = await p.client.post(
            "query($s: ID!) { workerStationVisits(first: 100, stationId: $s) { edges { node { id } } } }",
            {"s": gid("WorkerStation", station.id)},
        )
        return ok(body) and any(
            e["node"]["id"] == gid("WorkerStationVisit", visit.id)
            for e in body["data"]["workerStationVisits"]["edges"]
        )


async def worker_station_figures(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        'query($c: ID!) { workerStationFigures(placeId: $c, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { checkIns } }',
        {"c": gid("Community", p.target(relation).grid.community_id)},
    )
    return ok(body) and body["data"]["workerStationFigures"] is not None


async def gig_worker_leaderboard(p: Probe, relation: str) -> bool:
    district = p.target("same_grid").grid.district_id
    body = await p.client.post(
        "query($d: ID!) { gigWorkerLeaderboard(districtId: $d) { month entries { rank } } }",
        {"d": gid("District", district)},
    )
    return ok(body) and body["data"]["gigWorkerLeaderboard"] is not None


async def create_worker_station(p: Probe, relation: str) -> bool:
    code = f"probe-new-yizhan-{next(_unique)}"
    body = await p.client.post(
        "mutation($i: CreateWorkerStationInput!) { createWorkerStation(input: $i) { id } }",
        {"i": {"placeId": gid("Compound", p.target(relation).compound.id), "code": code,
               "name": "探针驿站", "lon": 130.29, "lat": 47.35}},
    )  # fmt: skip
    for station in await Station.filter(code=code):
        await drop_station(station.id)
    return ok(body)


def _on_station(
    query: str, variables: Callable[[Station], dict[str, object]]
) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        async with station_at(p, relation) as station:
            return ok(await p.client.post(query, variables(station)))

    return probe


async def register_gig_worker(p: Probe, relation: str) -> bool:
    district = p.target("same_grid").grid.district_id
    existed = p.viewer_person is not None and await GigWorker.exists(person_id=p.viewer_person)
    body = await p.client.post(
        'mutation($d: ID!) { registerGigWorker(input: {kind: COURIER, platform: "探针快递", districtId: $d}) { id } }',
        {"d": gid("District", district)},
    )
    if not existed and p.viewer_person is not None:
        await GigWorker.filter(person_id=p.viewer_person).delete()
    return ok(body)


async def verify_gig_worker(p: Probe, relation: str) -> bool:
    async with (
        station_at(p, relation) as station,
        worker(p.target(relation).person, station.district_id) as target,
    ):
        assert target is not None
        body = await p.client.post(
            "mutation($w: ID!, $s: ID!) { verifyGigWorker(workerId: $w, stationId: $s) { verified } }",
            {"w": gid("GigWorker", target.id), "s": gid("WorkerStation", station.id)},
        )
        await GigWorker.filter(id=target.id).update(verified=False, verified_station_id=None)
        return ok(body)


async def check_in_at_worker_station(p: Probe, relation: str) -> bool:
    async with (
        station_at(p, relation) as station,
        worker(p.viewer_person, station.district_id),
    ):
        body = await p.client.post(
            "mutation($s: ID!) { checkInAtWorkerStation(stationId: $s) { checkedInAt } }",
            {"s": gid("WorkerStation", station.id)},
        )
        return ok(body)


async def check_out_of_worker_station(p: Probe, relation: str) -> bool:
    async with (
        station_at(p, "same_grid") as station,
        worker(p.viewer_person, station.district_id) as visitor,
    ):
        if visitor is not None:
            await Visit.filter(worker_id=visitor.id, checked_out_at=None).update(
                checked_out_at=datetime.now(UTC), open_worker_id=None
            )
            await Visit.create(
                station_id=station.id, worker_id=visitor.id, person_id=visitor.person_id,
                district_id=station.district_id, street_id=station.street_id,
                community_id=station.community_id, checked_in_at=datetime.now(UTC),
                open_worker_id=visitor.id,
            )  # fmt: skip
        body = await p.client.post("mutation { checkOutOfWorkerStation { checkedOutAt } }")
        return ok(body)


async def create_worker_activity(p: Probe, relation: str) -> bool:
    start = datetime.now(UTC) + timedelta(days=3)
    async with station_at(p, relation) as station:
        body = await p.client.post(
            "mutation($i: CreateWorkerActivityInput!) { createWorkerActivity(input: $i) { id } }",
            {"i": {"stationId": gid("WorkerStation", station.id), "title": "探针关爱",
                   "startsAt": start.isoformat(),
                   "endsAt": (start + timedelta(hours=2)).isoformat(), "capacity": 10}},
        )  # fmt: skip
        return ok(body)


async def book_worker_activity(p: Probe, relation: str) -> bool:
    async with (
        station_at(p, relation) as station,
        worker(p.viewer_person, station.district_id),
    ):
        activity = await _activity_at(station)
        body = await p.client.post(
            "mutation($a: ID!) { bookWorkerActivity(activityId: $a) { status } }",
            {"a": gid("WorkerActivity", activity.id)},
        )
        return ok(body)


def answers(query: str, key: str) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        body = await p.client.post(query)
        return ok(body) and body["data"][key] is not None

    return probe


async def my_gig_worker(p: Probe, relation: str) -> bool:
    return ok(await p.client.post("{ myGigWorker { id } }"))


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "workerStations": answers("{ workerStations(first: 1) { totalCount } }", "workerStations"),
    "nearestWorkerStations": answers(
        "{ nearestWorkerStations(lon: 130.29, lat: 47.35) { distanceMeters } }",
        "nearestWorkerStations",
    ),
    "workerStationVisits": worker_station_visits,
    "workerActivities": answers(
        "{ workerActivities(first: 1) { totalCount } }", "workerActivities"
    ),
    "myGigWorker": my_gig_worker,
    "myGigWorkerReports": answers(
        "{ myGigWorkerReports(first: 1) { totalCount } }", "myGigWorkerReports"
    ),
    "gigWorkerLeaderboard": gig_worker_leaderboard,
    "workerStationFigures": worker_station_figures,
    "createWorkerStation": create_worker_station,
    "updateWorkerStation": _on_station(
        'mutation($s: ID!) { updateWorkerStation(input: {stationId: $s, version: 1, phone: "0468-2"}) { phone } }',
        lambda s: {"s": gid("WorkerStation", s.id)},
    ),
    "setWorkerStationKeeper": _on_station(
        "mutation($s: ID!) { setWorkerStationKeeper(stationId: $s, version: 1) { id } }",
        lambda s: {"s": gid("WorkerStation", s.id)},
    ),
    "registerGigWorker": register_gig_worker,
    "verifyGigWorker": verify_gig_worker,
    "checkInAtWorkerStation": check_in_at_worker_station,
    "checkOutOfWorkerStation": check_out_of_worker_station,
    "createWorkerActivity": create_worker_activity,
    "bookWorkerActivity": book_worker_activity,
}
