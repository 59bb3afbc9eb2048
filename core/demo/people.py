"""Demo people: city departments, a few residents in every grid, and one login per core role
so a frontend team can sign in at once (the README lists them; the password is
``DEMO_PASSWORD``). ID-card numbers are valid in form (region code of the district, a birth
date, the check character) but invented, as are the phone numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from core.access.models import Account, RoleGrant
from core.access.passwords import hash_password
from core.demo.regions import DemoRegions
from core.people.models import Department, Person, PioneerPost
from core.people.validation import id_check_character
from core.regions.models import Compound

DEMO_PASSWORD = "hemei-demo"

DEPARTMENTS = (
    ("zhujian", "住建局"), ("chengguan", "城管局"), ("gongre", "供热办"), ("shuiwu", "水务局"),
    ("yingji", "应急管理局"), ("shichang", "市场监管局"), ("weijian", "卫健委"),
)  # fmt: skip

# The first six digits of an ID number name the county-level place of registration.
REGION_CODES = {
    "xiangyang": "230402", "gongnong": "230403", "nanshan": "230404", "xingan": "230405",
    "dongshan": "230406", "xingshan": "230407", "luobei": "230421", "suibin": "230422",
}  # fmt: skip

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = (
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
    "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "淑珍", "玉兰",
)  # fmt: skip

RESIDENTS_PER_GRID = 2

# username, role, where: (level, district code, place code within the district)
DEMO_USERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("city_admin", "CITY_ADMIN", ("city",)),
    ("gongnong_admin", "DISTRICT_ADMIN", ("district", "gongnong")),
    ("nanshan_admin", "DISTRICT_ADMIN", ("district", "nanshan")),
    ("hongqi_officer", "STREET_OFFICER", ("street", "gongnong", "hongqi")),
    ("xinhong_worker", "COMMUNITY_WORKER", ("community", "gongnong", "xinhong")),
    ("xinhong_grid1", "GRID_WORKER", ("grid", "gongnong", "xinhong-g1")),
    ("zhujian_officer", "DEPARTMENT_OFFICER", ("department", "zhujian")),
    ("resident_xinhong", "RESIDENT", ("self", "gongnong", "xinhong-g1")),
    ("resident_nanshan", "RESIDENT", ("self", "nanshan", "")),
)


@dataclass
class DemoPeople:
    departments: list[Department] = field(default_factory=list)
    residents: list[Person] = field(default_factory=list)
    users: dict[str, Person] = field(default_factory=dict)


def id_number(region: str, born: date, serial: int) -> str:
    body = f"{region}{born:%Y%m%d}{serial:03d}"
    return body + id_check_character(body)


def _person(rng: random.Random, district_code: str, compound: Compound) -> Person:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 62))
    return Person(
        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        id_number=id_number(REGION_CODES[district_code], born, rng.randrange(1, 1000)),
        home_compound_id=compound.id,
        home_grid_id=compound.grid_id,
        home_community_id=compound.community_id,
        home_street_id=compound.street_id,
        home_district_id=compound.district_id,
    )


async def create_demo_people(regions: DemoRegions, rng: random.Random) -> DemoPeople:
    """Departments, residents in every grid and the demo logins with their roles."""
    await Department.bulk_create([Department(code=c, name=n) for c, n in DEPARTMENTS])
    departments = await Department.all().order_by("id")
    district_code = {d.id: d.code for d in regions.districts}
    first_compound: dict[int, Compound] = {}
    for compound in regions.compounds:
        first_compound.setdefault(compound.grid_id, compound)
    people = [
        _person(rng, district_code[grid.district_id], first_compound[grid.id])
        for grid in regions.grids
        if grid.id in first_compound
        for _ in range(RESIDENTS_PER_GRID)
    ]
    await Person.bulk_create(people)
    residents = await Person.all().order_by("id")

    # A 红管家 in the first compound of every community, held by a resident living there.
    seen_communities: set[int | None] = set()
    posts = []
    for person in residents:
        if person.home_community_id not in seen_communities:
            seen_communities.add(person.home_community_id)
            posts.append(
                PioneerPost(
                    person_id=person.id,
                    compound_id=person.home_compound_id,
                    title="红管家",
                    duty="楼道卫生、邻里纠纷、安全隐患",
                )
            )
    await PioneerPost.bulk_create(posts)

    password_hash = hash_password(DEMO_PASSWORD)
    users: dict[str, Person] = {}
    for username, role, where in DEMO_USERS:
        person = await _demo_user_person(username, role, where, regions, residents, rng)
        await Account.create(username=username, password_hash=password_hash, person_id=person.id)
        place = _grant_place(where, regions, departments, person)
        await RoleGrant.create(person_id=person.id, role=role, **place)
        users[username] = person
    return DemoPeople(departments=departments, residents=residents, users=users)


async def _demo_user_person(
    username: str,
    role: str,
    where: tuple[str, ...],
    regions: DemoRegions,
    residents: list[Person],
    rng: random.Random,
) -> Person:
    if role != "RESIDENT":
        return await Person.create(name=rng.choice(SURNAMES) + rng.choice(GIVEN))
    # Residents who sign in are people already living in the demo tree.
    district = next(d for d in regions.districts if d.code == where[1])
    grids = [g.id for g in regions.grids if g.district_id == district.id and g.code == where[2]]
    return next(
        p
        for p in residents
        if p.home_district_id == district.id and (not grids or p.home_grid_id in grids)
    )


def _grant_place(
    where: tuple[str, ...], regions: DemoRegions, departments: list[Department], person: Person
) -> dict[str, Any]:
    """The ``level`` and place id columns of a demo grant."""
    level = where[0]
    if level == "city":
        return {"level": "city"}
    if level == "department":
        return {
            "level": level,
            "department_id": next(d.id for d in departments if d.code == where[1]),
        }
    if level == "self":
        home = (person.home_district_id, person.home_street_id, person.home_community_id,
                person.home_grid_id)  # fmt: skip
        return {"level": level, **dict(zip(_PLACE_IDS, home, strict=True))}
    district = next(d for d in regions.districts if d.code == where[1])
    if level == "district":
        return {"level": level, "district_id": district.id}
    by_level: dict[str, list[Any]] = {
        "street": regions.streets, "community": regions.communities, "grid": regions.grids
    }  # fmt: skip
    rows = by_level[level]
    place = next(r for r in rows if r.district_id == district.id and r.code == where[2])
    ids = {column: getattr(place, column, None) for column in _PLACE_IDS}
    ids[f"{level}_id"] = place.id
    return {"level": level, **{k: v for k, v in ids.items() if v is not None}}


_PLACE_IDS = ("district_id", "street_id", "community_id", "grid_id")
