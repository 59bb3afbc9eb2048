"""The three-colour warning through GraphQL, against figures computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.access.models import Account, RoleGrant
from core.assessment.models import AssessmentAppeal, AssessmentResult, AssessmentRun
from core.cases.models import Case, CaseStep
from core.people.models import Person
from core.regions.models import Grid
from tests.cases.test_ladder_api import gid
from tests.support.api import codes
from tests.support.configs import TEST_CONFIG

RUN = """mutation($q: String!, $d: ID) { runAssessment(quarter: $q, districtId: $d) {
  quarter workers frozen colours { colour count } } }"""
RESULTS = """query($q: String!, $c: WarningColour) { assessmentResults(quarter: $q, colour: $c, first: 100) {
  totalCount edges { node { id colour score version personName community { name }
  figures { handled rejected completed resolved onTime rated complaints completionRate onTimeRate satisfaction }
  rubric { version greenFrom yellowFrom orangeFrom weightCompletionRate complaintPenalty }
  appeal { status colourBefore colourAfter reviewNote } } } } }"""
APPEAL = """mutation($r: ID!, $why: String!) { appealAssessment(resultId: $r, reason: $why) {
  colour appeal { id status colourBefore } } }"""
REVIEW = """mutation($a: ID!, $o: AppealOutcome!, $n: String!, $c: WarningColour) {
  reviewAssessmentAppeal(appealId: $a, outcome: $o, note: $n, colour: $c) { colour version
  appeal { status colourAfter reviewNote } } }"""

# 2025Q1 in Asia/Shanghai.
QUARTER = "2025Q1"
IN_QUARTER = datetime(2025, 2, 10, 2, 0, tzinfo=UTC)


async def _case(
    worker: int,
    *,
    status: str,
    rating: int | None = None,
    resolved: datetime | None = None,
    due: datetime | None = None,
) -> int:
    grid = await Grid.get(code="xinhong-g1")
    case = await Case.create(
        title="考核样本", category="sanitation", source="RESIDENT", grid_id=grid.id,
        district_id=grid.district_id, street_id=grid.street_id, community_id=grid.community_id,
        status=status, rating=rating, resolved_at=resolved, due_at=due, level="COMMUNITY",
    )  # fmt: skip
    step = await CaseStep.create(
        case_id=case.id, action="ACCEPT", actor_id=worker, from_level="COMMUNITY",
        to_level="COMMUNITY", from_status="REPORTED", to_status="ACCEPTED",
    )  # fmt: skip
    await CaseStep.filter(id=step.id).update(at=IN_QUARTER)
    return case.id


@pytest.fixture
async def sample(orm):
    """Worker A (xinhong_worker) handled four cases in 2025Q1; a second community worker of
    the district (made here) handled none."""
    worker = (await Account.get(username="xinhong_worker")).person_id
    grid = await Grid.get(code="xinhong-g2")
    other = (
        await Person.filter(home_grid_id=grid.id)
        .exclude(id__in=await Account.all().values_list("person_id", flat=True))
        .first()
    )
    second = await RoleGrant.create(
        person_id=other.id, role="COMMUNITY_WORKER", level="community",
        district_id=grid.district_id, street_id=grid.street_id, community_id=grid.community_id,
    )  # fmt: skip
    t = IN_QUARTER
    made = [
        # resolved on time, rated 5, closed
        await _case(worker, status="CLOSED", rating=5, resolved=t + timedelta(hours=5),
                    due=t + timedelta(hours=24)),
        # resolved late, rated 2 (a complaint), closed
        await _case(worker, status="CLOSED", rating=2, resolved=t + timedelta(hours=50),
                    due=t + timedelta(hours=24)),
        await _case(worker, status="IN_PROGRESS"),  # still open
        await _case(worker, status="REJECTED"),  # a repeat, rejected
    ]  # fmt: skip
    yield worker
    await second.delete()
    await CaseStep.filter(case_id__in=made).delete()
    await Case.filter(id__in=made).delete()
    for quarter in (QUARTER, "2025Q2"):
        ids = await AssessmentResult.filter(quarter=quarter).values_list("id", flat=True)
        await AssessmentAppeal.filter(result_id__in=list(ids)).delete()
        await AssessmentResult.filter(quarter=quarter).delete()
        await AssessmentRun.filter(quarter=quarter).delete()


def _by_name(data: dict) -> dict[str, dict]:
    return {e["node"]["personName"]: e["node"] for e in data["assessmentResults"]["edges"]}


async def test_colours_follow_the_rubric_and_the_figures(api, sample):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    district = gid("District", (await Grid.get(code="xinhong-g1")).district_id)
    ran = (await admin.data(RUN, {"q": QUARTER, "d": district}))["runAssessment"]
    assert ran["workers"] >= 2 and ran["frozen"] == 0

    results = await admin.data(RESULTS, {"q": QUARTER})
    worker_name = (
        await Account.get(username="xinhong_worker").prefetch_related("person")
    ).person.name
    a = _by_name(results)[worker_name]
    # By hand: handled 4, rejected 1 → completion 2/3; resolved 2, on time 1 → 1/2;
    # ratings 5 and 2 → mean 3.5 → (3.5-1)/4 = 0.625; one complaint (2 ≤ 2).
    # score = 100 × (0.4·2/3 + 0.3·0.5 + 0.3·0.625) − 5 = 55.42 → RED (below 60).
    assert a["figures"] == {
        "handled": 4, "rejected": 1, "completed": 2, "resolved": 2, "onTime": 1, "rated": 2,
        "complaints": 1, "completionRate": pytest.approx(2 / 3), "onTimeRate": 0.5,
        "satisfaction": 3.5,
    }  # fmt: skip
    assert (a["score"], a["colour"]) == (55.42, "RED")
    assert a["rubric"]["greenFrom"] == 85 and a["community"]["name"] == "欣虹社区"
    others = [r for name, r in _by_name(results).items() if name != worker_name]
    assert others and all((r["colour"], r["score"]) == ("YELLOW", None) for r in others), (
        "fewer than min_cases handled: the sparse colour, no score"
    )
    colours = {c["colour"]: c["count"] for c in ran["colours"]}
    assert colours == {"RED": 1, "YELLOW": ran["workers"] - 1}

    # Running again on the same records changes nothing, not even a version.
    again = (await admin.data(RUN, {"q": QUARTER, "d": district}))["runAssessment"]
    assert again["colours"] == ran["colours"]
    assert (
        _by_name(await admin.data(RESULTS, {"q": QUARTER}))[worker_name]["version"] == a["version"]
    )


async def test_a_rubric_change_leaves_old_results_with_their_old_rubric(api, sample):
    lenient = (
        TEST_CONFIG + "\n[districts.gongnong.assessment]\norange_from = 50\ncomplaint_penalty = 0\n"
    )
    strict_client = await api()
    admin = await strict_client.signed_in("gongnong_admin")
    district = gid("District", (await Grid.get(code="xinhong-g1")).district_id)
    await admin.data(RUN, {"q": QUARTER, "d": district})
    worker_name = (
        await Account.get(username="xinhong_worker").prefetch_related("person")
    ).person.name
    before = _by_name(await admin.data(RESULTS, {"q": QUARTER}))[worker_name]

    lenient_admin = await (await api(lenient)).signed_in("gongnong_admin")
    await lenient_admin.data(RUN, {"q": "2025Q2", "d": district})
    old = _by_name(await lenient_admin.data(RESULTS, {"q": QUARTER}))[worker_name]
    assert old == before, "another quarter's run leaves this one alone"
    assert old["rubric"]["version"] == before["rubric"]["version"]

    # Re-running 2025Q1 under the new rubric: 60.42 with no penalty → ORANGE (from 50).
    await lenient_admin.data(RUN, {"q": QUARTER, "d": district})
    now = _by_name(await lenient_admin.data(RESULTS, {"q": QUARTER}))[worker_name]
    assert (now["score"], now["colour"]) == (60.42, "ORANGE")
    assert now["rubric"]["version"] != before["rubric"]["version"]
    assert now["rubric"]["complaintPenalty"] == 0


async def test_an_appeal_freezes_the_result_until_a_district_admin_reviews_it(api, sample):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    worker = await client.signed_in("xinhong_worker")
    officer = await client.signed_in("hongqi_officer")
    district = gid("District", (await Grid.get(code="xinhong-g1")).district_id)
    await admin.data(RUN, {"q": QUARTER, "d": district})
    mine = (await worker.data(RESULTS, {"q": QUARTER}))["assessmentResults"]
    assert mine["totalCount"] == 1, "a worker sees only their own result"
    result = mine["edges"][0]["node"]

    short = await worker.post(APPEAL, {"r": result["id"], "why": "不"})
    assert codes(short) == ["BAD_USER_INPUT"]
    appealed = await worker.data(APPEAL, {"r": result["id"], "why": "两件逾期案件系部门转办延误"})
    appeal = appealed["appealAssessment"]["appeal"]
    assert (appeal["status"], appeal["colourBefore"]) == ("PENDING", "RED")
    twice = await worker.post(APPEAL, {"r": result["id"], "why": "再次申诉一次"})
    assert codes(twice) == ["CONFLICT"]

    # A re-run under a lenient rubric leaves the appealed result as judged.
    lenient = TEST_CONFIG + "\n[districts.gongnong.assessment]\norange_from = 0\n"
    lenient_admin = await (await api(lenient)).signed_in("gongnong_admin")
    rerun = (await lenient_admin.data(RUN, {"q": QUARTER, "d": district}))["runAssessment"]
    assert rerun["frozen"] == 1
    assert (await worker.data(RESULTS, {"q": QUARTER}))["assessmentResults"]["edges"][0]["node"][
        "colour"
    ] == "RED"

    refused = await officer.post(
        REVIEW, {"a": appeal["id"], "o": "CHANGED", "n": "x", "c": "ORANGE"}
    )
    assert codes(refused) == ["FORBIDDEN"], "street officers see results but do not review"
    same = await admin.post(REVIEW, {"a": appeal["id"], "o": "CHANGED", "n": "x", "c": "RED"})
    assert codes(same) == ["BAD_USER_INPUT"]
    reviewed = (
        await admin.data(
            REVIEW,
            {"a": appeal["id"], "o": "CHANGED", "n": "核实转办延误，改为橙牌", "c": "ORANGE"},
        )
    )["reviewAssessmentAppeal"]
    assert reviewed["colour"] == "ORANGE"
    assert reviewed["appeal"] == {"status": "CHANGED", "colourAfter": "ORANGE",
                                  "reviewNote": "核实转办延误，改为橙牌"}  # fmt: skip
    again = await admin.post(REVIEW, {"a": appeal["id"], "o": "UPHELD", "n": "again"})
    assert codes(again) == ["CONFLICT"]


async def test_bad_quarters_and_places_are_refused(api, sample):
    client = await api()
    admin = await client.signed_in("city_admin")
    district_admin = await client.signed_in("gongnong_admin")
    assert codes(await admin.post(RUN, {"q": "2025Q5"})) == ["BAD_USER_INPUT"]
    assert codes(await district_admin.post(RUN, {"q": QUARTER})) == ["FORBIDDEN"], (
        "a district admin does not assess the whole city"
    )
    before = await AssessmentRun.filter(quarter=QUARTER).count()
    assert before == 0


async def test_the_assessment_export_matches_the_api(api, sample):
    from io import BytesIO

    from openpyxl import load_workbook

    client = await api()
    admin = await client.signed_in("gongnong_admin")
    district = gid("District", (await Grid.get(code="xinhong-g1")).district_id)
    await admin.data(RUN, {"q": QUARTER, "d": district})
    results = _by_name(await admin.data(RESULTS, {"q": QUARTER}))
    response = await admin.client.get(
        f"/exports/assessment.xlsx?quarter={QUARTER}&place={district}",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert response.status_code == 200
    rows = list(
        load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
    )
    exported = {r[1]: (r[3], r[4], r[5], r[9]) for r in rows}
    assert exported == {
        name: (r["colour"], r["score"], r["figures"]["handled"], r["figures"]["complaints"])
        for name, r in results.items()
    }
