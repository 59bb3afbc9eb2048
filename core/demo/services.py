"""Demo community services at the article's scale: 350 party-mass service stations offering the
57-item one-stop catalogue, 45 银发志愿服务队 with work orders, 30 政策宣讲团 of 334 cadres with
their activities, and deliberation topics in every district.

Station staff are demo people who already exist (欣虹社区's community worker runs its
community station); volunteer teams get retired party members living in their responsibility
compounds, and outreach teams the 334 cadres. Times are relative to ``now`` (city time zone),
everything else comes from ``rng``: the same seed and ``now`` give the same rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from tortoise.models import Model

from core.access.models import Account
from core.deliberation.models import DeliberationOption, DeliberationTopic, DeliberationVote
from core.demo.people import GIVEN, REGION_CODES, SURNAMES, id_number
from core.demo.regions import DemoRegions
from core.outreach.models import OutreachActivity, OutreachMember, OutreachTeam
from core.people.models import Department, Person, PioneerPost
from core.regions.models import Community, Compound
from core.stations.catalogue import read_standard_catalogue, seed_catalogue
from core.stations.models import (
    CatalogueItem,
    ServiceApplication,
    ServiceStation,
    StationService,
    StationStaff,
)
from core.volunteers.models import (
    VolunteerMember,
    VolunteerTeam,
    VolunteerTeamArea,
    VolunteerTeamPost,
    WorkOrder,
)
from core.volunteers.orders import WorkOrderKind, WorkOrderSource, WorkOrderStatus, open_work_order

CITY_ZONE = ZoneInfo("Asia/Shanghai")  # the demo config's [city] time_zone
STATIONS, VOLUNTEER_TEAMS, OUTREACH_TEAMS, CADRES = 350, 45, 30, 334  # the article's numbers
PINNED_COMMUNITY = "xinhong"  # the demo logins live here: it gets one of everything

SECTIONS = ("东区", "西区", "南区", "北区", "中区")  # a large compound has one station per section
CENTRE_HOURS = [{"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "17:00"},
                {"weekdays": [6], "opens": "09:00", "closes": "12:00"}]  # fmt: skip
COMPOUND_HOURS = (
    [{"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "11:30"},
     {"weekdays": [1, 2, 3, 4, 5], "opens": "13:30", "closes": "17:00"}],
    [{"weekdays": [1, 2, 3, 4, 5, 6], "opens": "09:00", "closes": "16:30"}],
    [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "08:00", "closes": "11:30"}],
    [{"weekdays": [2, 4, 6], "opens": "09:00", "closes": "15:00"}],
)  # fmt: skip
EVERY_STATION = (
    "residence_certificate", "elderly_allowance", "senior_card", "pension_certification",
    "medical_insurance_enrolment", "medical_insurance_payment", "insurance_record_printing",
    "dispute_mediation", "volunteer_registration",
)  # fmt: skip
WITHOUT_PROPERTY_COMPANY = (
    "home_repair", "public_facility_repair", "bulky_waste_collection", "heating_service",
    "maintenance_fund", "utility_account_transfer",
)  # fmt: skip
"""The property items a compound station still offers where there is no property company."""
REJECT_REASONS = (
    "材料不齐：缺少户口簿原件，请补齐后重新申请。",
    "申请人户籍不在本社区，请到户籍所在地社区办理。",
    "经入户核实，家庭人均收入超过本市保障标准。",
    "照片不符合制证要求，请提供近期白底免冠彩色照片。",
)

SOE = ("龙煤鹤岗矿业公司", "国网鹤岗供电公司", "鹤岗市热电公司", "鹤岗市自来水公司",
       "鹤岗市燃气公司", "鹤岗矿业机械厂")  # fmt: skip
BASE_SKILLS = ("水电维修", "安全隐患排查")
MORE_SKILLS = (
    "家电维修",
    "管道疏通",
    "助老助残",
    "理发义剪",
    "政策咨询",
    "环境整治",
    "手机使用教学",
)
POST_TITLES = ("民情气象员", "水电维修先锋岗", "安全隐患排查岗", "助老服务先锋岗")
JOBS = (  # kind, title, what the resident says, what the volunteer wrote when done
    (WorkOrderKind.WATER_REPAIR, "厨房水龙头漏水",
     "水龙头关不严，一直滴水。", "更换水龙头阀芯，试水无渗漏。"),
    (WorkOrderKind.WATER_REPAIR, "卫生间下水道堵塞",
     "下水道反味，排水很慢。", "疏通下水管道，排水恢复正常。"),
    (WorkOrderKind.WATER_REPAIR, "暖气片跑水",
     "卧室暖气片接口渗水，地面有积水。", "更换接口密封垫，打压测试正常。"),
    (WorkOrderKind.ELECTRICITY_REPAIR, "楼道声控灯不亮",
     "二楼到五楼声控灯都不亮，老人晚上上下楼不方便。", "更换声控开关和LED灯泡4个。"),
    (WorkOrderKind.ELECTRICITY_REPAIR, "户内插座跳闸",
     "厨房插座一用电饭锅就跳闸。", "更换老化插座，检查线路绝缘正常。"),
    (WorkOrderKind.HAZARD_CHECK, "楼道堆物消防隐患排查",
     "楼道里堆放纸箱和旧家具，堵塞通道。", "协助住户清理楼道杂物，张贴消防安全提示。"),
    (WorkOrderKind.HAZARD_CHECK, "燃气管道安全检查",
     "独居老人家中有燃气味。", "更换老化燃气软管，讲解安全用气常识。"),
    (WorkOrderKind.HAZARD_CHECK, "老旧电线安全检查",
     "楼内电线老化，担心冬季用电负荷大引发火灾。", "排查入户线路，更换老化线路2处。"),
    (WorkOrderKind.HOUSEHOLD_HELP, "独居老人家电维修",
     "家里电视没有信号，老人不会调。", "重新调试机顶盒，教老人使用遥控器。"),
    (WorkOrderKind.HOUSEHOLD_HELP, "高龄老人更换灯管",
     "卧室顶灯坏了，老人够不着。", "更换吸顶灯灯管，顺带检查了开关。"),
)  # fmt: skip
CANCEL_REASONS = ("居民已自行修好，取消报修。", "物业已安排维修。", "住户外出，改日再约。")
FEEDBACK = (
    "师傅很耐心，修得很好，谢谢志愿者！",
    "来得及时，解决了大问题。",
    "服务热情，收拾得干干净净。",
)

THEMES = {
    "社区治理": ("无物业小区管理与“红管家”服务", "老旧小区改造政策解读", "垃圾分类与环境整治",
                 "冬季供热政策与安全取暖", "防范电信网络诈骗", "《网格化服务管理标准》解读"),
    "子女教育": ("义务教育招生入学政策", "“四点半课堂”课后服务介绍", "家庭教育促进法解读",
                 "青少年防溺水与交通安全"),
    "医保养老": ("城乡居民医保参保缴费政策", "异地就医备案与直接结算", "养老保险待遇资格认证",
                 "高龄津贴与居家养老服务政策"),
}  # fmt: skip
ACTIVITY_KINDS = ("POLICY_TALK", "CORRIDOR_CLASS", "COURTYARD_MEETING", "STOOL_CLASS")
SUBJECTS = {  # subject: title, description, options (proposer kind, text)
    "GREENING": (
        "{place}空地绿化方案",
        "小区中心空地荒废多年，夏天杂草丛生。大家商量怎么绿化、谁来养护。",
        (("RESIDENT", "种植丁香、榆叶梅等耐寒花木，居民认领养护"),
         ("PROPERTY_COMPANY", "铺设草坪、加装围栏，由物业统一养护"),
         ("PARTY_MEMBER", "辟出一块做居民菜园，党员带头管理"))),
    "GARBAGE_COLLECTION": (
        "{place}垃圾清运时间和收集点",
        "垃圾桶满了没人清，夏天异味大。请大家商定清运时间和收集点位置。",
        (("RESIDENT", "每天早晚各清运一次，早上七点前清完"),
         ("PROPERTY_COMPANY", "集中设置两处垃圾收集点并加装遮挡棚"),
         ("PARTY_MEMBER", "每个单元门口放分类垃圾桶，党员轮流督导"))),
    "FITNESS_EQUIPMENT": (
        "{place}健身器材安装位置",
        "街道争取到一批健身器材，请大家商定安装位置。",
        (("RESIDENT", "安装在小区中心广场，方便老人活动"),
         ("PROPERTY_COMPANY", "安装在东侧空地，远离住户窗户减少噪音"),
         ("PARTY_MEMBER", "一半装在广场，一半装在儿童游乐区旁"))),
    "ELDERLY_CANTEEN": (
        "{place}老年食堂建设",
        "老人多、子女不在身边，想办一个老年食堂。请大家商量选址和运营方式。",
        (("RESIDENT", "利用党群服务站一楼改建，就近方便"),
         ("PROPERTY_COMPANY", "与附近餐馆合作，按标准配餐送餐上门"),
         ("PARTY_MEMBER", "租用社区闲置用房新建，志愿者参与帮厨"))),
}  # fmt: skip


@dataclass(frozen=True)
class DemoServices:
    """How many rows of each kind the demo made."""

    stations: int
    catalogue_items: int
    volunteer_teams: int
    outreach_teams: int
    topics: int
    applications: int
    work_orders: int


@dataclass
class _Town:
    """The demo tree and its people, indexed the ways the builders below look things up."""

    regions: DemoRegions
    rng: random.Random
    now: datetime
    logins: dict[str, int]
    residents: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    compounds: dict[int, list[Compound]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for compound in self.regions.compounds:
            self.compounds[compound.community_id].append(compound)
        self.street = {s.id: s for s in self.regions.streets}
        self.district = {d.id: d for d in self.regions.districts}
        self.pinned = next(c for c in self.regions.communities if c.code == PINNED_COMMUNITY)
        # People with a demo login: of them only the community worker gets a station job, so
        # that the resident logins show what a plain resident sees.
        self.signed = set(self.logins.values())

    def at(self, days: float, hour: int = 9, minute: int = 0) -> datetime:
        """``days`` from today (city time) at ``hour:minute`` city time, in UTC."""
        today = self.now.astimezone(CITY_ZONE).date()
        day = today + timedelta(days=int(days))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CITY_ZONE).astimezone(
            UTC
        )

    def ago(self, low: float, high: float) -> datetime:
        """A random instant between ``high`` and ``low`` days before now, to the minute."""
        return _minute(self.now - timedelta(days=self.rng.uniform(low, high)))

    def phone(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"

    def place(self, community: Community) -> dict[str, int]:
        return {"district_id": community.district_id, "street_id": community.street_id,
                "community_id": community.id}  # fmt: skip


M = TypeVar("M", bound=Model)


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


async def _inserted(model: type[M], rows: Sequence[M]) -> list[M]:
    """Insert ``rows`` and read them back with their ids, in order (``bulk_create`` does not set
    ids on every backend). Demo rows are written alone in one transaction, so the new rows
    are exactly those past the highest id before."""
    last = await model.all().order_by("-id").limit(1).values_list("id", flat=True)
    await model.bulk_create(list(rows), batch_size=500)
    stored = await model.filter(id__gt=last[0] if last else 0).order_by("id")
    assert len(stored) == len(rows), f"{model.__name__}: inserted {len(rows)}, read {len(stored)}"
    return stored


async def create_demo_services(
    regions: DemoRegions, rng: random.Random, *, now: datetime | None = None
) -> DemoServices:
    """Create the demo stations, catalogue, volunteer teams, outreach teams, deliberation topics,
    applications and work orders. Call after :func:`core.demo.people.create_demo_people`,
    inside the demo transaction."""
    await seed_catalogue(read_standard_catalogue())
    items = {row.code: row for row in await CatalogueItem.filter(active=True).order_by("id")}
    logins = dict(await Account.all().values_list("username", "person_id"))
    town = _Town(regions, rng, now or datetime.now(UTC), logins)
    for person in await Person.filter(home_community_id__isnull=False).order_by("id"):
        town.residents[person.home_community_id or 0].append(person)

    stations = await _stations(town, items)
    teams = await _volunteer_teams(town)
    outreach = await _outreach(town)
    topics, decided = await _deliberation(town, teams)
    applications = await _applications(town, stations, items)
    orders = await _work_orders(town, teams)
    return DemoServices(stations=len(stations), catalogue_items=len(items),
                        volunteer_teams=len(teams), outreach_teams=outreach, topics=topics,
                        applications=applications, work_orders=orders + decided)  # fmt: skip


@dataclass
class _Station:
    row: ServiceStation
    items: list[str]
    staff: list[int]


async def _stations(town: _Town, items: dict[str, CatalogueItem]) -> list[_Station]:
    """One 党群服务中心 per community and 党群服务站 in compounds, 350 in all."""
    rng, compounds = town.rng, town.regions.compounds
    per_compound = [1] * len(compounds)
    for _ in range(STATIONS - len(town.regions.communities) - len(compounds)):
        room = [i for i, n in enumerate(per_compound) if n < len(SECTIONS)]
        per_compound[rng.choice(room)] += 1
    count_of = {c.id: n for c, n in zip(compounds, per_compound, strict=True)}
    property_items = [code for code, item in items.items() if item.category == "PROPERTY_AFFAIRS"]
    other_items = [
        code
        for code, item in items.items()
        if item.category != "PROPERTY_AFFAIRS" and code not in EVERY_STATION
    ]

    plans: list[_Station] = []
    for community in town.regions.communities:
        street, district = town.street[community.street_id], town.district[community.district_id]
        people = [p.id for p in town.residents[community.id] if p.id not in town.signed]
        staff = rng.sample(people, rng.randint(2, 3))
        if community.id == town.pinned.id:
            staff.insert(0, town.logins["xinhong_worker"])
        plans.append(_Station(ServiceStation(
            **town.place(community), code=f"{community.code}-centre",
            name=f"{community.name}党群服务中心",
            address=f"{district.name}{street.name}{community.name}居委会办公楼一楼",
            phone=f"0468-{rng.choice('3456')}{rng.randrange(10**6):06d}",
            lon=community.centre_lon, lat=community.centre_lat, hours=CENTRE_HOURS,
        ), list(items), staff[:3]))  # fmt: skip
        for compound in town.compounds[community.id]:
            [(west, south), _, (east, north), *_] = compound.boundary["coordinates"][0]
            offered = [*EVERY_STATION, *rng.sample(other_items, rng.randint(3, 8))]
            if compound.has_property_management:
                offered += property_items
            else:
                offered += WITHOUT_PROPERTY_COMPANY
            count = count_of[compound.id]
            for number in range(1, count + 1):
                section = SECTIONS[number - 1] if count > 1 else ""
                plans.append(_Station(ServiceStation(
                    **town.place(community), code=f"{compound.code}-s{number}",
                    name=f"{compound.name}{section}党群服务站", compound_id=compound.id,
                    address=f"{compound.name}{rng.randint(1, 18)}号楼{rng.randint(1, 4)}单元一楼",
                    phone=f"0468-{rng.choice('3456')}{rng.randrange(10**6):06d}",
                    lon=round(rng.uniform(west, east), 6), lat=round(rng.uniform(south, north), 6),
                    hours=rng.choice(COMPOUND_HOURS),
                ), offered, rng.sample(people, rng.randint(1, 2))))  # fmt: skip

    assert len(plans) == STATIONS, f"{len(plans)} stations for {len(compounds)} compounds"
    rows = await _inserted(ServiceStation, [plan.row for plan in plans])
    services, staff_rows = [], []
    for plan, row in zip(plans, rows, strict=True):
        plan.row = row
        services += [
            StationService(station_id=row.id, item_id=items[code].id) for code in plan.items
        ]
        for index, person_id in enumerate(plan.staff):
            title = _staff_title(row, index, town)
            staff_rows.append(StationStaff(station_id=row.id, person_id=person_id, title=title))
    await StationService.bulk_create(services, batch_size=1000)
    await StationStaff.bulk_create(staff_rows, batch_size=500)
    return plans


def _staff_title(station: ServiceStation, index: int, town: _Town) -> str:
    if station.compound_id is None:
        return "站长" if index == 0 else "社区工作者"
    managed = next(c for c in town.compounds[station.community_id] if c.id == station.compound_id)
    if index == 0:
        return "物业服务专员" if managed.has_property_management else "红管家"
    return "网格员"


@dataclass
class _Team:
    row: VolunteerTeam
    areas: list[Compound]
    members: list[int] = field(default_factory=list)


def _born(person: Person) -> int:
    return int(person.id_number[6:10]) if person.id_number else 0


async def _volunteer_teams(town: _Town) -> list[_Team]:
    """A 银发志愿服务队 in every community and second teams in some, 45 in all, of retired
    party members living in the team's responsibility compounds (and elders already there)."""
    rng, communities = town.rng, town.regions.communities
    elders = {cid: [p.id for p in people if 0 < _born(p) <= 1966 and p.id not in town.signed]
              for cid, people in town.residents.items()}  # fmt: skip
    plans: list[_Team] = []
    for community in [*communities, *rng.sample(communities, VOLUNTEER_TEAMS - len(communities))]:
        second = any(p.row.community_id == community.id for p in plans)
        skills = [*BASE_SKILLS, *rng.sample(MORE_SKILLS, rng.randint(2, 3))]
        places = town.compounds[community.id]
        plans.append(_Team(VolunteerTeam(
            **town.place(community),
            name=f"{community.name}银发志愿服务{'二' if second else ''}队",
            description=f"由{rng.choice(SOE)}退休党员组成，为居民免费提供{'、'.join(skills)}等服务。",
            skills=skills,
        ), rng.sample(places, min(len(places), rng.randint(1, 2)))))  # fmt: skip

    numbers: list[Any] = await Person.filter(id_number__isnull=False).values_list(
        "id_number", flat=True
    )
    taken = set(numbers)
    retirees: list[Person] = []
    sizes: list[int] = []
    for plan in plans:
        region = REGION_CODES[town.district[plan.row.district_id].code]
        sizes.append(rng.randint(4, 7))
        for _ in range(sizes[-1]):
            home = rng.choice(plan.areas)
            while (number := _id_number(rng, region)) in taken:
                pass
            taken.add(number)
            retirees.append(Person(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN), phone=town.phone(),
                id_number=number, home_compound_id=home.id, home_grid_id=home.grid_id,
                home_community_id=home.community_id, home_street_id=home.street_id,
                home_district_id=home.district_id,
            ))  # fmt: skip
    stored = await _inserted(Person, retirees)
    start = 0
    for plan, size in zip(plans, sizes, strict=True):
        joined, start = stored[start : start + size], start + size
        town.residents[plan.row.community_id] += joined
        local = elders.get(plan.row.community_id, [])
        plan.members = [p.id for p in joined] + rng.sample(local, min(len(local), 2))
        plan.row.leader_id = plan.members[0]

    for plan, row in zip(
        plans, await _inserted(VolunteerTeam, [p.row for p in plans]), strict=True
    ):
        plan.row = row
    await VolunteerMember.bulk_create([
        VolunteerMember(team_id=plan.row.id, person_id=person_id,
                        skills=rng.sample(plan.row.skills, rng.randint(1, 2)))
        for plan in plans for person_id in plan.members
    ], batch_size=500)  # fmt: skip
    await VolunteerTeamArea.bulk_create(
        [VolunteerTeamArea(team_id=p.row.id, compound_id=c.id) for p in plans for c in p.areas]
    )
    # The community's 红管家 joins its first team; each team leader holds a pioneer post.
    lives_in = {p.id: p.home_compound_id for p in stored}
    posts = await _inserted(PioneerPost, [
        PioneerPost(person_id=p.members[0], compound_id=lives_in[p.members[0]],
                    title=rng.choice(POST_TITLES), duty="、".join(p.row.skills[:3]))
        for p in plans
    ])  # fmt: skip
    first_team: dict[int, int] = {}
    for plan in plans:
        first_team.setdefault(plan.row.community_id, plan.row.id)
    stewards = (
        await PioneerPost.filter(title="红管家")
        .order_by("id")
        .values_list("id", "compound__community_id")
    )
    links = [VolunteerTeamPost(team_id=p.row.id, post_id=post.id)
             for p, post in zip(plans, posts, strict=True)]  # fmt: skip
    links += [VolunteerTeamPost(team_id=first_team[cid], post_id=post_id)
              for post_id, cid in stewards if cid in first_team]  # fmt: skip
    await VolunteerTeamPost.bulk_create(links)
    return plans


def _id_number(rng: random.Random, region: str) -> str:
    born = date(1948, 1, 1) + timedelta(days=rng.randrange(0, 365 * 18))
    return id_number(region, born, rng.randrange(1, 1000))


async def _outreach(town: _Town) -> int:
    """A 政策宣讲团 per district and per street plus themed district teams, 30 in all, sharing
    the 334 cadres; each holds two past and two upcoming activities."""
    rng, regions = town.rng, town.regions
    departments = await Department.all().order_by("id").values_list("id", flat=True)
    cadres = await _inserted(Person, [
        Person(name=rng.choice(SURNAMES) + rng.choice(GIVEN), phone=town.phone(),
               department_id=rng.choice(departments))
        for _ in range(CADRES)
    ])  # fmt: skip
    about = "围绕社区治理、子女教育、医保养老等群众关心的事，用家常话解读政策、用身边事讲明道理。"
    plans = [(OutreachTeam(name=f"{d.name}政策宣讲团", district_id=d.id, description=about),
              "社区治理") for d in regions.districts]  # fmt: skip
    plans += [(OutreachTeam(name=f"{s.name}政策宣讲团", district_id=s.district_id,
                            street_id=s.id, description=about), "社区治理")
              for s in regions.streets]  # fmt: skip
    for index, district in enumerate(regions.districts[: OUTREACH_TEAMS - len(plans)]):
        theme = ("医保养老", "子女教育")[index % 2]
        plans.append((OutreachTeam(name=f"{district.name}{theme}政策宣讲团",
                                   district_id=district.id, description=f"专讲{theme}政策。"),
                       theme))  # fmt: skip
    assert len(plans) == OUTREACH_TEAMS
    teams = await _inserted(OutreachTeam, [team for team, _ in plans])

    pool = [c.id for c in cadres]
    rng.shuffle(pool)
    members: list[list[int]] = []
    for index in range(len(teams)):
        size = CADRES // len(teams) + (index < CADRES % len(teams))
        members.append(pool[:size])
        pool = pool[size:]
    # The demo logins of 工农区 take part too: its district team and 红旗街道's.
    pinned_street = town.street[town.pinned.street_id]
    district_team = [d.id for d in regions.districts].index(town.pinned.district_id)
    members[district_team] += [town.logins["gongnong_admin"], town.logins["zhujian_officer"]]
    street_team = next(i for i, t in enumerate(teams) if t.street_id == pinned_street.id)
    members[street_team].append(town.logins["hongqi_officer"])
    await OutreachMember.bulk_create([
        OutreachMember(team_id=team.id, person_id=person_id)
        for team, ids in zip(teams, members, strict=True) for person_id in ids
    ], batch_size=500)  # fmt: skip

    activities = []
    for team, (_, theme), ids in zip(teams, plans, members, strict=True):
        places = [c for c in regions.communities if c.district_id == team.district_id
                  and team.street_id in (None, c.street_id)]  # fmt: skip
        for number in range(4):
            upcoming = number >= 2
            community = rng.choice(places)
            if upcoming and team.street_id == pinned_street.id and number == 2:
                community = town.pinned  # residents of 欣虹社区 see something coming
            activities.append(_activity(town, team, theme, community, upcoming, ids))
    await OutreachActivity.bulk_create(activities, batch_size=500)
    return len(teams)


def _activity(
    town: _Town, team: OutreachTeam, theme: str, community: Community, upcoming: bool,
    members: list[int],
) -> OutreachActivity:  # fmt: skip
    rng = town.rng
    kind, topic = rng.choice(ACTIVITY_KINDS), rng.choice(THEMES[theme])
    compound = None if kind == "POLICY_TALK" else rng.choice(town.compounds[community.id])
    if compound is None:
        location = f"{community.name}党群服务中心二楼会议室"
    elif kind == "CORRIDOR_CLASS":
        location = f"{compound.name}{rng.randint(1, 18)}号楼{rng.randint(1, 4)}单元楼道"
    elif kind == "COURTYARD_MEETING":
        location = f"{compound.name}院内"
    else:
        location = f"{compound.name}{rng.randint(1, 18)}号楼前空地"
    hour, minute = rng.choice(((9, 0), (9, 30), (14, 0), (15, 0), (18, 30)))
    starts = town.at(rng.randint(1, 21) if upcoming else -rng.randint(3, 45), hour, minute)
    held = not upcoming and rng.random() >= 0.1
    return OutreachActivity(
        **town.place(community), team_id=team.id, kind=kind, topic=topic,
        description=f"{team.name}的干部用家常话讲解“{topic}”，现场解答居民提问。",
        compound_id=compound.id if compound else None, location=location, starts_at=starts,
        ends_at=starts + timedelta(minutes=rng.choice((60, 90))),
        organiser_id=rng.choice(members),
        status="PLANNED" if upcoming else "HELD" if held else "CANCELLED",
        attendance=rng.randint(12, 60) if held else None,
    )  # fmt: skip


async def _deliberation(town: _Town, teams: list[_Team]) -> tuple[int, int]:
    """Per district: a community topic inside its voting window and a DECIDED one (both in
    欣虹社区 for 工农区), and a street topic still collecting options (六号街道's 老年食堂 for
    南山区). Only OPEN and DECIDED are stored: the phase (PROPOSING, VOTING) follows from the
    window, see ``core.deliberation.phases``. Returns the topics and work orders made."""
    rng, regions, resident = town.rng, town.regions, town.logins["resident_xinhong"]
    specs: list[tuple[str, Community | None, int, str]] = []
    for district in regions.districts:
        here = [c for c in regions.communities if c.district_id == district.id]
        voting, decided = rng.sample(here, 2)
        if district.id == town.pinned.district_id:
            voting = decided = town.pinned
        streets = [s for s in regions.streets if s.district_id == district.id]
        street = next((s for s in streets if s.code == "liuhao"), rng.choice(streets))
        subjects = rng.sample(list(SUBJECTS), 3)
        if street.code == "liuhao":
            subjects = [*[s for s in subjects if s != "ELDERLY_CANTEEN"][:2], "ELDERLY_CANTEEN"]
        specs += [("VOTING", voting, voting.street_id, subjects[0]),
                  ("DECIDED", decided, decided.street_id, subjects[1]),
                  ("PROPOSING", None, street.id, subjects[2])]  # fmt: skip

    def voters_of(community: Community | None, street_id: int) -> list[int]:
        places = [community] if community else [
            c for c in regions.communities if c.street_id == street_id]  # fmt: skip
        return [p.id for c in places for p in town.residents[c.id]]

    rows = []
    for phase, community, street_id, subject in specs:
        title, description, _ = SUBJECTS[subject]
        days = {"PROPOSING": rng.randint(3, 7), "VOTING": -rng.randint(1, 3),
                "DECIDED": -rng.randint(30, 40)}[phase]  # fmt: skip
        opens = town.at(days, 8)
        closes = town.at(days + (rng.randint(4, 7) if phase == "VOTING" else 7), 20)
        creator = rng.choice(voters_of(community, street_id))
        if community is not None and community.id == town.pinned.id:
            creator = town.logins["xinhong_worker"]
        street = town.street[street_id]
        rows.append(DeliberationTopic(
            title=title.format(place=community.name if community else street.name),
            description=description, subject=subject, district_id=street.district_id,
            street_id=street_id, community_id=community.id if community else None,
            status="DECIDED" if phase == "DECIDED" else "OPEN",
            voting_opens_at=opens, voting_closes_at=closes,
            created_by_id=creator, created_at=opens - timedelta(days=rng.randint(3, 10)),
        ))  # fmt: skip
    topics = await _inserted(DeliberationTopic, rows)

    options = []
    for topic, (phase, community, street_id, subject) in zip(topics, specs, strict=True):
        people = voters_of(community, street_id)
        for kind, text in SUBJECTS[subject][2][: 2 if phase == "PROPOSING" else 3]:
            options.append(DeliberationOption(topic_id=topic.id, text=text, proposer_kind=kind,
                                              proposed_by_id=rng.choice(people)))  # fmt: skip
    by_topic: dict[int, list[DeliberationOption]] = defaultdict(list)
    for option in await _inserted(DeliberationOption, options):
        by_topic[option.topic_id].append(option)

    votes, orders = [], 0
    for topic, (phase, community, street_id, _) in zip(topics, specs, strict=True):
        if phase == "PROPOSING":
            continue
        choices, weights = by_topic[topic.id], [rng.random() + 0.2 for _ in range(3)]
        people = [p for p in voters_of(community, street_id) if p != resident]
        share = rng.uniform(0.3, 0.6) if phase == "VOTING" else rng.uniform(0.6, 0.9)
        ballots = {p: rng.choices(choices, weights)[0] for p in people if rng.random() < share}
        votes += [DeliberationVote(topic_id=topic.id, option_id=o.id, person_id=p)
                  for p, o in ballots.items()]  # fmt: skip
        if phase == "DECIDED" and community is not None:
            chosen = max(choices, key=lambda o: sum(v is o for v in ballots.values()))
            decision = (f"经{len(ballots)}位居民投票，选定“{chosen.text}”。"
                        "由社区组织实施，银发志愿服务队配合。")  # fmt: skip
            decided_at = topic.voting_closes_at + timedelta(hours=14)
            await DeliberationTopic.filter(id=topic.id).update(
                decision=decision, chosen_option_id=chosen.id, decided_at=decided_at
            )
            team = next(t for t in teams if t.row.community_id == community.id)
            order = await open_work_order(
                community_id=community.id, kind=WorkOrderKind.OTHER,
                title=f"落实议事结果：{chosen.text}", source=WorkOrderSource.DELIBERATION,
                description=decision, topic_id=topic.id, team_id=team.row.id,
                requester_id=topic.created_by_id,
            )  # fmt: skip
            await WorkOrder.filter(id=order.id).update(created_at=decided_at + timedelta(days=1))
            orders += 1
    await DeliberationVote.bulk_create(votes, batch_size=500)
    return len(topics), orders


async def _applications(
    town: _Town, stations: list[_Station], items: dict[str, CatalogueItem]
) -> int:
    """Five applications per community across its stations, every status in each district;
    欣虹社区's demo resident has one waiting and one done."""
    rng, resident = town.rng, town.logins["resident_xinhong"]
    statuses = ("SUBMITTED", "ACCEPTED", "DONE", "REJECTED")
    rows = []
    for community in town.regions.communities:
        here = [s for s in stations if s.row.community_id == community.id]
        people = [p.id for p in town.residents[community.id]]
        wanted = [
            (s, rng.choice(here), rng.choice(people)) for s in (*statuses, rng.choice(statuses))
        ]
        if community.id == town.pinned.id:
            wanted += [(status, here[0], resident) for status in ("SUBMITTED", "DONE")]
        for status, station, applicant in wanted:
            item = items[rng.choice(station.items)]
            submitted = town.ago(0, 3) if status == "SUBMITTED" else town.ago(5, 40)
            accepted = submitted + timedelta(hours=rng.randint(2, 30))
            finished = _minute(
                accepted + timedelta(days=rng.uniform(0.2, min(item.time_limit_days, 3)))
            )
            doorstep = item.doorstep and rng.random() < 0.5
            rows.append(ServiceApplication(
                **town.place(community), station_id=station.row.id, item_id=item.id,
                applicant_id=applicant, status=status, materials=list(item.materials),
                note="老人行动不便，请工作人员上门办理。" if doorstep else "",
                at_doorstep=doorstep and status != "SUBMITTED",
                reject_reason=rng.choice(REJECT_REASONS) if status == "REJECTED" else None,
                handled_by_id=None if status == "SUBMITTED" else station.staff[0],
                accepted_at=accepted if status in ("ACCEPTED", "DONE") else None,
                finished_at=finished if status in ("DONE", "REJECTED") else None,
                created_at=submitted,
            ))  # fmt: skip
    await ServiceApplication.bulk_create(rows, batch_size=500)
    return len(rows)


async def _work_orders(town: _Town, teams: list[_Team]) -> int:
    """Two resident requests per team (one of each status for 欣虹社区's first team, two of them
    from the demo resident), opened through :func:`open_work_order` and then moved along."""
    rng, resident = town.rng, town.logins["resident_xinhong"]
    cycle = [s.value for s in WorkOrderStatus]
    count = 0
    first = next(t for t in teams if t.row.community_id == town.pinned.id)
    for index, team in enumerate(teams):
        pinned = team is first
        statuses = cycle if pinned else [cycle[(2 * index + k) % len(cycle)] for k in range(2)]
        areas = {c.id for c in team.areas}
        people = town.residents[team.row.community_id]
        nearby = [p for p in people if p.home_compound_id in areas] or people
        for status in statuses:
            requester = rng.choice(nearby)
            if pinned and status in ("REQUESTED", "DONE"):
                requester = next(p for p in people if p.id == resident)
            await _work_order(town, team, status, requester)
            count += 1
    return count


async def _work_order(town: _Town, team: _Team, status: str, requester: Person) -> None:
    rng = town.rng
    kind, title, description, note = rng.choice(JOBS)
    compound = next(c for c in town.compounds[team.row.community_id]
                    if c.id == requester.home_compound_id)  # fmt: skip
    flat = (
        f"{rng.randint(1, 18)}号楼{rng.randint(1, 4)}单元{rng.randint(1, 6)}0{rng.randint(1, 2)}室"
    )
    order = await open_work_order(
        community_id=team.row.community_id, kind=kind, title=title,
        source=WorkOrderSource.RESIDENT, description=description, compound_id=compound.id,
        address=f"{compound.name}{flat}",
        requester_id=requester.id,
        team_id=None if status == WorkOrderStatus.REQUESTED else team.row.id,
    )  # fmt: skip
    requested = town.ago(0, 2) if status == WorkOrderStatus.REQUESTED else town.ago(3, 20)
    changes: dict[str, Any] = {"created_at": requested, "status": status}
    if status == WorkOrderStatus.CANCELLED:
        changes["cancel_reason"] = rng.choice(CANCEL_REASONS)
    if status in (WorkOrderStatus.DONE, WorkOrderStatus.CONFIRMED):
        completed = requested + (town.now - requested) * rng.uniform(0.3, 0.6)
        changes |= {"completed_by_id": rng.choice(team.members), "completion_note": note,
                    "completed_at": _minute(completed)}  # fmt: skip
        if status == WorkOrderStatus.CONFIRMED:
            changes |= {"confirmed_at": _minute(completed + (town.now - completed) / 2),
                        "satisfied": True, "feedback": rng.choice(FEEDBACK)}  # fmt: skip
    await WorkOrder.filter(id=order.id).update(**changes)
