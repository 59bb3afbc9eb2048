"""The demo 政策宣讲团: 30 teams sharing the 334 cadres, each with past and upcoming
activities."""

from __future__ import annotations

from datetime import timedelta

from core.demo.people import GIVEN, SURNAMES
from core.demo.services.town import Town, inserted
from core.outreach.models import OutreachActivity, OutreachMember, OutreachTeam
from core.people.models import Department, Person
from core.regions.models import Community

OUTREACH_TEAMS, CADRES = 30, 334  # the article's numbers
THEMES = {
    "社区治理": ("无物业小区管理与“红管家”服务", "老旧小区改造政策解读", "垃圾分类与环境整治",
                 "冬季供热政策与安全取暖", "防范电信网络诈骗", "《网格化服务管理标准》解读"),
    "子女教育": ("义务教育招生入学政策", "“四点半课堂”课后服务介绍", "家庭教育促进法解读",
                 "青少年防溺水与交通安全"),
    "医保养老": ("城乡居民医保参保缴费政策", "异地就医备案与直接结算", "养老保险待遇资格认证",
                 "高龄津贴与居家养老服务政策"),
}  # fmt: skip
ACTIVITY_KINDS = ("POLICY_TALK", "CORRIDOR_CLASS", "COURTYARD_MEETING", "STOOL_CLASS")


async def create_outreach_teams(town: Town) -> int:
    """A 政策宣讲团 per district and per street plus themed district teams, 30 in all, sharing
    the 334 cadres; each holds two past and two upcoming activities."""
    rng, regions = town.rng, town.regions
    departments = await Department.all().order_by("id").values_list("id", flat=True)
    cadres = await inserted(Person, [
        Person(name=rng.choice(SURNAMES) + rng.choice(GIVEN), phone=town.phone(),
               department_id=rng.choice(departments))
        for _ in range(CADRES)
    ])  # fmt: skip
    about = "围绕社区治理、子女教育、医保养老等群众关心的事，用家常话解读政策、用身边事讲明道理。"
    plans = [(OutreachTeam(name=f"{d.name}政策宣讲团", district_id=d.id, description=about),
              "社区治理") for d in regions.districts]  # fmt: skip
    streets = regions.streets
    if len(plans) + len(streets) > OUTREACH_TEAMS:  # a city: some streets share their district's
        others = [s.id for s in streets if s.id != town.pinned.street_id]
        chosen = {town.pinned.street_id, *rng.sample(others, OUTREACH_TEAMS - len(plans) - 1)}
        streets = [s for s in streets if s.id in chosen]
    plans += [(OutreachTeam(name=f"{s.name}政策宣讲团", district_id=s.district_id,
                            street_id=s.id, description=about), "社区治理")
              for s in streets]  # fmt: skip
    for index, district in enumerate(regions.districts[: OUTREACH_TEAMS - len(plans)]):
        theme = ("医保养老", "子女教育")[index % 2]
        plans.append((OutreachTeam(name=f"{district.name}{theme}政策宣讲团",
                                   district_id=district.id, description=f"专讲{theme}政策。"),
                       theme))  # fmt: skip
    assert len(plans) == OUTREACH_TEAMS
    teams = await inserted(OutreachTeam, [team for team, _ in plans])

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
    town: Town, team: OutreachTeam, theme: str, community: Community, upcoming: bool,
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
