"""移动哨兵: a worker's snap-and-reports are followed through case events and earn points once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from strawberry.relay import GlobalID

from core.cases.models import Case, CaseEvent
from core.events.broker import DomainEvent
from plugins.new_employment_stations import on_case_event
from plugins.new_employment_stations.models import Award, WorkerReport
from tests.cases.test_ladder_api import act, gid
from tests.new_employment_stations.support import (
    CHECK_IN,
    LEADERBOARD,
    MY_REPORTS,
    deliver,
    district_gid,
    person_with_login,
    quiet_outbox,
    relay_of,
    rider,
    snap,
    station,
    xingshan_point,
)


def this_month() -> str:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")


async def test_the_done_when_path(api):
    """A rider registers, checks in, reports a pothole (replay-safe), earns points when the
    grid worker confirms it and more when it is resolved; a repeat earns nothing; the
    leaderboard shows it."""
    client = await api()
    await quiet_outbox()
    worker = await client.signed_in("xinhong_worker")
    grid_worker = await client.signed_in("xinhong_grid1")
    rider_a, _, registered = await rider(client, "李骑手", platform="美团")
    rider_b, _, _ = await rider(client, "张快递", kind="COURIER", platform="顺丰")
    assert (registered["kind"], registered["verified"], registered["points"]) == ("RIDER", False, 0)

    yizhan = await station(worker)
    visit = (await rider_a.data(CHECK_IN, {"s": yizhan["id"]}))["checkInAtWorkerStation"]
    assert visit["station"]["occupancy"] == 1

    key = str(uuid.uuid4())
    first = await snap(rider_a, key=key)
    again = await snap(rider_a, key=key)
    assert (first["created"], again["created"]) == (True, False), "a replay makes no new case"
    assert again["case"]["id"] == first["case"]["id"]
    assert first["case"]["source"] == "SNAPSHOT"
    await deliver(client)
    reports = (await rider_a.data(MY_REPORTS))["myGigWorkerReports"]
    assert reports["totalCount"] == 1
    [mine] = [e["node"] for e in reports["edges"]]
    assert (mine["status"], mine["points"], mine["case"]["id"]) == (
        "REPORTED",
        0,
        first["case"]["id"],
    )

    accepted = await act(grid_worker, first["case"], "ACCEPT")
    await deliver(client)
    [mine] = [e["node"] for e in (await rider_a.data(MY_REPORTS))["myGigWorkerReports"]["edges"]]
    assert (mine["status"], mine["points"]) == ("ACCEPTED", 10)
    assert mine["confirmedAt"] is not None and mine["solvedAt"] is None

    started = await act(grid_worker, accepted, "START")
    await act(grid_worker, started, "RESOLVE")
    await deliver(client)
    [mine] = [e["node"] for e in (await rider_a.data(MY_REPORTS))["myGigWorkerReports"]["edges"]]
    assert (mine["status"], mine["points"]) == ("RESOLVED", 30)

    repeat = await snap(rider_b, dx=0.0003, description="同一个坑")
    await deliver(client)
    await act(grid_worker, repeat["case"], "REJECT", duplicateOf=first["case"]["id"])
    await deliver(client)
    theirs = (await rider_b.data(MY_REPORTS))["myGigWorkerReports"]["edges"]
    assert [(e["node"]["status"], e["node"]["points"]) for e in theirs] == [("REJECTED", 0)]

    board = (await rider_a.data(LEADERBOARD, {"d": await district_gid("gongnong")}))[
        "gigWorkerLeaderboard"
    ]
    assert board["month"] == this_month()
    mine_on_board = [e for e in board["entries"] if e["isYou"]]
    assert mine_on_board == [
        {"rank": mine_on_board[0]["rank"], "name": "李**", "kind": "RIDER", "platform": "美团",
         "verified": False, "points": 30, "confirmedReports": 1, "solvedProblems": 1,
         "isYou": True}
    ]  # fmt: skip
    assert all(e["name"] != "张**" for e in board["entries"]), "a rejected repeat earns nothing"
    profile = await rider_a.data("{ myGigWorker { points name } }")
    assert profile["myGigWorker"] == {"points": 30, "name": "李骑手"}


async def test_an_event_delivered_twice_awards_once(api):
    client = await api()
    await quiet_outbox()
    grid_worker = await client.signed_in("xinhong_grid1")
    reporter, _, _ = await rider(client, "周骑手")
    made = await snap(reporter)
    accepted = await act(grid_worker, made["case"], "ACCEPT")
    assert await deliver(client) == 2
    stored = await Case.get(id=_key(accepted["id"]))
    # The relay crashed after the plugin ran but before it marked the events delivered:
    await CaseEvent.filter(case_id=stored.id).update(delivered_at=None, next_attempt_at=None)
    assert await relay_of(client).run_once() == 2
    # ...and the same event handed over twice at the same time:
    event = await CaseEvent.filter(case_id=stored.id, kind="ACCEPT").first()
    delivered = DomainEvent(event.id, event.case_id, event.district_id, event.kind,
                            event.payload, event.created_at)  # fmt: skip
    activation = client.runtime.activation
    await asyncio.gather(*(on_case_event(delivered, activation) for _ in range(5)))
    assert await Award.filter(case_id=stored.id).count() == 1
    assert (await WorkerReport.get(case_id=stored.id)).points == 10


async def test_reports_by_people_who_are_not_workers_or_not_snapshots_are_not_followed(api):
    client = await api()
    await quiet_outbox()
    grid_worker = await client.signed_in("xinhong_grid1")
    someone, person = await person_with_login(client, "路人甲")
    made = await snap(someone)
    await act(grid_worker, made["case"], "ACCEPT")
    await deliver(client)
    assert not await WorkerReport.filter(person_id=person).exists()

    registered, rider_person, _ = await rider(client, "钱骑手")
    compound_report = await registered.data(
        """mutation($i: ReportCaseInput!) { reportCase(input: $i) { id version } }""",
        {"i": {"title": "楼道灯坏了", "category": "property_management",
               "gridId": gid("Grid", (await Case.get(id=_key(made["case"]["id"]))).grid_id)}},
    )  # fmt: skip
    await act(grid_worker, compound_report["reportCase"], "ACCEPT")
    await deliver(client)
    assert not await WorkerReport.filter(person_id=rider_person).exists(), "only SNAPSHOT counts"


async def test_no_points_where_the_module_is_off_and_core_still_works(api):
    client = await api()
    await quiet_outbox()
    reporter, person, _ = await rider(client, "孙骑手")
    lon, lat = await xingshan_point()
    made = await reporter.data(
        """mutation($i: SnapReportInput!) { snapReport(input: $i) { created case { id status } } }""",
        {"i": {"idempotencyKey": str(uuid.uuid4()), "category": "road_damage", "lon": lon,
               "lat": lat}},
    )  # fmt: skip
    assert made["snapReport"]["created"] is True
    assert await deliver(client) == 1
    assert not await WorkerReport.filter(person_id=person).exists()


def _key(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)
