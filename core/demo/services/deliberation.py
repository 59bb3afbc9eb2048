"""The demo deliberation topics: in every district one being voted on, one decided (with the
work order that carries out the decision) and one still collecting options."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from core.deliberation.models import DeliberationOption, DeliberationTopic, DeliberationVote
from core.demo.services.town import Town, inserted
from core.demo.services.volunteers import TeamPlan
from core.regions.models import Community
from core.volunteers.models import WorkOrder
from core.volunteers.orders import WorkOrderKind, WorkOrderSource, open_work_order

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


async def create_deliberation_topics(town: Town, teams: list[TeamPlan]) -> tuple[int, int]:
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
    topics = await inserted(DeliberationTopic, rows)

    options = []
    for topic, (phase, community, street_id, subject) in zip(topics, specs, strict=True):
        people = voters_of(community, street_id)
        for kind, text in SUBJECTS[subject][2][: 2 if phase == "PROPOSING" else 3]:
            options.append(DeliberationOption(topic_id=topic.id, text=text, proposer_kind=kind,
                                              proposed_by_id=rng.choice(people)))  # fmt: skip
    by_topic: dict[int, list[DeliberationOption]] = defaultdict(list)
    for option in await inserted(DeliberationOption, options):
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
            # A community without a volunteer team (some in a city) leaves the order unassigned.
            team = next((t for t in teams if t.row.community_id == community.id), None)
            order = await open_work_order(
                community_id=community.id, kind=WorkOrderKind.OTHER,
                title=f"落实议事结果：{chosen.text}", source=WorkOrderSource.DELIBERATION,
                description=decision, topic_id=topic.id, team_id=team.row.id if team else None,
                requester_id=topic.created_by_id,
            )  # fmt: skip
            await WorkOrder.filter(id=order.id).update(created_at=decided_at + timedelta(days=1))
            orders += 1
    await DeliberationVote.bulk_create(votes, batch_size=500)
    return len(topics), orders
