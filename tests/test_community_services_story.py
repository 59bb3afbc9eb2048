"""Issue 5's "done when", end to end through GraphQL as the people involved: a resident books a
station appointment and applies for a catalogue service with it, requests a repair that a
volunteer team completes with photos, and votes once on a topic whose decision spawns a work
order that the same team can take on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.volunteers.models import WorkOrder
from tests.deliberation.support import DECIDE, VOTE, key, move_clock, open_topic
from tests.stations.test_stations_api import APPLY, catalogue_item, station_with
from tests.support.api import codes
from tests.volunteers.support import (
    CONFIRM,
    JPEG,
    PNG,
    assign,
    complete,
    create_team,
    gid,
    request_repair,
    volunteer_login,
    xinhong,
)


async def test_a_resident_uses_every_community_service(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")

    # 1. A station appointment, then an application for a catalogue service made with it.
    item = await catalogue_item(admin)
    station = await station_with(worker, [item], staff=[("xinhong_grid1", "值班员")])
    start = datetime.now(UTC) + timedelta(days=1)
    slot = (
        await worker.data(
            """mutation($s: ID!, $a: DateTime!, $b: DateTime!) { openStationAppointments(
                 stationId: $s, slots: [{startsAt: $a, endsAt: $b, capacity: 4}]) { id } }""",
            {
                "s": station["id"],
                "a": start.isoformat(),
                "b": (start + timedelta(minutes=30)).isoformat(),
            },
        )
    )["openStationAppointments"][0]
    booking = (
        await resident.data(
            "mutation($s: ID!) { bookStationAppointment(slotId: $s) { id status } }",
            {"s": slot["id"]},
        )
    )["bookStationAppointment"]
    assert booking["status"] == "CONFIRMED"
    applied = (
        await resident.data(
            APPLY,
            {
                "i": {
                    "stationId": station["id"],
                    "itemCode": item,
                    "bookingId": booking["id"],
                    "materials": ["居民身份证", "户口簿"],
                }
            },
        )
    )["applyForService"]
    assert (applied["status"], applied["missingMaterials"]) == ("SUBMITTED", [])

    # 2. A repair that a volunteer team completes with photos, confirmed by the resident.
    volunteer, volunteer_id = await volunteer_login(client)
    team = await create_team(worker, leader=volunteer_id)
    order = await request_repair(resident, title="卫生间水管漏水")
    order = await assign(worker, order, team)
    done = await complete(volunteer, order, before=[PNG], after=[JPEG])
    assert not done.get("errors"), done
    finished = done["data"]["completeWorkOrder"]
    assert finished["status"] == "DONE"
    assert sorted(p["stage"] for p in finished["photos"]) == ["AFTER", "BEFORE"]
    confirmed = await resident.data(
        CONFIRM, {"o": order["id"], "v": finished["version"], "s": True, "f": "修得很好"}
    )
    assert confirmed["confirmWorkOrder"]["status"] == "CONFIRMED"

    # 3. One vote on a topic; the second is refused; the decision spawns a work order.
    community = await xinhong()
    topic = await open_topic(worker, gid("Community", community.id), title="楼道照明改造")
    await move_clock(topic["id"], "VOTING")
    first_option = topic["options"][0]["id"]
    voted = await resident.data(VOTE, {"t": topic["id"], "o": first_option})
    assert voted["voteOnTopic"]["myVote"]["id"] == first_option
    again = await resident.post(VOTE, {"t": topic["id"], "o": topic["options"][1]["id"]})
    assert codes(again) == ["CONFLICT"]
    await move_clock(topic["id"], "COUNTING")
    decided = (
        await worker.data(
            DECIDE,
            {
                "i": {
                    "topicId": topic["id"],
                    "version": voted["voteOnTopic"]["version"],
                    "optionId": first_option,
                    "decision": "更换楼道感应灯，由志愿服务队安装。",
                    "workOrder": {
                        "kind": "ELECTRICITY_REPAIR",
                        "title": "更换楼道感应灯",
                        "teamId": team["id"],
                    },
                }
            },
        )
    )["decideTopic"]
    assert decided["phase"] == "DECIDED"
    assert [o["text"] for o in decided["options"] if o["voteCount"]] == [
        topic["options"][0]["text"]
    ]
    [spawned] = decided["workOrderIds"]
    row = await WorkOrder.get(id=key(spawned))
    assert (row.source, row.topic_id, row.status) == ("DELIBERATION", key(topic["id"]), "ASSIGNED")
    listed = await volunteer.data(
        "{ workOrders(first: 50) { edges { node { id title status } } } }"
    )
    assert {"id": spawned, "title": "更换楼道感应灯", "status": "ASSIGNED"} in [
        e["node"] for e in listed["workOrders"]["edges"]
    ]
