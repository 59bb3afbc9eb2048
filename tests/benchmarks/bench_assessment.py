"""Benchmark: the city-wide quarterly assessment of the article's 1,352 community workers.

    .venv/bin/python -m tests.benchmarks.bench_assessment            # SQLite in a temp folder
    .venv/bin/python -m tests.benchmarks.bench_assessment --postgres # a scratch PostgreSQL db

Seeds the demo region tree, 1,352 community workers spread over its communities and ten cases
per worker with a step by that worker in 2026Q2 (resolved, late, rated or open in a fixed
mix), then times ``run_assessment`` for the whole city: the first run (every result written)
and a re-run (nothing changed). Prints the figures; not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.access.models import RoleGrant
from core.assessment.quarters import Quarter
from core.assessment.runs import run_assessment
from core.cases.models import Case, CaseStep
from core.config.model import HemeiConfig
from core.db.setup import CORE_MODELS, close_orm, init_orm, upgrade
from core.people.models import Person
from core.regions.models import Grid

WORKERS = 1352
CASES_PER_WORKER = 10
QUARTER = Quarter(2026, 2)


async def seed(rng: random.Random) -> None:
    from core.demo.regions import create_demo_regions

    regions = await create_demo_regions(rng)
    grids = list(await Grid.all())
    people = await Person.bulk_create([Person(name=f"社工{i}") for i in range(WORKERS)])
    people = list(await Person.all().order_by("-id").limit(WORKERS))
    grants, cases = [], []
    for i, person in enumerate(people):
        grid = grids[i % len(grids)]
        grants.append(RoleGrant(person_id=person.id, role="COMMUNITY_WORKER", level="community",
                                district_id=grid.district_id, street_id=grid.street_id,
                                community_id=grid.community_id))  # fmt: skip
        for _ in range(CASES_PER_WORKER):
            late, rating = rng.random() < 0.2, rng.choice([None, 2, 4, 5, 5])
            at = datetime(2026, 5, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 600))
            cases.append(Case(
                title="样本", category="sanitation", source="RESIDENT", grid_id=grid.id,
                district_id=grid.district_id, street_id=grid.street_id,
                community_id=grid.community_id, status=rng.choice(["CLOSED", "RESOLVED", "IN_PROGRESS"]),
                rating=rating, resolved_at=at, due_at=at + timedelta(hours=-5 if late else 24),
                reporter_id=person.id,
            ))  # fmt: skip
    await RoleGrant.bulk_create(grants, batch_size=1000)
    await Case.bulk_create(cases, batch_size=1000)
    ids = list(await Case.all().order_by("id").values_list("id", flat=True))
    steps = []
    for i, case_id in enumerate(ids):
        person = people[i // CASES_PER_WORKER]
        steps.append(CaseStep(case_id=case_id, action="ACCEPT", actor_id=person.id,
                              from_level="COMMUNITY", to_level="COMMUNITY",
                              from_status="REPORTED", to_status="ACCEPTED"))  # fmt: skip
    await CaseStep.bulk_create(steps, batch_size=1000)
    await CaseStep.all().update(at=datetime(2026, 5, 15, tzinfo=UTC))
    assert len(regions.districts) == 8


async def main(url: str) -> None:
    await upgrade(url, [CORE_MODELS])
    await init_orm(url, [CORE_MODELS])
    try:
        started = time.perf_counter()
        await seed(random.Random(721))
        print(f"seeded {WORKERS} workers, {WORKERS * CASES_PER_WORKER} cases in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        config = HemeiConfig()
        for label in ("first run", "re-run"):
            started = time.perf_counter()
            summary = await run_assessment(config, QUARTER)
            took = time.perf_counter() - started
            print(f"{label}: {summary.workers} workers in {took:.2f} s "
                  f"({summary.workers / took:.0f} workers/s), colours {summary.colours}")  # fmt: skip
    finally:
        await close_orm()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432/postgres",
                        help="an admin URL of a PostgreSQL server (a scratch database is made)")  # fmt: skip
    args = parser.parse_args()
    if args.postgres is None:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(main(f"sqlite://{Path(folder) / 'bench.sqlite3'}"))
        return
    asyncio.run(_on_postgres(args.postgres))


async def _on_postgres(admin_url: str) -> None:
    import asyncpg

    name = f"hemei_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        await main(admin_url.rsplit("/", 1)[0] + f"/{name}")
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


if __name__ == "__main__":
    cli()
