"""Running the assessment of a quarter: every community worker in scope gets a colour.

A run is idempotent: run again on the same records and each worker's result is the same row
with the same figures. A re-run after the records or the rubric changed updates the results in
place, except those the worker appealed: an appealed result stays as it was judged until its
review is done, with the rubric that produced it. Results of other quarters are never touched,
so an old result is always explained by its own stored rubric and figures.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.access.models import RoleGrant
from core.assessment.figures import worker_figures
from core.assessment.models import (
    AssessmentAppeal,
    AssessmentResult,
    AssessmentRubric,
    AssessmentRun,
)
from core.assessment.quarters import Quarter
from core.assessment.scoring import judge
from core.config.model import HemeiConfig, Rubric
from core.errors import Conflict
from core.regions.models import District

ASSESSED_ROLE = "COMMUNITY_WORKER"


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    quarter: str
    workers: int
    colours: dict[str, int]
    frozen: int
    seconds: float


async def rubric_row(rubric: Rubric) -> AssessmentRubric:
    """The stored copy of ``rubric``, made the first time this exact content is used."""
    content = rubric.model_dump(mode="json")
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    found = await AssessmentRubric.filter(digest=digest).first()
    if found is not None:
        return found
    try:
        async with in_transaction():
            return await AssessmentRubric.create(digest=digest, content=content)
    except IntegrityError:
        return await AssessmentRubric.get(digest=digest)


async def run_assessment(
    config: HemeiConfig,
    quarter: Quarter,
    district_id: int | None = None,
    run_by: int | None = None,
) -> RunSummary:
    """Assess the community workers of the city (or of one district) for ``quarter``."""
    started = datetime.now(UTC)
    start, end = quarter.bounds(config.city.time_zone)
    grants = RoleGrant.filter(role=ASSESSED_ROLE, level="community")
    if district_id is not None:
        grants = grants.filter(district_id=district_id)
    places: dict[int, tuple[int, int, int]] = {}
    for person, district, street, community in await grants.order_by("id").values_list(
        "person_id", "district_id", "street_id", "community_id"
    ):
        places.setdefault(person, (district, street, community))
    codes = dict(await District.all().values_list("id", "code"))
    rubrics = {d: config.rubric_for(codes.get(d)) for d in {p[0] for p in places.values()}}
    figures = await worker_figures(
        places, start, end, lambda person: rubrics[places[person][0]].complaint_max_rating
    )
    async with in_transaction():
        run = await AssessmentRun.create(
            quarter=quarter.name, district_id=district_id, run_by_id=run_by
        )
        stored = {d: await rubric_row(r) for d, r in rubrics.items()}
        existing = AssessmentResult.filter(quarter=quarter.name)
        if district_id is not None:
            existing = existing.filter(district_id=district_id)
        current = {r.person_id: r for r in await existing}
        appealed = set(
            await AssessmentAppeal.filter(result_id__in=[r.id for r in current.values()])
            .values_list("result_id", flat=True)
        )  # fmt: skip
        frozen = {r.person_id for r in current.values() if r.id in appealed}
        gone = [r.id for p, r in current.items() if p not in places and p not in frozen]
        await AssessmentResult.filter(id__in=gone).delete()
        changed, made, colours = [], [], Counter[str]()
        for person, (district, street, community) in places.items():
            if person in frozen:
                colours[current[person].colour] += 1
                continue
            verdict = judge(figures[person], rubrics[district])
            colours[verdict.colour.value] += 1
            values = {
                "district_id": district, "street_id": street, "community_id": community,
                "colour": verdict.colour.value, "score": verdict.score,
                "figures": figures[person].as_json(), "rubric_id": stored[district].id,
                "run_id": run.id, "computed_at": started,
            }  # fmt: skip
            row = current.get(person)
            if row is None:
                made.append(AssessmentResult(quarter=quarter.name, person_id=person, **values))
            elif _differs(row, values):
                for name, value in values.items():
                    setattr(row, name, value)
                row.version += 1
                changed.append(row)
        if changed:
            await AssessmentResult.bulk_update(
                changed, fields=[*_COLUMNS, "version"], batch_size=500
            )
        try:
            async with in_transaction():
                await AssessmentResult.bulk_create(made, batch_size=500)
        except IntegrityError:
            raise Conflict(
                f"Another run of {quarter.name} is writing results right now; try again.",
                argument="quarter",
            ) from None
        seconds = (datetime.now(UTC) - started).total_seconds()
        await AssessmentRun.filter(id=run.id).update(
            finished_at=datetime.now(UTC), workers=len(places), colours=dict(colours)
        )
    return RunSummary(run.id, quarter.name, len(places), dict(colours), len(frozen), seconds)


_COLUMNS = ("district_id", "street_id", "community_id", "colour", "score", "figures",
            "rubric_id", "run_id", "computed_at")  # fmt: skip
_COMPARED = ("district_id", "street_id", "community_id", "colour", "score", "figures",
             "rubric_id")  # fmt: skip


def _differs(row: AssessmentResult, values: Mapping[str, object]) -> bool:
    """A re-run on unchanged records leaves the row alone (its version too)."""
    return any(getattr(row, name) != values[name] for name in _COMPARED)
