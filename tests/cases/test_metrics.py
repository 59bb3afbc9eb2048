"""Case metrics of a seeded data set against figures worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from strawberry.relay import GlobalID

from core.cases.models import Case, CaseStep
from core.regions.models import Community, District, Grid, Street

METRICS = """query($place: ID, $from: DateTime!, $to: DateTime!) {
  caseMetrics(placeId: $place, from: $from, to: $to) { received resolved closed rejected
    completionRate onTimeRate averageSatisfaction
    escalations { key count } byCategory { key count } bySource { key count } } }"""


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026 if month != 12 else 2025, month, day, hour, tzinfo=UTC)


@pytest.fixture
async def oracle_district(orm):
    """A district of its own with six cases whose figures for January 2026 are known."""
    district = await District.create(code="oracle", name="对照区")
    street = await Street.create(code="s", name="对照街道", district_id=district.id)
    community = await Community.create(
        code="c", name="对照社区", district_id=district.id, street_id=street.id
    )
    grid = await Grid.create(
        code="g",
        name="对照网格",
        district_id=district.id,
        street_id=street.id,
        community_id=community.id,
    )
    place = {
        "district_id": district.id,
        "street_id": street.id,
        "community_id": community.id,
        "grid_id": grid.id,
    }

    async def case(created, category, source, status, steps=(), **extra):
        row = await Case.create(
            title="oracle", category=category, source=source, status=status, **place, **extra
        )
        await Case.filter(id=row.id).update(created_at=created)
        for action, when, to_level in steps:
            step = await CaseStep.create(
                case_id=row.id, action=action, to_level=to_level, to_status="x"
            )
            await CaseStep.filter(id=step.id).update(at=when)

    # c1: on time, closed, rated 5; escalated once to COMMUNITY.
    await case(
        at(1, 5),
        "heating",
        "RESIDENT",
        "CLOSED",
        [("ESCALATE", at(1, 5, 12), "COMMUNITY"), ("RESOLVE", at(1, 6), "COMMUNITY")],
        resolved_at=at(1, 6),
        due_at=at(1, 6, 12),
        closed_at=at(1, 8),
        rating=5,
    )
    # c2: late, resolved, not rated; escalated to COMMUNITY then DEPARTMENT.
    await case(
        at(1, 10),
        "heating",
        "SNAPSHOT",
        "RESOLVED",
        [
            ("ESCALATE", at(1, 10, 12), "COMMUNITY"),
            ("ESCALATE", at(1, 11), "DEPARTMENT"),
            ("RESOLVE", at(1, 20), "DEPARTMENT"),
        ],
        resolved_at=at(1, 20),
        due_at=at(1, 12),
    )
    # c3: still being worked on.
    await case(at(1, 15), "sanitation", "RESIDENT", "IN_PROGRESS")
    # c4: rejected.
    await case(at(1, 20), "sanitation", "RESIDENT", "REJECTED")
    # c5: reported in December, resolved late and closed in January, rated 3.
    await case(
        at(12, 20),
        "heating",
        "RESIDENT",
        "CLOSED",
        [("RESOLVE", at(1, 3), "GRID")],
        resolved_at=at(1, 3),
        due_at=at(1, 2),
        closed_at=at(1, 4),
        rating=3,
    )
    # c6: reported in February: outside the period.
    await case(at(2, 3), "heating", "RESIDENT", "REPORTED")
    yield district
    ids = await Case.filter(district_id=district.id).values_list("id", flat=True)
    await CaseStep.filter(case_id__in=list(ids)).delete()
    await Case.filter(district_id=district.id).delete()
    for model in (Grid, Community, Street):
        await model.filter(district_id=district.id).delete()
    await district.delete()


async def test_metrics_match_the_hand_computed_oracle(api, oracle_district):
    client = await api()
    city = await client.signed_in("city_admin")
    variables = {
        "place": str(GlobalID("District", str(oracle_district.id))),
        "from": "2026-01-01T00:00:00+00:00",
        "to": "2026-02-01T00:00:00+00:00",
    }
    figures = (await city.data(METRICS, variables))["caseMetrics"]
    assert figures == {
        "received": 4,  # c1 c2 c3 c4
        "resolved": 3,  # c1 c2 c5 have a RESOLVE step in January
        "closed": 2,  # c1 c5
        "rejected": 1,  # c4
        "completionRate": 0.6667,  # c1 c2 done, of 3 received and not rejected
        "onTimeRate": 0.3333,  # c1 of c1 c2 c5
        "averageSatisfaction": 4.0,  # (5 + 3) / 2
        "escalations": [{"key": "COMMUNITY", "count": 2}, {"key": "DEPARTMENT", "count": 1}],
        "byCategory": [{"key": "heating", "count": 2}, {"key": "sanitation", "count": 2}],
        "bySource": [{"key": "RESIDENT", "count": 3}, {"key": "SNAPSHOT", "count": 1}],
    }


async def test_metrics_are_for_the_roles_at_or_above_the_place(api, oracle_district):
    client = await api()
    variables = {
        "place": str(GlobalID("District", str(oracle_district.id))),
        "from": "2026-01-01T00:00:00+00:00",
        "to": "2026-02-01T00:00:00+00:00",
    }
    gongnong_admin = await client.signed_in("gongnong_admin")
    assert (await gongnong_admin.error(METRICS, variables))["extensions"]["code"] == "FORBIDDEN"
    worker = await client.signed_in("xinhong_grid1")
    grid = await Grid.get(code="xinhong-g1")
    own = await worker.data(METRICS, {**variables, "place": str(GlobalID("Grid", str(grid.id)))})
    assert own["caseMetrics"]["received"] >= 0
    city_wide = await worker.error(METRICS, {**variables, "place": None})
    assert city_wide["extensions"]["code"] == "FORBIDDEN"
    empty = await (await client.signed_in("city_admin")).data(
        METRICS,
        {**variables, "from": "2030-01-01T00:00:00+00:00", "to": "2030-02-01T00:00:00+00:00"},
    )
    assert empty["caseMetrics"]["completionRate"] is None and empty["caseMetrics"]["received"] == 0
