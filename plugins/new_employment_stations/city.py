"""City-scale demo data (``hemei demo --scale city``), at the article's numbers: 130 stations
in the communities where the module is on, 19,000 registered couriers, riders and drivers, and
their 3,700 snap-and-reports of the past year as cases on the ladder (through
``DemoContext.add_cases``), with the points those reports earned."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from core import Community, Compound, DemoCase, DemoContext, Person, Place
from plugins.new_employment_stations.models import Award, GigWorker, Station, WorkerReport
from plugins.new_employment_stations.places import NAME, settings_at
from plugins.new_employment_stations.points import CONFIRMED, RESOLVED, month_of

STATIONS, WORKERS, REPORTS = 130, 19_000, 3_700  # the article's numbers
KINDS, KIND_WEIGHTS = ("RIDER", "COURIER", "DRIVER"), (62, 30, 8)
PLATFORMS = {"RIDER": ("美团", "饿了么", "达达"), "COURIER": ("顺丰", "京东", "中通", "圆通",
             "韵达", "极兔", "邮政"), "DRIVER": ("滴滴", "花小猪", "货拉拉")}  # fmt: skip
ALWAYS = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]
DAYTIME = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "07:00", "closes": "22:00"}]
SNAPS = {  # category: what riders see on their routes
    "road_damage": ("{street}路面坑洼", "送餐路上发现路面塌陷，电动车容易摔倒。"),
    "sanitation": ("{street}垃圾堆积", "路边垃圾堆了好几天，影响通行。"),
    "safety_hazard": ("{street}井盖破损", "井盖碎了一半，晚上看不清很危险。"),
    "illegal_construction": ("{street}占道经营", "摊位占了整条人行道，行人只能走机动车道。"),
    "water_supply": ("{street}消防栓漏水", "消防栓一直往外冒水，路面结冰。"),
}
SNAP_WEIGHTS = (40, 25, 20, 10, 5)
BATCH = 1000


async def load_city(demo: DemoContext, activity: Any, people: Any) -> None:
    """The city's stations, workers and reports where the module is on. ``activity`` and
    ``people`` are the small demo's builders of a station's care activity and of the logins of
    欣虹社区 (the same at both scales)."""
    rng = demo.random
    districts = {d.id: d for d in demo.districts}
    streets = {s.id: s for s in demo.streets}
    on = [
        c for c in demo.communities
        if demo.activation.state(NAME, Place(districts[c.district_id].code,
                                             streets[c.street_id].code, c.code)).enabled
    ]  # fmt: skip
    if not on:
        return
    per_community = Counter(rng.choice(on).id for _ in range(STATIONS - len(on)))
    plans = [(c, 1 + per_community[c.id]) for c in on] if len(on) <= STATIONS else [
        (c, 1) for c in rng.sample(on, STATIONS)]  # fmt: skip
    rows = []
    for community, count in plans:
        for number in range(1, count + 1):
            rows.append(_station(demo, community, number, districts, streets))
    demo.progress.phase("rider stations", len(rows))
    await Station.bulk_create(rows, batch_size=BATCH)
    stations = await Station.filter(code__contains="-yizhan").order_by("id")
    start = (demo.now + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    for station in stations:
        await activity(demo, station, start)
        demo.progress.advance()
    pinned = next((s for s in stations if s.code == "xinhong-yizhan"), None)
    if pinned is not None:
        await people(demo, next(c for c in on if c.id == pinned.community_id), pinned)

    workers = await _workers(demo, stations)
    await _reports(demo, workers, on, streets)


def _station(
    demo: DemoContext, community: Community, number: int, districts: dict[int, Any],
    streets: dict[int, Any],
) -> Station:  # fmt: skip
    rng, fake = demo.random, demo.fake
    assert community.centre_lon is not None and community.centre_lat is not None
    road = fake.street_name()
    suffix = "" if number == 1 else str(number)
    return Station(
        code=f"{community.code}-yizhan{suffix}", name=f"{community.name}{road}小哥驿站",
        district_id=community.district_id, street_id=community.street_id,
        community_id=community.id,
        address=f"{districts[community.district_id].name}{streets[community.street_id].name}"
                f"{road}{fake.building_number().rstrip('座')}{rng.randint(1, 199)}号",
        phone=f"0468-{rng.choice('3456')}{rng.randrange(10**6):06d}",
        lon=community.centre_lon + rng.uniform(-0.004, 0.004),
        lat=community.centre_lat + rng.uniform(-0.003, 0.003),
        hours=ALWAYS if rng.random() < 0.4 else DAYTIME, has_water=True,
        has_microwave=rng.random() < 0.8, has_rest_seats=True, has_toilet=rng.random() < 0.6,
        has_first_aid=rng.random() < 0.9, chargers=rng.choice([2, 4, 6, 8]),
    )  # fmt: skip


async def _workers(demo: DemoContext, stations: list[Station]) -> list[GigWorker]:
    """19,000 workers registered in the districts with stations over the past two years,
    most verified by a station keeper's look at their badge."""
    rng, fake, now = demo.random, demo.fake, demo.now
    demo.progress.phase("riders", 2 * WORKERS)
    people = [Person(name=fake.name(), phone=fake.phone_number()) for _ in range(WORKERS)]
    last = await Person.all().order_by("-id").limit(1).values_list("id", flat=True)
    for start in range(0, WORKERS, BATCH):
        await Person.bulk_create(people[start : start + BATCH])
        demo.progress.advance(len(people[start : start + BATCH]))
    ids = (
        await Person.filter(id__gt=last[0] if last else 0)
        .order_by("id")
        .values_list("id", flat=True)
    )
    workers = []
    for person_id in ids:
        station = rng.choice(stations)
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        joined = now - timedelta(days=rng.uniform(380, 730))
        verified = rng.random() < 0.75
        workers.append(GigWorker(
            person_id=person_id, district_id=station.district_id, kind=kind,
            platform=rng.choice(PLATFORMS[kind]), verified=verified,
            verified_at=joined + timedelta(hours=rng.uniform(1, 72)) if verified else None,
            verified_station_id=station.id if verified else None, created_at=joined,
        ))  # fmt: skip
    for start in range(0, WORKERS, BATCH):
        await GigWorker.bulk_create(workers[start : start + BATCH])
        demo.progress.advance(len(workers[start : start + BATCH]))
    return await GigWorker.filter(person_id__in=list(ids)).order_by("id")


async def _reports(
    demo: DemoContext, workers: list[GigWorker], on: list[Community], streets: dict[int, Any]
) -> None:
    """3,700 snap-and-reports over the past year by verified workers (a few report a lot),
    each in a compound of a community where the module is on in the worker's district."""
    rng, fake, now = demo.random, demo.fake, demo.now
    zone = demo.activation.config.city.time_zone
    on_ids = {c.id for c in on}
    compounds: dict[int, list[Compound]] = {}
    for compound in demo.compounds:
        if compound.community_id in on_ids:
            compounds.setdefault(compound.district_id, []).append(compound)
    reporters = [w for w in workers if w.verified and w.district_id in compounds]
    keen = [rng.paretovariate(1.5) for _ in reporters]
    chosen = rng.choices(reporters, keen, k=REPORTS)
    specs = []
    for worker in chosen:
        compound = rng.choice(compounds[worker.district_id])
        category = rng.choices(list(SNAPS), SNAP_WEIGHTS)[0]
        title, description = SNAPS[category]
        street = f"{streets[compound.street_id].name}{fake.street_name()}"
        [(west, south), _, (east, north), *_] = compound.boundary["coordinates"][0]
        specs.append(DemoCase(
            compound_id=compound.id, category=category, title=title.format(street=street),
            reported_at=now - timedelta(days=rng.uniform(0.05, 365)), source="SNAPSHOT",
            reporter_id=worker.person_id, description=description, address=street,
            lon=round(rng.uniform(west, east), 6), lat=round(rng.uniform(south, north), 6),
        ))  # fmt: skip
    order = sorted(range(len(specs)), key=lambda i: specs[i].reported_at)
    specs, chosen = [specs[i] for i in order], [chosen[i] for i in order]
    results = await demo.add_cases(specs)

    place_of = {c.id: c for c in demo.compounds}
    districts = {d.id: d.code for d in demo.districts}
    community_code = {c.id: c.code for c in demo.communities}
    reports, awards = [], []
    for spec, worker, result in zip(specs, chosen, results, strict=True):
        compound = place_of[spec.compound_id]
        where = {"district_id": compound.district_id, "street_id": compound.street_id,
                 "community_id": compound.community_id}  # fmt: skip
        settings = settings_at(demo.activation, Place(
            districts[compound.district_id], streets[compound.street_id].code,
            community_code[compound.community_id]))  # fmt: skip
        earned: list[tuple[str, int, Any]] = []
        if result.accepted_at is not None:
            earned.append((CONFIRMED, settings.points_per_valid_report, result.accepted_at))
        if result.resolved_at is not None:
            earned.append((RESOLVED, settings.points_per_resolved_report, result.resolved_at))
        reports.append(WorkerReport(
            case_id=result.id, worker_id=worker.id, person_id=worker.person_id,
            category=spec.category, reported_at=spec.reported_at,
            confirmed_at=result.accepted_at, solved_at=result.resolved_at,
            points=sum(points for _, points, _ in earned), **where,
        ))  # fmt: skip
        awards += [
            Award(case_id=result.id, reason=reason, worker_id=worker.id, points=points,
                  month=month_of(at, zone), awarded_at=at, event_id=0, **where)
            for reason, points, at in earned
        ]  # fmt: skip
    await WorkerReport.bulk_create(reports, batch_size=BATCH)
    await Award.bulk_create(awards, batch_size=BATCH)
