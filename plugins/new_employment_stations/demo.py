"""Demo data: a station in every community where the module is on, each with a care activity
next week (a fixed seed: the same on every run), and in 欣虹社区 a keeper and a rider who can
sign in (``xinhong_keeper`` and ``rider_xinhong``, password ``hemei-demo``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import Community, DemoContext, Grant, Offering, Person, Place, Slot
from plugins.new_employment_stations.activities import KIND, season_of
from plugins.new_employment_stations.models import Activity, GigWorker, Station
from plugins.new_employment_stations.places import NAME
from plugins.new_employment_stations.rules import KEEPER

ALWAYS = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]
DAYTIME = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "07:00", "closes": "22:00"}]
TITLES = {"SPRING": "春风送暖·免费理发", "SUMMER": "夏日送清凉·绿豆汤",
          "AUTUMN": "金秋助力·电动车检修", "WINTER": "冬日暖心·热饺子"}  # fmt: skip
LOGINS_AT = "xinhong"


async def load(demo: DemoContext) -> None:
    if demo.scale == "city":
        from plugins.new_employment_stations.city import load_city

        await load_city(demo, _activity, _people)
        return
    districts = {d.id: d.code for d in demo.districts}
    streets = {s.id: s.code for s in demo.streets}
    start = (datetime.now(UTC) + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    for index, community in enumerate(demo.communities):
        place = Place(districts[community.district_id], streets[community.street_id],
                      community.code)  # fmt: skip
        if not demo.activation.state(NAME, place).enabled or community.centre_lon is None:
            continue
        station = await _station(demo, community, always_open=index % 2 == 0)
        await _activity(demo, station, start)
        if community.code == LOGINS_AT:
            await _people(demo, community, station)


async def _station(demo: DemoContext, community: Community, *, always_open: bool) -> Station:
    rng = demo.random
    assert community.centre_lon is not None and community.centre_lat is not None
    return await Station.create(
        code=f"{community.code}-yizhan", name=f"{community.name}小哥驿站",
        district_id=community.district_id, street_id=community.street_id,
        community_id=community.id, address=f"{community.name}沿街商铺1号",
        lon=community.centre_lon + rng.uniform(-0.004, 0.004),
        lat=community.centre_lat + rng.uniform(-0.003, 0.003),
        hours=ALWAYS if always_open else DAYTIME, has_water=True, has_microwave=True,
        has_rest_seats=True, has_toilet=always_open, has_first_aid=True,
        chargers=rng.choice([2, 4, 6]),
    )  # fmt: skip


async def _activity(demo: DemoContext, station: Station, start: datetime) -> None:
    season = season_of(start, demo.activation.config.city.time_zone)
    title = TITLES[season.value]
    offering = await Offering.create(
        owner=NAME, kind=KIND, title=title, district_id=station.district_id,
        street_id=station.street_id, community_id=station.community_id, cutoff_minutes=60,
        per_person_limit=1, waitlist=True,
    )  # fmt: skip
    slot = await Slot.create(
        offering_id=offering.id, starts_at=start, ends_at=start + timedelta(hours=2), capacity=30
    )
    await Activity.create(
        station_id=station.id, district_id=station.district_id, street_id=station.street_id,
        community_id=station.community_id, season=season.value, title=title,
        description="四季有爱·凝新聚新: 驿站为快递员、外卖骑手和网约车司机准备的关爱活动。",
        starts_at=slot.starts_at, ends_at=slot.ends_at, offering_id=offering.id, slot_id=slot.id,
    )  # fmt: skip


async def _people(demo: DemoContext, community: Community, station: Station) -> None:
    keeper = await Person.create(name="赵站长")
    await demo.grant_role(
        keeper.id,
        Grant(KEEPER, "community", district_id=community.district_id,
              street_id=community.street_id, community_id=community.id),
    )  # fmt: skip
    await demo.add_login(f"{community.code}_keeper", keeper.id)
    await Station.filter(id=station.id).update(keeper_id=keeper.id)
    rider = await Person.create(name="李师傅")
    await demo.add_login(f"rider_{community.code}", rider.id)
    await GigWorker.create(
        person_id=rider.id, district_id=community.district_id, kind="RIDER", platform="美团"
    )
