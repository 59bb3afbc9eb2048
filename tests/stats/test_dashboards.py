"""Dashboards against a data set whose every figure is computed by hand (the oracle)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from core.access.models import RoleGrant
from core.assessment.models import GridVisit
from core.cases.models import Case, CaseStep
from core.deliberation.models import DeliberationTopic
from core.outreach.models import OutreachActivity, OutreachTeam
from core.people.models import Person
from core.regions.models import Community, Compound, District, Grid, Street
from core.stations.models import CatalogueItem, ServiceApplication, ServiceStation
from core.volunteers.models import VolunteerTeam, WorkOrder
from tests.cases.test_ladder_api import gid
from tests.support.api import codes

PERIOD = "2024-05"  # Asia/Shanghai: [2024-04-30T16:00Z, 2024-05-31T16:00Z)
IN = datetime(2024, 5, 10, 4, 0, tzinfo=UTC)
BEFORE = datetime(2024, 4, 10, 4, 0, tzinfo=UTC)
STATS = """query($c: String!, $p: String!) { district(code: $c) { stats(period: $p) { key value
  label labelEn definition unit module } } }"""
_unique = itertools.count()

ORACLE = {
    "regions.grids": 2,
    "people.grid_workers": 2,
    "stations.count": 3,
    "regions.property_coverage": 0.5,
    "cases.received": 4,
    "cases.solved": 3,
    "cases.completion_rate": 0.6667,
    "cases.satisfaction": 3.0,
    "cases.disputes_mediated": 1,
    "cases.snap_reports": 1,
    "volunteers.teams": 1,
    "volunteers.work_orders_done": 2,
    "outreach.activities_held": 2,
    "outreach.attendance": 50,
    "services.done": 3,
    "services.doorstep_rate": 0.6667,
    "deliberation.topics_decided": 1,
    "visits.grid_visits": 3,
    "people.served": 4,
}
"""By hand, for the data set below (see each block's comment)."""


async def _dated(row, when: datetime = IN, column: str = "created_at"):
    await type(row).filter(id=row.id).update(**{column: when})
    return row


@pytest.fixture
async def oracle(orm):
    n = next(_unique)
    district = await _dated(await District.create(code=f"oracle{n}", name=f"测试区{n}"))
    street = await _dated(await Street.create(code="s1", name="一街", district_id=district.id))
    community = await _dated(await Community.create(
        code="c1", name="一社区", district_id=district.id, street_id=street.id))  # fmt: skip
    place = {"district_id": district.id, "street_id": street.id, "community_id": community.id}
    g1 = await _dated(await Grid.create(code="g1", name="一网格", **place))
    g2 = await _dated(await Grid.create(code="g2", name="二网格", **place))
    # Property coverage: 2 of 4 compounds have a property company.
    compounds = [
        await _dated(await Compound.create(code=f"k{i}", name=f"小区{i}", grid_id=grid.id,
                                           has_property_management=managed, **place))
        for i, (grid, managed) in enumerate([(g1, True), (g1, False), (g2, True), (g2, False)])
    ]  # fmt: skip
    people = [await Person.create(name=f"居民{i}") for i in range(5)]
    p1, p2, p3, p4, worker = people
    # Two grid workers (one holds grants in both grids: still one person).
    for person, grid in [(p1, g1), (p1, g2), (worker, g2)]:
        await _dated(await RoleGrant.create(person_id=person.id, role="GRID_WORKER", level="grid",
                                            grid_id=grid.id, **place))  # fmt: skip
    # Three stations: two in the community, one in a compound.
    stations = [
        await _dated(await ServiceStation.create(code=f"oracle{n}-{i}", name=f"站{i}",
                                                 compound_id=compound, **place))
        for i, compound in enumerate([None, None, compounds[0].id])
    ]  # fmt: skip

    async def case(grid, status, *, rating=None, resolved=None, closed=None, source="RESIDENT",
                   category="sanitation", reporter=None, received=IN):  # fmt: skip
        made = await Case.create(
            title="样本", category=category, source=source, grid_id=grid.id, status=status,
            rating=rating, resolved_at=resolved, closed_at=closed, reporter_id=reporter, **place,
        )  # fmt: skip
        await _dated(made, received)
        if resolved:
            step = await CaseStep.create(case_id=made.id, action="RESOLVE", to_level="GRID",
                                         to_status="RESOLVED")  # fmt: skip
            await _dated(step, resolved, "at")
        return made

    # Received in May: A, B, C, D (4); solved in May: A, B, E (3); not rejected: A, B, C, of
    # which A and B are done (2/3); rated and closed in May: A 4, E 2 (mean 3.0); a dispute
    # resolved: B; a snap report: A.
    await case(g1, "CLOSED", rating=4, resolved=IN, closed=IN, source="SNAPSHOT", reporter=p1.id)
    await case(g1, "RESOLVED", resolved=IN, category="neighbour_dispute", reporter=p2.id)
    await case(g2, "IN_PROGRESS")
    await case(g1, "REJECTED")
    await case(g1, "CLOSED", rating=2, resolved=IN, closed=IN, reporter=p3.id, received=BEFORE)
    # One active volunteer team (and a retired one).
    team = await _dated(await VolunteerTeam.create(name="银发队", **place))
    await _dated(await VolunteerTeam.create(name="旧队", active=False, **place))
    # Two work orders done in May, one of them confirmed by its requester p1.
    for confirmed in (IN, None):
        await WorkOrder.create(kind="WATER_REPAIR", title="修水管", source="RESIDENT",
                                       status="CONFIRMED" if confirmed else "DONE", team_id=team.id,
                                       requester_id=p1.id, completed_at=IN, confirmed_at=confirmed,
                                       **place)  # fmt: skip
    # Two activities held in May (30 + 20 people) and a cancelled one.
    outreach = await OutreachTeam.create(name="宣讲队", district_id=district.id)
    for status, attendance in [("HELD", 30), ("HELD", 20), ("CANCELLED", None)]:
        await OutreachActivity.create(team_id=outreach.id, kind="POLICY_TALK", topic="政策",
                                      starts_at=IN, ends_at=IN + timedelta(hours=1),
                                      organiser_id=worker.id, status=status,
                                      attendance=attendance, **place)  # fmt: skip
    # Three applications done in May (two at the doorstep) by p1, p2, p4; one rejected.
    item, _ = await CatalogueItem.get_or_create(code="oracle-item", defaults={
        "name": "居住证明", "category": "COMMUNITY_AFFAIRS"})  # fmt: skip
    for applicant, status, doorstep in [(p1, "DONE", True), (p2, "DONE", True),
                                        (p4, "DONE", False), (p3, "REJECTED", False)]:  # fmt: skip
        await ServiceApplication.create(station_id=stations[0].id, item_id=item.id,
                                        applicant_id=applicant.id, status=status,
                                        at_doorstep=doorstep, finished_at=IN, **place)  # fmt: skip
    # One deliberation decided in May.
    await DeliberationTopic.create(title="议题", subject="GREENING", district_id=district.id,
                                   street_id=street.id, community_id=community.id,
                                   status="DECIDED", decided_at=IN, voting_opens_at=BEFORE,
                                   voting_closes_at=BEFORE, created_by_id=worker.id)  # fmt: skip
    # Three grid visits in May, one in April.
    for when in (IN, IN, IN, BEFORE):
        await _dated(await GridVisit.create(person_id=worker.id, grid_id=g2.id, **place),
                     when, "visited_at")  # fmt: skip
    # People served in May: reporters of A, B, E (p1, p2, p3), applicants p1, p2, p4, the
    # requester p1 → {p1, p2, p3, p4} = 4.
    yield district, (g1, g2)


async def test_every_district_figure_matches_the_oracle(api, oracle):
    district, _ = oracle
    admin = await (await api()).signed_in("city_admin")
    stats = (await admin.data(STATS, {"c": district.code, "p": PERIOD}))["district"]["stats"]
    values = {s["key"]: s["value"] for s in stats}
    assert {k: values[k] for k in ORACLE} == pytest.approx(ORACLE, abs=1e-4)
    assert all(s["label"] and s["labelEn"] and s["definition"] for s in stats)
    assert "kernel_test.notices" not in values, "a module's figure shows only where it is on"


async def test_grid_and_community_dashboards_narrow_the_same_records(api, oracle):
    _district, (g1, _g2) = oracle
    admin = await (await api()).signed_in("city_admin")
    query = """query($id: ID!, $p: String!) { node(id: $id) { ... on Grid { stats(period: $p) {
      key value } } ... on Community { stats(period: $p) { key value } } } }"""
    grid = {s["key"]: s["value"] for s in (await admin.data(query, {"id": gid("Grid", g1.id),
                                                                  "p": PERIOD}))["node"]["stats"]}  # fmt: skip
    # g1 holds cases A, B, D received in May; the visits were in g2; stations have no grid.
    assert grid["cases.received"] == 3 and grid["visits.grid_visits"] == 0
    assert grid["stations.count"] is None and grid["regions.grids"] == 1


async def test_series_split_a_span_into_months(api, oracle):
    district, _ = oracle
    admin = await (await api()).signed_in("city_admin")
    points = (
        await admin.data(
            """query($c: String!) { district(code: $c) { series(key: "visits.grid_visits",
                 from: "2024-04-01T00:00:00+08:00", to: "2024-06-01T00:00:00+08:00", interval: MONTH) {
                 start value } } }""",
            {"c": district.code},
        )
    )["district"]["series"]
    assert [p["value"] for p in points] == [1, 3]


async def test_module_figures_show_where_the_module_is_on(api):
    admin = await (await api()).signed_in("city_admin")
    on = (await admin.data(STATS, {"c": "gongnong", "p": "2026"}))["district"]["stats"]
    off = (await admin.data(STATS, {"c": "xingshan", "p": "2026"}))["district"]["stats"]
    for key in ("kernel_test.notices", "elderly_canteen.meals_served",
                "new_employment_stations.check_ins"):  # fmt: skip
        assert key in {s["key"] for s in on}
        assert key not in {s["key"] for s in off}
    city = await admin.data(
        '{ city { name stats(period: "2026", keys: ["kernel_test.notices"]) { module value } } }'
    )
    assert city["city"]["stats"][0]["module"] == "kernel_test"


async def test_dashboards_are_for_the_roles_at_the_place(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    district_admin = await client.signed_in("gongnong_admin")
    own = await district_admin.post(STATS, {"c": "gongnong", "p": "2026"})
    assert not own.get("errors")
    other = await district_admin.post(STATS, {"c": "nanshan", "p": "2026"})
    assert codes(other) == ["FORBIDDEN"] and other["data"]["district"]["stats"] is None
    assert codes(await resident.post(STATS, {"c": "gongnong", "p": "2026"})) == ["FORBIDDEN"]
    city = await district_admin.post('{ city { stats(period: "2026") { key } } }')
    assert codes(city) == ["FORBIDDEN"]
    bad = await district_admin.post(STATS, {"c": "gongnong", "p": "2026-13"})
    assert codes(bad) == ["BAD_USER_INPUT"]
    catalogue = await client.data("{ statsCatalogue { key label labelEn definition unit } }")
    keys = [s["key"] for s in catalogue["statsCatalogue"]]
    assert set(ORACLE) <= set(keys) and len(keys) == len(set(keys))


async def test_the_xlsx_export_matches_the_api(api, oracle):
    from io import BytesIO

    from openpyxl import load_workbook

    district, _ = oracle
    client = await api()
    admin = await client.signed_in("city_admin")
    district_admin = await client.signed_in("gongnong_admin")
    stats = (await admin.data(STATS, {"c": district.code, "p": PERIOD}))["district"]["stats"]
    url = f"/exports/stats.xlsx?place={gid('District', district.id)}&period={PERIOD}"
    response = await admin.client.get(url, headers={"Authorization": f"Bearer {admin.token}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert {r[0]: r[3] for r in rows} == {s["key"]: s["value"] for s in stats}

    anonymous = await admin.client.get(url)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "UNAUTHENTICATED")
    outside = await admin.client.get(
        url, headers={"Authorization": f"Bearer {district_admin.token}"}
    )
    assert (outside.status_code, outside.json()["code"]) == (403, "FORBIDDEN")
