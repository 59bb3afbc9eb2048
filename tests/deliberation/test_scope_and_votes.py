"""Who sees which topic (one rule, in Python and in SQL), street topics, and one vote per
resident held by the database under concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.access.models import Account
from core.access.viewer import load_viewer
from core.db.statements import count_statements
from core.deliberation.models import DeliberationOption, DeliberationTopic, DeliberationVote
from core.deliberation.rules import TOPIC_SCOPE
from core.deliberation.services import DeliberationService
from core.errors import Conflict
from core.people.models import Person
from core.regions.models import Community, Grid
from core.volunteers.models import WorkOrder
from tests.deliberation.probes import drop_topics
from tests.deliberation.support import (
    CREATE,
    DECIDE,
    LIST,
    NODE,
    VOTE,
    community,
    gid,
    key,
    move_clock,
    open_topic,
    resident_logins,
    street,
    window,
)

LOGINS = ("city_admin", "gongnong_admin", "nanshan_admin", "hongqi_officer", "xinhong_worker",
          "xinhong_grid1", "zhujian_officer", "resident_xinhong", "resident_nanshan")  # fmt: skip


async def _topic(street_id: int, district_id: int, community_id: int | None) -> DeliberationTopic:
    now = datetime.now(UTC)
    creator = await Account.get(username="city_admin")
    return await DeliberationTopic.create(
        title="scope", subject="OTHER", district_id=district_id, street_id=street_id,
        community_id=community_id, voting_opens_at=now - timedelta(hours=1),
        voting_closes_at=now + timedelta(days=1), created_by_id=creator.person_id,
    )  # fmt: skip


async def test_python_and_sql_admit_the_same_topics(orm):
    hongqi, xinhua = await street("hongqi"), await street("xinhua")
    xinhong, jinhua = await community("xinhong"), await community("jinhua")
    longquan = await community("longquan")
    home = await Person.get(id=(await Account.get(username="resident_nanshan")).person_id)
    nanshan = await Community.get(id=home.home_community_id)
    made = {
        "xinhong": await _topic(hongqi.id, hongqi.district_id, xinhong.id),
        "jinhua": await _topic(hongqi.id, hongqi.district_id, jinhua.id),
        "hongqi": await _topic(hongqi.id, hongqi.district_id, None),
        "longquan": await _topic(xinhua.id, xinhua.district_id, longquan.id),
        "xinhua": await _topic(xinhua.id, xinhua.district_id, None),
        "nanshan": await _topic(nanshan.street_id, nanshan.district_id, nanshan.id),
    }
    names = {t.id: name for name, t in made.items()}
    expected = {
        "city_admin": set(made),
        "gongnong_admin": set(made) - {"nanshan"},
        "nanshan_admin": {"nanshan"},
        "hongqi_officer": {"xinhong", "jinhua", "hongqi"},
        "xinhong_worker": {"xinhong", "hongqi"},
        "xinhong_grid1": {"xinhong", "hongqi"},
        "zhujian_officer": set(),
        "resident_xinhong": {"xinhong", "hongqi"},
        "resident_nanshan": {"nanshan"},
    }
    try:
        rows = await DeliberationTopic.filter(id__in=list(names)).values()
        for username in LOGINS:
            viewer = await load_viewer((await Account.get(username=username)).id)
            in_python = {names[r["id"]] for r in rows if TOPIC_SCOPE.admits(viewer, r)}
            in_sql = await DeliberationTopic.filter(
                TOPIC_SCOPE.q(viewer), id__in=list(names)
            ).values_list("id", flat=True)
            assert in_python == {names[i] for i in in_sql} == expected[username], username
        assert TOPIC_SCOPE.q(None) is not None and not TOPIC_SCOPE.admits(None, rows[0])
    finally:
        await drop_topics(*names)


async def test_ten_simultaneous_votes_of_one_resident_leave_one_row(orm):
    viewer = await load_viewer((await Account.get(username="resident_xinhong")).id)
    assert viewer is not None
    xinhong = await community("xinhong")
    topic = await _topic(xinhong.street_id, xinhong.district_id, xinhong.id)
    options = [
        await DeliberationOption.create(
            topic_id=topic.id,
            text=f"方案{i}",
            proposer_kind="RESIDENT",
            proposed_by_id=viewer.person_id,
        )
        for i in range(2)
    ]
    service = DeliberationService()

    async def attempt(i: int) -> str:
        try:
            await service.vote(viewer, topic.id, options[i % 2].id)
            return "VOTED"
        except Conflict:
            return "CONFLICT"

    try:
        results = await asyncio.gather(*(attempt(i) for i in range(10)))
        assert results.count("VOTED") == 1 and results.count("CONFLICT") == 9
        assert await DeliberationVote.filter(topic_id=topic.id).count() == 1

        # The rule is the database's: an INSERT that skips the service fails too.
        with pytest.raises(IntegrityError):
            async with in_transaction():
                await DeliberationVote.create(
                    topic_id=topic.id, option_id=options[0].id, person_id=viewer.person_id
                )
        assert await DeliberationVote.filter(topic_id=topic.id).count() == 1
    finally:
        await drop_topics(topic.id)


async def test_a_street_topic(api):
    client = await api()
    officer = await client.signed_in("hongqi_officer")
    worker = await client.signed_in("xinhong_worker")
    grid_worker = await client.signed_in("xinhong_grid1")
    resident = await client.signed_in("resident_xinhong")
    outsider = await client.signed_in("resident_nanshan")
    hongqi, xinhong, jinhua = (
        await street("hongqi"),
        await community("xinhong"),
        await community("jinhua"),
    )
    (jinhua_resident,) = await resident_logins(client, jinhua, 1)

    street_wide = {"placeId": gid("Street", hongqi.id), "title": "街道停车", "subject": "PARKING"}
    refused = await worker.error(CREATE, {"i": {**street_wide, **window()}})
    assert refused["extensions"]["code"] == "FORBIDDEN"
    topic = await open_topic(
        officer, gid("Street", hongqi.id), title="红旗街道停车位规划", subject="PARKING"
    )
    assert topic["community"] is None and topic["street"]["name"] == hongqi.name
    jinhua_topic = await open_topic(officer, gid("Community", jinhua.id), title="金华社区的事")

    for viewer in (worker, grid_worker, resident, jinhua_resident):
        assert (await viewer.data(NODE, {"id": topic["id"]}))["node"]["id"] == topic["id"]
        listed = await viewer.data(LIST, {"p": None, "ph": None})
        assert topic["id"] in {e["node"]["id"] for e in listed["deliberationTopics"]["edges"]}
    assert (await outsider.data(NODE, {"id": topic["id"]}))["node"] is None
    assert (await worker.data(NODE, {"id": jinhua_topic["id"]}))["node"] is None
    assert (await resident.data(NODE, {"id": jinhua_topic["id"]}))["node"] is None

    async def listed(viewer, place: str | None, phase: str | None) -> set[str]:
        data = await viewer.data(LIST, {"p": place, "ph": phase})
        return {e["node"]["id"] for e in data["deliberationTopics"]["edges"]}

    in_xinhong = await listed(officer, gid("Community", xinhong.id), None)
    assert topic["id"] in in_xinhong and jinhua_topic["id"] not in in_xinhong
    assert {topic["id"], jinhua_topic["id"]} <= await listed(
        officer, gid("Street", hongqi.id), None
    )
    assert topic["id"] in await listed(officer, None, "PROPOSING")
    assert topic["id"] not in await listed(officer, None, "VOTING")

    await move_clock(topic["id"], "VOTING")
    assert topic["id"] in await listed(officer, None, "VOTING")
    option = topic["options"][0]["id"]
    for voter in (resident, jinhua_resident):
        await voter.data(VOTE, {"t": topic["id"], "o": option})
    await move_clock(topic["id"], "COUNTING")
    assert topic["id"] in await listed(resident, None, "COUNTING")

    decision = {
        "topicId": topic["id"],
        "version": topic["version"],
        "optionId": option,
        "decision": "增设停车位",
        "workOrder": {"kind": "HAZARD_CHECK", "title": "停车场地安全检查"},
    }
    error = await officer.error(DECIDE, {"i": decision})
    assert error["extensions"]["argument"] == "workOrder.communityId"
    decision["workOrder"]["communityId"] = gid("Community", xinhong.id)
    decision["case"] = {"category": "road_damage", "title": "停车场路面修补"}
    error = await officer.error(DECIDE, {"i": decision})
    assert error["extensions"]["argument"] == "case.compoundId"
    grid = await Grid.filter(community_id=xinhong.id).order_by("id").first()
    decision["case"]["gridId"] = gid("Grid", grid.id)
    decided = (await officer.data(DECIDE, {"i": decision}))["decideTopic"]
    assert decided["phase"] == "DECIDED" and decided["totalVotes"] == 2
    order = await WorkOrder.get(id=key(decided["workOrderIds"][0]))
    assert order.community_id == xinhong.id and order.topic_id == key(topic["id"])
    assert (order.source, order.kind) == ("DELIBERATION", "HAZARD_CHECK")
    seen = (await jinhua_resident.data(NODE, {"id": topic["id"]}))["node"]
    chosen = topic["options"][0]["text"]
    assert seen["chosenOption"]["text"] == chosen and seen["spawnedCaseStatus"] == "REPORTED"


LISTED = """query($p: ID) { deliberationTopics(placeId: $p, first: 100) { totalCount edges { node {
  title phase totalVotes canVote myVote { text } street { name } community { name }
  options { text voteCount topic { title } } chosenOption { text } spawnedCase { title }
  spawnedCaseStatus workOrderIds } } } }"""


async def test_list_statements_do_not_grow_with_topics(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    place = await Community.filter(district__code="xingshan").order_by("id").first()
    voters = await Person.filter(home_community_id=place.id).order_by("id").limit(2)
    made: list[int] = []

    async def add(count: int) -> None:
        for _ in range(count):
            topic = await _topic(place.street_id, place.district_id, place.id)
            await DeliberationTopic.filter(id=topic.id).update(
                voting_closes_at=datetime.now(UTC) - timedelta(minutes=1)
            )
            for i, voter in enumerate(voters):
                option = await DeliberationOption.create(
                    topic_id=topic.id, text=f"方案{i}", proposer_kind="RESIDENT",
                    proposed_by_id=voter.id,
                )  # fmt: skip
                await DeliberationVote.create(
                    topic_id=topic.id, option_id=option.id, person_id=voter.id
                )
            made.append(topic.id)

    counts = {}
    try:
        for rows in (3, 30):
            await add(rows - len(made))
            with count_statements() as log:
                data = await admin.data(LISTED, {"p": gid("Community", place.id)})
            listed = data["deliberationTopics"]
            assert listed["totalCount"] == rows and len(listed["edges"]) == rows
            assert all(e["node"]["totalVotes"] == 2 for e in listed["edges"])
            counts[rows] = log.count
        assert counts[3] == counts[30], counts
    finally:
        await drop_topics(*made)
