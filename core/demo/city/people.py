"""The city's people at the article's scale: tens of thousands of residents in every compound,
7,300 红色网格员 (cadres of city departments sunk into the 721 grids), 1,352 社区工作者, the
street officers, district admins and department officers who handle cases further up the
ladder, 340 党员先锋岗, and the same demo logins as the small demo.

Names and mobile numbers come from Faker (zh_CN); ID-card numbers are valid in form (region
code of the district, a birth date, the check character) but invented.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from core.access.models import Account, RoleGrant
from core.access.passwords import hash_password
from core.demo.city.bulk import insert, insert_ids
from core.demo.people import (
    DEMO_PASSWORD,
    DEMO_USERS,
    DEPARTMENTS,
    REGION_CODES,
    _grant_place,
    id_number,
)
from core.demo.regions import DemoRegions
from core.people.models import Department, Person, PioneerPost
from core.progress import SILENT, Progress

GRID_WORKERS, COMMUNITY_WORKERS, PIONEER_POSTS = 7_300, 1_352, 340  # the article's numbers
RESIDENTS_PER_COMPOUND = (12, 44)  # about 40,000 in all
STREET_OFFICERS, DISTRICT_ADMINS, DEPARTMENT_OFFICERS = 3, 2, 5
MORE_DEPARTMENTS = (
    ("minzheng", "民政局"), ("renshe", "人社局"), ("gongan", "公安局"), ("sifa", "司法局"),
    ("jiaoyu", "教育局"), ("jiaotong", "交通运输局"), ("ziran", "自然资源局"),
    ("shengtai", "生态环境局"), ("caizheng", "财政局"), ("fagai", "发改委"),
    ("nongye", "农业农村局"), ("wenlv", "文旅局"), ("yibao", "医保局"),
    ("tuijun", "退役军人事务局"),
    ("zongongui", "总工会"), ("tuanshiwei", "团市委"), ("fulian", "妇联"), ("canlian", "残联"),
)  # fmt: skip
POST_TITLES = ("红管家", "民情气象员", "楼栋长", "平安守护岗", "环境卫生监督岗", "邻里调解岗")


@dataclass
class CityPeople:
    """Person ids by what they do and where, as the case builder needs them."""

    departments: dict[str, int]
    residents: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    """Compound id → residents living there."""
    grid_workers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    community_workers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    street_officers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    district_admins: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    department_officers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    users: dict[str, int] = field(default_factory=dict)


def _born(rng: random.Random) -> date:
    """A birth date for an ageing coal city: a third of residents past sixty."""
    years = rng.choices((range(1936, 1966), range(1966, 1990), range(1990, 2020)), (34, 40, 26))[0]
    return date(rng.choice(years), 1, 1) + timedelta(days=rng.randrange(365))


async def create_city_people(
    regions: DemoRegions, rng: random.Random, fake: Faker, progress: Progress = SILENT
) -> CityPeople:
    """Departments, residents, cadres and workers with their role grants, pioneer posts and
    the demo logins."""
    await Department.bulk_create(
        [Department(code=c, name=n) for c, n in (*DEPARTMENTS, *MORE_DEPARTMENTS)]
    )
    people = CityPeople(dict(await Department.all().order_by("id").values_list("code", "id")))
    region_of = {d.id: REGION_CODES[d.code] for d in regions.districts}

    sizes = [rng.randint(*RESIDENTS_PER_COMPOUND) for _ in regions.compounds]
    progress.phase("residents", sum(sizes))
    taken: set[str] = set()
    residents: list[Person] = []
    for compound, size in zip(regions.compounds, sizes, strict=True):
        for _ in range(size):
            while (number := id_number(region_of[compound.district_id], _born(rng),
                                       rng.randrange(1, 1000))) in taken:  # fmt: skip
                pass
            taken.add(number)
            residents.append(Person(
                name=fake.name(), phone=fake.phone_number(), id_number=number,
                home_compound_id=compound.id, home_grid_id=compound.grid_id,
                home_community_id=compound.community_id, home_street_id=compound.street_id,
                home_district_id=compound.district_id,
            ))  # fmt: skip
    await insert_ids(Person, residents, progress)
    for person in residents:
        people.residents[person.home_compound_id or 0].append(person.id)

    departments = list(people.departments.values())
    staff: list[tuple[Person, RoleGrant]] = []

    def hire(role: str, level: str, department: int | None = None, **place: int) -> None:
        person = Person(name=fake.name(), phone=fake.phone_number(), department_id=department)
        staff.append((person, RoleGrant(role=role, level=level, **place)))

    per_grid = _spread(rng, GRID_WORKERS, len(regions.grids))
    for grid, count in zip(regions.grids, per_grid, strict=True):
        for _ in range(count):
            # 红色网格员 are cadres of city departments, sunk into a grid.
            hire("GRID_WORKER", "grid", rng.choice(departments),
                 district_id=grid.district_id, street_id=grid.street_id,
                 community_id=grid.community_id, grid_id=grid.id)  # fmt: skip
    per_community = _spread(rng, COMMUNITY_WORKERS, len(regions.communities))
    for community, count in zip(regions.communities, per_community, strict=True):
        for _ in range(count):
            hire("COMMUNITY_WORKER", "community", district_id=community.district_id,
                 street_id=community.street_id, community_id=community.id)  # fmt: skip
    for street in regions.streets:
        for _ in range(STREET_OFFICERS):
            hire("STREET_OFFICER", "street", district_id=street.district_id, street_id=street.id)
    for district in regions.districts:
        for _ in range(DISTRICT_ADMINS):
            hire("DISTRICT_ADMIN", "district", district_id=district.id)
    for code, _ in DEPARTMENTS:
        for _ in range(DEPARTMENT_OFFICERS):
            department = people.departments[code]
            hire("DEPARTMENT_OFFICER", "department", department, department_id=department)

    progress.phase("cadres and workers", 2 * len(staff))
    await insert_ids(Person, [person for person, _ in staff], progress)
    for person, grant in staff:
        grant.person_id = person.id
    await insert(RoleGrant, [grant for _, grant in staff], progress)
    by_role = {
        "GRID_WORKER": (people.grid_workers, "grid_id"),
        "COMMUNITY_WORKER": (people.community_workers, "community_id"),
        "STREET_OFFICER": (people.street_officers, "street_id"),
        "DISTRICT_ADMIN": (people.district_admins, "district_id"),
        "DEPARTMENT_OFFICER": (people.department_officers, "department_id"),
    }
    for person, grant in staff:
        index, column = by_role[grant.role]
        index[getattr(grant, column)].append(person.id)

    await _pioneer_posts(regions, rng, people)
    await _logins(regions, rng, fake, people)
    return people


def _spread(rng: random.Random, total: int, places: int) -> list[int]:
    """``total`` people over ``places``: each gets the even share, some one more."""
    counts = [total // places] * places
    for index in rng.sample(range(places), total % places):
        counts[index] += 1
    return counts


async def _pioneer_posts(regions: DemoRegions, rng: random.Random, people: CityPeople) -> None:
    """A 红管家 in the first compound of every community, and other posts in random compounds,
    340 in all, each held by a resident living there."""
    first: dict[int, int] = {}
    for compound in regions.compounds:
        first.setdefault(compound.community_id, compound.id)
    places = [(compound_id, "红管家") for compound_id in first.values()]
    others = [c.id for c in regions.compounds if people.residents[c.id]]
    places += [(rng.choice(others), rng.choice(POST_TITLES[1:]))
               for _ in range(PIONEER_POSTS - len(places))]  # fmt: skip
    duties = {"红管家": "楼道卫生、邻里纠纷、安全隐患", "民情气象员": "收集民情、反映诉求",
              "楼栋长": "联系住户、传达通知", "平安守护岗": "巡查隐患、守护平安",
              "环境卫生监督岗": "督导垃圾分类、环境整治", "邻里调解岗": "化解邻里矛盾"}  # fmt: skip
    await PioneerPost.bulk_create([
        PioneerPost(person_id=rng.choice(people.residents[compound_id]), compound_id=compound_id,
                    title=title, duty=duties[title])
        for compound_id, title in places
    ], batch_size=500)  # fmt: skip


async def _logins(
    regions: DemoRegions, rng: random.Random, fake: Faker, people: CityPeople
) -> None:
    """The small demo's logins, at the same places (the README lists them)."""
    departments = await Department.all().order_by("id")
    password_hash = hash_password(DEMO_PASSWORD)
    grid_of = {c.id: c.grid_id for c in regions.compounds}
    for username, role, where in DEMO_USERS:
        if role == "RESIDENT":
            district = next(d for d in regions.districts if d.code == where[1])
            grids = {g.id for g in regions.grids if g.district_id == district.id
                     and (not where[2] or g.code == where[2])}  # fmt: skip
            compound = next(c for c in regions.compounds if c.grid_id in grids
                            and people.residents[c.id])  # fmt: skip
            assert grid_of[compound.id] in grids
            person = await Person.get(id=people.residents[compound.id][0])
        else:
            person = await Person.create(name=fake.name(), phone=fake.phone_number())
        await Account.create(username=username, password_hash=password_hash, person_id=person.id)
        await RoleGrant.create(
            person_id=person.id, role=role, **_grant_place(where, regions, departments, person)
        )
        people.users[username] = person.id
