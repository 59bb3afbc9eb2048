"""Probes of the assessment's root operations (see tests/access/probes.py)."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from core.assessment.models import (
    AssessmentAppeal,
    AssessmentResult,
    AssessmentRubric,
    AssessmentRun,
    GridVisit,
)
from tests.access.probes import Probe, gid, grid_worker_grant, ok

_quarters = itertools.count(1)
PROBE_QUARTER = "2001Q1"


async def _result_about(
    person: int, p: Probe, relation: str, colour: str = "YELLOW"
) -> AssessmentResult:
    grid = p.target(relation).grid
    rubric, _ = await AssessmentRubric.get_or_create(digest="probe", defaults={"content": {}})
    return await AssessmentResult.create(
        quarter=PROBE_QUARTER, person_id=person, district_id=grid.district_id,
        street_id=grid.street_id, community_id=grid.community_id, colour=colour, score=72.5,
        figures={}, rubric_id=rubric.id, run_id=0, computed_at=datetime.now(UTC),
    )  # fmt: skip


def _person(p: Probe, relation: str) -> int:
    if relation == "own":
        assert p.viewer_person is not None
        return p.viewer_person
    return p.target(relation).person


async def assessment_results(p: Probe, relation: str) -> bool:
    result = await _result_about(
        _person(p, relation), p, relation if relation != "own" else "same_grid"
    )
    try:
        body = await p.client.post(
            f'{{ assessmentResults(quarter: "{PROBE_QUARTER}", first: 100) {{ edges {{ node {{ id }} }} }} }}'
        )
        wanted = gid("AssessmentResult", result.id)
        return ok(body) and any(
            e["node"]["id"] == wanted for e in body["data"]["assessmentResults"]["edges"]
        )
    finally:
        await result.delete()


async def performance_archive(p: Probe, relation: str) -> bool:
    person = _person(p, relation)
    grant = await grid_worker_grant(p.target(relation)) if relation != "own" else None
    try:
        body = await p.client.post(
            'query($p: ID!) { performanceArchive(personId: $p, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { gridVisits } }',
            {"p": gid("Person", person)},
        )
        return ok(body)
    finally:
        if grant is not None:
            await grant.delete()


async def run_assessment(p: Probe, relation: str) -> bool:
    district = p.target(relation).grid.district_id
    quarter = f"20{next(_quarters) % 90 + 10:02d}Q2"
    body = await p.client.post(
        "mutation($q: String!, $d: ID!) { runAssessment(quarter: $q, districtId: $d) { workers } }",
        {"q": quarter, "d": gid("District", district)},
    )
    await AssessmentResult.filter(quarter=quarter).delete()
    await AssessmentRun.filter(quarter=quarter).delete()
    return ok(body)


async def appeal_assessment(p: Probe, relation: str) -> bool:
    result = await _result_about(_person(p, relation), p, "same_grid")
    try:
        body = await p.client.post(
            'mutation($r: ID!) { appealAssessment(resultId: $r, reason: "案件多为转办，非本人责任") { id } }',
            {"r": gid("AssessmentResult", result.id)},
        )
        return ok(body)
    finally:
        await AssessmentAppeal.filter(result_id=result.id).delete()
        await result.delete()


async def review_assessment_appeal(p: Probe, relation: str) -> bool:
    result = await _result_about(p.target(relation).person, p, relation)
    appeal = await AssessmentAppeal.create(
        result_id=result.id, reason="probe", colour_before="YELLOW"
    )
    try:
        body = await p.client.post(
            'mutation($a: ID!) { reviewAssessmentAppeal(appealId: $a, outcome: UPHELD, note: "维持") { colour } }',
            {"a": gid("AssessmentAppeal", appeal.id)},
        )
        return ok(body)
    finally:
        await appeal.delete()
        await result.delete()


async def record_grid_visit(p: Probe, relation: str) -> bool:
    grid = p.target(relation).grid
    before = await GridVisit.filter(grid_id=grid.id).values_list("id", flat=True)
    body = await p.client.post(
        "mutation($g: ID!) { recordGridVisit(gridId: $g) { id } }", {"g": gid("Grid", grid.id)}
    )
    await GridVisit.filter(grid_id=grid.id).exclude(id__in=list(before)).delete()
    return ok(body)


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "assessmentResults": assessment_results,
    "performanceArchive": performance_archive,
    "runAssessment": run_assessment,
    "appealAssessment": appeal_assessment,
    "reviewAssessmentAppeal": review_assessment_appeal,
    "recordGridVisit": record_grid_visit,
}
