"""The deliberation hall (红色议事厅) through GraphQL: a topic from opening to decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.cases.models import Case
from core.deliberation.models import DeliberationTopic, DeliberationVote
from core.regions.models import Compound, Grid
from core.volunteers.models import WorkOrder
from tests.deliberation.support import (
    CANCEL,
    DECIDE,
    NODE,
    PROPOSE,
    VOTE,
    community,
    gid,
    key,
    move_clock,
    open_topic,
    resident_logins,
    window,
)


def by_text(topic: dict) -> dict[str, dict]:
    return {o["text"]: o for o in topic["options"]}


async def test_a_topic_from_opening_to_decision(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    outsider = await client.signed_in("resident_nanshan")
    xinhong = await community("xinhong")
    neighbour, third = await resident_logins(client, xinhong, 2)

    topic = await open_topic(worker, gid("Community", xinhong.id))
    assert topic["phase"] == "PROPOSING" and topic["community"]["name"] == xinhong.name
    assert [(o["text"], o["proposerKind"]) for o in topic["options"]] == [
        ("种植乔木", "PARTY_MEMBER"),
        ("铺设草坪", "PARTY_MEMBER"),
    ]
    assert topic["canOrganise"] and set(topic["proposableKinds"]) == {
        "RESIDENT", "PROPERTY_COMPANY", "PARTY_MEMBER",
    }  # fmt: skip

    # Residents propose as residents; the property company's option is entered by staff.
    seen = (await resident.data(NODE, {"id": topic["id"]}))["node"]
    assert seen["proposableKinds"] == ["RESIDENT"] and not seen["canOrganise"]
    proposed = await resident.data(PROPOSE, {"t": topic["id"], "x": "建健身角", "k": "RESIDENT"})
    assert proposed["proposeDeliberationOption"]["proposerKind"] == "RESIDENT"
    refused = await resident.error(
        PROPOSE, {"t": topic["id"], "x": "物业方案", "k": "PROPERTY_COMPANY"}
    )
    assert refused["extensions"]["code"] == "FORBIDDEN"
    await worker.data(PROPOSE, {"t": topic["id"], "x": "物业出资补种", "k": "PROPERTY_COMPANY"})
    again = await worker.error(PROPOSE, {"t": topic["id"], "x": " 建健身角 ", "k": "RESIDENT"})
    assert again["extensions"]["code"] == "CONFLICT"

    options = by_text((await resident.data(NODE, {"id": topic["id"]}))["node"])
    option_node = "query($id: ID!) { node(id: $id) { ... on DeliberationOption { text } } }"
    mine = {"id": options["建健身角"]["id"]}
    assert (await resident.data(option_node, mine))["node"] == {"text": "建健身角"}
    assert (await outsider.data(option_node, mine))["node"] is None, "options share the scope"
    early = await resident.error(VOTE, {"t": topic["id"], "o": options["建健身角"]["id"]})
    assert early["extensions"]["code"] == "BAD_USER_INPUT"
    assert early["extensions"]["phase"] == "PROPOSING"

    await move_clock(topic["id"], "VOTING")
    late = await resident.error(PROPOSE, {"t": topic["id"], "x": "晚到的方案", "k": "RESIDENT"})
    assert late["extensions"]["code"] == "BAD_USER_INPUT"

    voted = (await resident.data(VOTE, {"t": topic["id"], "o": options["建健身角"]["id"]}))[
        "voteOnTopic"
    ]
    assert voted["phase"] == "VOTING" and voted["myVote"]["text"] == "建健身角"
    assert not voted["canVote"] and voted["totalVotes"] is None
    assert all(o["voteCount"] is None for o in voted["options"]), "no counts while voting"

    second = await resident.error(VOTE, {"t": topic["id"], "o": options["种植乔木"]["id"]})
    assert second["extensions"]["code"] == "CONFLICT"
    assert "already" in second["message"]
    assert await DeliberationVote.filter(topic_id=key(topic["id"])).count() == 1

    await neighbour.data(VOTE, {"t": topic["id"], "o": options["建健身角"]["id"]})
    await third.data(VOTE, {"t": topic["id"], "o": options["种植乔木"]["id"]})

    # Staff who do not live here, and people of other places, do not vote.
    staff = await worker.error(VOTE, {"t": topic["id"], "o": options["种植乔木"]["id"]})
    assert staff["extensions"]["code"] == "FORBIDDEN"
    stranger = await outsider.error(VOTE, {"t": topic["id"], "o": options["种植乔木"]["id"]})
    assert stranger["extensions"]["code"] == "NOT_FOUND"
    assert (await outsider.data(NODE, {"id": topic["id"]}))["node"] is None
    assert await DeliberationVote.filter(topic_id=key(topic["id"])).count() == 3

    during = (await worker.data(NODE, {"id": topic["id"]}))["node"]
    assert during["totalVotes"] is None and during["myVote"] is None
    assert all(o["voteCount"] is None for o in during["options"])

    await move_clock(topic["id"], "COUNTING")
    counted = (await resident.data(NODE, {"id": topic["id"]}))["node"]
    assert counted["phase"] == "COUNTING" and counted["totalVotes"] == 3
    assert {t: o["voteCount"] for t, o in by_text(counted).items()} == {
        "种植乔木": 1, "铺设草坪": 0, "建健身角": 2, "物业出资补种": 0,
    }  # fmt: skip
    assert counted["myVote"]["text"] == "建健身角" and not counted["canVote"]

    compound = await Compound.filter(community_id=xinhong.id).order_by("id").first()
    decision = {
        "topicId": topic["id"],
        "version": counted["version"],
        "optionId": options["建健身角"]["id"],
        "decision": "在东侧空地建健身角，由志愿服务队安装器材。",
        "workOrder": {
            "kind": "OTHER",
            "title": "安装健身器材",
            "compoundId": gid("Compound", compound.id),
        },
        "case": {"category": "property_management", "title": "东侧空地改建健身角"},
    }
    refused = await resident.error(DECIDE, {"i": decision})
    assert refused["extensions"]["code"] == "FORBIDDEN"
    decided = (await worker.data(DECIDE, {"i": decision}))["decideTopic"]
    assert decided["phase"] == "DECIDED" and decided["chosenOption"]["text"] == "建健身角"
    assert decided["spawnedCase"]["title"] == "东侧空地改建健身角"
    assert len(decided["workOrderIds"]) == 1

    order = await WorkOrder.get(id=key(decided["workOrderIds"][0]))
    assert (order.source, order.topic_id) == ("DELIBERATION", key(topic["id"]))
    assert (order.community_id, order.compound_id) == (xinhong.id, compound.id)
    assert order.case_id == key(decided["spawnedCase"]["id"]) and order.status == "REQUESTED"
    stored = await DeliberationTopic.get(id=key(topic["id"]))
    assert stored.spawned_case_id == order.case_id and stored.status == "DECIDED"

    # The residents who voted follow the decision and its case; the case itself stays in its
    # own scope (its reporter and the staff at its place).
    final = (await resident.data(NODE, {"id": topic["id"]}))["node"]
    assert final["decision"].startswith("在东侧空地") and final["spawnedCaseStatus"] == "REPORTED"
    assert final["workOrderIds"] == decided["workOrderIds"] and final["spawnedCase"] is None
    assert final["totalVotes"] == 3

    stale = await worker.error(DECIDE, {"i": decision})
    assert stale["extensions"]["code"] == "CONFLICT"


async def test_a_failed_decision_leaves_nothing_behind(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    xinhong = await community("xinhong")
    topic = await open_topic(worker, gid("Community", xinhong.id), title="半途而废的决议")
    await move_clock(topic["id"], "COUNTING")
    elsewhere = await Compound.exclude(community_id=xinhong.id).first()
    grid = await Grid.filter(community_id=xinhong.id).order_by("-id").first()
    body = {
        "topicId": topic["id"],
        "version": topic["version"],
        "optionId": topic["options"][0]["id"],
        "decision": "种树",
        "case": {
            "category": "sanitation",
            "title": "不该留下的案件",
            "gridId": gid("Grid", grid.id),
        },
        "workOrder": {
            "kind": "OTHER",
            "title": "植树",
            "compoundId": gid("Compound", elsewhere.id),
        },
    }
    error = await worker.error(DECIDE, {"i": body})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "workOrder.compoundId"
    stored = await DeliberationTopic.get(id=key(topic["id"]))
    assert (stored.status, stored.version, stored.decision) == ("OPEN", 1, None)
    assert stored.spawned_case_id is None
    assert not await Case.exists(title="不该留下的案件")
    assert not await WorkOrder.exists(topic_id=stored.id)

    unknown = {**body, "workOrder": None, "case": {"category": "no_such", "title": "x"}}
    assert (await worker.error(DECIDE, {"i": unknown}))["extensions"]["code"] == "BAD_USER_INPUT"
    assert (await DeliberationTopic.get(id=stored.id)).status == "OPEN"

    plain = {**body, "workOrder": None, "case": None}
    decided = (await worker.data(DECIDE, {"i": plain}))["decideTopic"]
    assert decided["phase"] == "DECIDED" and decided["workOrderIds"] == []
    assert decided["spawnedCase"] is None and decided["version"] == 2


async def test_the_voting_window_is_checked(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    place = gid("Community", (await community("xinhong")).id)
    cases = {
        "votingOpensAt": window(opens_in=timedelta(hours=-1)),
        "votingClosesAt": window(lasts=timedelta(days=61)),
    }
    for argument, times in cases.items():
        error = await worker.error(
            "mutation($i: CreateDeliberationTopicInput!) { createDeliberationTopic(input: $i) "
            "{ id } }",
            {"i": {"placeId": place, "title": "窗口", "subject": "OTHER", **times}},
        )
        assert error["extensions"]["code"] == "BAD_USER_INPUT", argument
        assert error["extensions"]["argument"] == argument
    backwards = window()
    backwards["votingClosesAt"], backwards["votingOpensAt"] = (
        backwards["votingOpensAt"],
        backwards["votingClosesAt"],
    )
    error = await worker.error(
        "mutation($i: CreateDeliberationTopicInput!) { createDeliberationTopic(input: $i) { id } }",
        {"i": {"placeId": place, "title": "倒置", "subject": "OTHER", **backwards}},
    )
    assert error["extensions"]["argument"] == "votingClosesAt"
    naive = {k: v.replace("+00:00", "") for k, v in window().items()}
    error = await worker.error(
        "mutation($i: CreateDeliberationTopicInput!) { createDeliberationTopic(input: $i) { id } }",
        {"i": {"placeId": place, "title": "无时区", "subject": "OTHER", **naive}},
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_cancelling(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    topic = await open_topic(worker, gid("Community", (await community("xinhong")).id))
    refused = await resident.error(CANCEL, {"t": topic["id"], "v": 1, "r": "不做了"})
    assert refused["extensions"]["code"] == "FORBIDDEN"
    stale = await worker.error(CANCEL, {"t": topic["id"], "v": 7, "r": "不做了"})
    assert stale["extensions"]["code"] == "CONFLICT"
    cancelled = (await worker.data(CANCEL, {"t": topic["id"], "v": 1, "r": "场地另有规划"}))[
        "cancelDeliberationTopic"
    ]
    assert (cancelled["phase"], cancelled["cancelReason"]) == ("CANCELLED", "场地另有规划")
    assert cancelled["decision"] is None
    await move_clock(topic["id"], "VOTING")
    vote = await resident.error(VOTE, {"t": topic["id"], "o": topic["options"][0]["id"]})
    assert vote["extensions"]["phase"] == "CANCELLED"
    again = await worker.error(CANCEL, {"t": topic["id"], "v": 2, "r": "再取消"})
    assert again["extensions"]["code"] == "BAD_USER_INPUT"
    await move_clock(topic["id"], "COUNTING")
    await DeliberationTopic.filter(id=key(topic["id"])).update(
        decided_at=datetime.now(UTC) - timedelta(days=3)
    )
    node = (await resident.data(NODE, {"id": topic["id"]}))["node"]
    assert node["totalVotes"] is None, "a topic cancelled before its window closed shows no counts"
