"""winter_city through GraphQL, with Hemei's test kit."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from core import DomainEvent
from schema import global_id
from schema.testing import codes
from winter_support import ALL_YEAR, REPORT, REPORTS, SUMMARY, snow_at

from winter_city.follow import follow
from winter_city.models import WinterReport


async def test_a_snow_report_becomes_a_case_on_the_ladder(hemei_users, hemei_places):
    home = await hemei_places.on()
    resident = await hemei_users.resident(home)
    made = (await resident.client.data(REPORT, snow_at(home)))["reportWinterProblem"]
    assert (made["kind"], made["status"], made["source"]) == ("SNOW", "OPEN", "GRAPHQL")
    assert made["case"]["category"]["code"] == "winter_snow"
    assert (made["case"]["level"], made["case"]["status"]) == ("GRID", "REPORTED")
    mine = await resident.client.data(REPORTS, {"k": "SNOW"})
    assert made["id"] in [e["node"]["id"] for e in mine["winterReports"]["edges"]]
    worker = await hemei_users.make(("COMMUNITY_WORKER", await hemei_places.community("gongnong")))
    summary = await worker.client.data(SUMMARY, {"id": global_id("Community", home.community_id)})
    assert summary["node"]["winterSummary"]["openSnowReports"] >= 1


async def test_heating_outages_name_households_in_the_season(
    hemei_app, hemei_config, hemei_users, hemei_places
):
    home = await hemei_places.on()
    where = {"kind": "HEATING", "compoundId": global_id("Compound", home.id)}
    summer = await hemei_app(
        hemei_config.settings(
            "gongnong", "winter_city", heating_season_start="10-20", heating_season_end="10-21"
        )
    )
    resident = await hemei_users.on(summer).resident(home)
    body = await resident.client.post(REPORT, {"i": {**where, "households": 30}})
    assert codes(body) == ["BAD_USER_INPUT"] or datetime.now(UTC).strftime("%m-%d") in (
        "10-20",
        "10-21",
    )
    winter = await hemei_app(hemei_config.settings("gongnong", "winter_city", **ALL_YEAR))
    resident = await hemei_users.on(winter).resident(home)
    assert codes(await resident.client.post(REPORT, {"i": where})) == ["BAD_USER_INPUT"]
    made = await resident.client.data(REPORT, {"i": {**where, "households": 30}})
    assert made["reportWinterProblem"]["households"] == 30
    assert made["reportWinterProblem"]["case"]["category"]["code"] == "heating"


async def test_where_the_module_is_off_nothing_is_filed(hemei_users, hemei_places):
    home = await hemei_places.off()
    resident = await hemei_users.resident(home)
    body = await resident.client.post(REPORT, snow_at(home, "兴山的雪"))
    assert codes(body) == ["MODULE_DISABLED"]
    assert not await WinterReport.filter(description="兴山的雪").exists()


async def test_reports_follow_their_case(hemei_users, hemei_places):
    home = await hemei_places.on()
    resident = await hemei_users.resident(home)
    made = (await resident.client.data(REPORT, snow_at(home, "跟随")))["reportWinterProblem"]
    row = await WinterReport.get(description="跟随")
    event = DomainEvent(1, row.case_id, row.district_id, "RESOLVE",
                        {"status": "RESOLVED", "level": "GRID"}, datetime.now(UTC))  # fmt: skip
    await follow(event)
    await follow(event)  # at least once: a repeat changes nothing
    listed = await resident.client.data(REPORTS, {"k": "SNOW"})
    statuses = {e["node"]["id"]: e["node"]["status"] for e in listed["winterReports"]["edges"]}
    assert statuses[made["id"]] == "RESOLVED"


async def test_listing_costs_the_same_for_10_and_100_reports(
    hemei_users, hemei_places, hemei_statements
):
    admin = await hemei_users.demo("city_admin")
    home = await hemei_places.compound("nanshan")

    cases = itertools.count(10_000_000)

    async def grow(n: int) -> None:
        for _ in range(n):
            await WinterReport.create(
                kind="SNOW",
                district_id=home.district_id,
                street_id=home.street_id,
                community_id=home.community_id,
                grid_id=home.grid_id,
                compound_id=home.id,
                case_id=next(cases),
            )

    async def run() -> None:
        await admin.data(REPORTS, {"p": global_id("Compound", home.id)})

    await hemei_statements.assert_flat(run, grow)


async def test_the_plugin_conforms(hemei_conformance):
    report = await hemei_conformance()
    assert report.ok, report.text()
