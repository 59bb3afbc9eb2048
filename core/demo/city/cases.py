"""A year of residents' problems in Hegang: what they report when (no heating in the winter,
burst pipes in the thaw, broken roads in spring, garbage and illegal building in summer,
disputes all year — 2,200 mediated), from whom (residents, grid patrols, the 12345 hotline,
petitions), and where (a compound of a grid, weighted by how many live there)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from faker import Faker

from core.demo.city.ladder import DemoCase, DemoCaseResult, LadderWriter
from core.demo.city.people import CityPeople
from core.demo.regions import DemoRegions
from core.progress import SILENT, Progress
from core.regions.models import Compound

CASES_A_YEAR = 14_000
"""Core's own cases; the rider stations add their 3,700 snap-and-reports."""
SOURCES = ("RESIDENT", "GRID_PATROL", "HOTLINE_12345", "PETITION")
SOURCE_WEIGHTS = (58, 27, 12, 3)
SEASON = {  # category: weight by month, January first
    "heating": (30, 26, 16, 6, 0, 0, 0, 0, 1, 10, 26, 32),
    "water_supply": (12, 12, 14, 10, 6, 6, 8, 8, 6, 6, 8, 12),
    "sanitation": (6, 6, 10, 16, 18, 20, 22, 22, 16, 10, 8, 6),
    "road_damage": (4, 6, 14, 20, 16, 8, 8, 8, 6, 6, 4, 4),
    "illegal_construction": (2, 2, 4, 10, 14, 14, 12, 10, 8, 4, 2, 2),
    "safety_hazard": (12, 10, 8, 6, 6, 6, 6, 6, 6, 8, 10, 12),
    "property_management": (10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10),
    "neighbour_dispute": (14, 14, 14, 14, 16, 18, 18, 18, 16, 14, 14, 14),
}
PROBLEMS = {  # category: (title, what the reporter says)
    "heating": (("{b}号楼暖气不热", "室温只有十二三度，家里有老人孩子，晚上冻得睡不着。"),
                ("{b}号楼暖气管道漏水", "楼道暖气管接口一直往下滴水，地面结冰很滑。"),
                ("{c}整栋楼没有供暖", "已经三天没有暖气了，打热电公司电话一直占线。")),
    "water_supply": (("{b}号楼停水", "早上起来就没水了，也没有看到停水通知。"),
                     ("{b}号楼自来水发黄", "水龙头放出来的水是黄的，不敢喝。"),
                     ("{c}供水管道冻裂", "小区主管道冻裂，路面全是冰。")),
    "sanitation": (("{c}垃圾清运不及时", "垃圾箱满了好几天没人拉，味道很大。"),
                   ("{b}号楼楼道堆放杂物", "楼道里堆满纸箱和旧家具，影响通行。"),
                   ("{c}化粪池外溢", "化粪池满了往外冒，整个院子都是臭味。")),
    "road_damage": (("{c}门前道路塌陷", "路面塌了一个大坑，晚上看不清，已经有人摔倒。"),
                    ("{street}路面破损", "开春化冻后路面坑洼不平，积水很深。"),
                    ("{c}井盖缺失", "小区门口的井盖没了，非常危险。")),
    "illegal_construction": (("{b}号楼一楼私搭乱建", "一楼住户在楼前私自扩建，占用公共绿地。"),
                             ("{c}违规搭建彩钢房", "有人在小区空地上搭彩钢房，影响消防通道。")),
    "safety_hazard": (("{b}号楼电线老化", "楼道电线裸露老化，担心冬天用电负荷大起火。"),
                      ("{b}号楼飞线充电", "有人从楼上拉电线给电动车充电，很危险。"),
                      ("{c}消防通道被占", "私家车把消防通道堵死了，万一着火进不来。")),
    "property_management": (("{c}物业不作为", "报修了好几次一直没人来修，物业电话打不通。"),
                             ("{b}号楼电梯故障", "电梯经常停运，老人上下楼很困难。"),
                             ("{c}小区大门损坏", "大门坏了关不上，外来车辆随便进出。")),
    "neighbour_dispute": (("{b}号楼楼上漏水纠纷", "楼上卫生间漏水把我家天棚泡了，协商不成。"),
                          ("{b}号楼噪音扰民", "楼上每天半夜装修敲打，多次沟通无果。"),
                          ("{c}车位纠纷", "邻居长期占用我家车位，双方发生争执。"),
                          ("{b}号楼宠物扰民", "邻居养狗不拴绳，孩子被吓到了。")),
}  # fmt: skip


def _day_weights(start: datetime, days: int, zone: ZoneInfo) -> list[float]:
    """More reports on weekdays and in winter (heating) and the spring thaw."""
    monthly = [sum(w[m] for w in SEASON.values()) for m in range(12)]
    weights = []
    for day in range(days):
        local = (start + timedelta(days=day)).astimezone(zone)
        weights.append(monthly[local.month - 1] * (0.7 if local.weekday() >= 5 else 1.0))
    return weights


def _at(rng: random.Random, day_start: datetime, zone: ZoneInfo) -> datetime:
    """A moment of a day, mostly in waking hours (city time), to the minute."""
    local = day_start.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    hour = rng.choices(range(24), (1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 6, 7, 8, 8, 8, 7, 6,
                                   6, 5, 4, 2, 1))[0]  # fmt: skip
    return (local + timedelta(hours=hour, minutes=rng.randrange(60))).astimezone(UTC)


def plan_cases(
    regions: DemoRegions, people: CityPeople, rng: random.Random, fake: Faker, now: datetime,
    zone: ZoneInfo, count: int = CASES_A_YEAR,
) -> list[DemoCase]:  # fmt: skip
    """``count`` cases over the year before ``now``, in order of reporting."""
    start = now - timedelta(days=365)
    compounds = [c for c in regions.compounds if people.residents[c.id]]
    sizes = [len(people.residents[c.id]) for c in compounds]
    street_name = {s.id: s.name for s in regions.streets}
    days = rng.choices(range(365), _day_weights(start, 365, zone), k=count)
    cases = []
    for day in sorted(days):
        reported = _at(rng, start + timedelta(days=day), zone)
        if reported >= now:
            reported = now - timedelta(minutes=rng.randint(5, 600))
        month = reported.astimezone(zone).month - 1
        category = rng.choices(list(SEASON), [w[month] for w in SEASON.values()])[0]
        compound = rng.choices(compounds, sizes)[0]
        source = rng.choices(SOURCES, SOURCE_WEIGHTS)[0]
        cases.append(_case(rng, fake, people, compound, category, source, reported,
                           street_name[compound.street_id]))  # fmt: skip
    return cases


def _case(
    rng: random.Random, fake: Faker, people: CityPeople, compound: Compound, category: str,
    source: str, reported: datetime, street: str,
) -> DemoCase:  # fmt: skip
    title, description = rng.choice(PROBLEMS[category])
    building = rng.randint(1, 24)
    place = {"b": f"{compound.name}{building}", "c": compound.name,
             "street": f"{street}{fake.street_name()}"}  # fmt: skip
    if source == "RESIDENT":
        reporter = rng.choice(people.residents[compound.id])
    elif source == "GRID_PATROL":
        reporter = people.grid_workers[compound.grid_id][0]
        description = f"网格巡查发现：{description}"
    else:
        reporter = rng.choice(people.district_admins[compound.district_id])
        channel = "12345热线" if source == "HOTLINE_12345" else "信访"
        description = f"{channel}转办：{description}"
    [(west, south), _, (east, north), *_] = compound.boundary["coordinates"][0]
    return DemoCase(
        compound_id=compound.id, category=category, title=title.format(**place),
        reported_at=reported, source=source, reporter_id=reporter, description=description,
        address=f"{compound.name}{building}号楼{rng.randint(1, 6)}单元",
        lon=round(rng.uniform(west, east), 6), lat=round(rng.uniform(south, north), 6),
    )  # fmt: skip


async def create_city_cases(
    writer: LadderWriter, regions: DemoRegions, people: CityPeople, rng: random.Random,
    fake: Faker, zone: ZoneInfo, progress: Progress = SILENT,
) -> list[DemoCaseResult]:  # fmt: skip
    """Plan and write core's year of cases."""
    progress.phase("planning cases", 0)
    return await writer.write(plan_cases(regions, people, rng, fake, writer.now, zone), progress)
