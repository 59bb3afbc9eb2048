"""The demo 银发志愿服务队: 45 teams of retired party members, with their skills,
responsibility compounds and pioneer posts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from core.demo.people import GIVEN, REGION_CODES, SURNAMES, id_number
from core.demo.services.town import Town, inserted
from core.people.models import Person, PioneerPost
from core.regions.models import Compound
from core.volunteers.models import (
    VolunteerMember,
    VolunteerTeam,
    VolunteerTeamArea,
    VolunteerTeamPost,
)

VOLUNTEER_TEAMS = 45  # the article's number
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


@dataclass
class TeamPlan:
    """A team with its responsibility compounds and members, the leader first; ``row`` is the
    stored row once :func:`create_volunteer_teams` has inserted it."""

    row: VolunteerTeam
    areas: list[Compound]
    members: list[int] = field(default_factory=list)


def _born(person: Person) -> int:
    return int(person.id_number[6:10]) if person.id_number else 0


async def create_volunteer_teams(town: Town) -> list[TeamPlan]:
    """A 银发志愿服务队 in every community and second teams in some, 45 in all, of retired
    party members living in the team's responsibility compounds (and elders already there)."""
    rng, communities = town.rng, town.regions.communities
    elders = {cid: [p.id for p in people if 0 < _born(p) <= 1966 and p.id not in town.signed]
              for cid, people in town.residents.items()}  # fmt: skip
    plans: list[TeamPlan] = []
    if len(communities) <= VOLUNTEER_TEAMS:
        homes = [*communities, *rng.sample(communities, VOLUNTEER_TEAMS - len(communities))]
    else:  # a city: not every community has a team yet; the demo logins' community does
        others = [c.id for c in communities if c.id != town.pinned.id]
        chosen = {town.pinned.id, *rng.sample(others, VOLUNTEER_TEAMS - 1)}
        homes = [c for c in communities if c.id in chosen]
    for community in homes:
        second = any(p.row.community_id == community.id for p in plans)
        skills = [*BASE_SKILLS, *rng.sample(MORE_SKILLS, rng.randint(2, 3))]
        places = town.compounds[community.id]
        plans.append(TeamPlan(VolunteerTeam(
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
    stored = await inserted(Person, retirees)
    start = 0
    for plan, size in zip(plans, sizes, strict=True):
        joined, start = stored[start : start + size], start + size
        town.residents[plan.row.community_id] += joined
        local = elders.get(plan.row.community_id, [])
        plan.members = [p.id for p in joined] + rng.sample(local, min(len(local), 2))
        plan.row.leader_id = plan.members[0]

    for plan, row in zip(plans, await inserted(VolunteerTeam, [p.row for p in plans]), strict=True):
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
    posts = await inserted(PioneerPost, [
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
