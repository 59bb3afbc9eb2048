"""``hemei demo``: migrate the configured database and fill it with demo data, once."""

from __future__ import annotations

import inspect
import random
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from core.db.setup import close_orm, init_orm, upgrade
from core.plugins.contributions import DemoContext, Scale
from core.progress import SILENT, Progress
from core.regions.models import District
from core.runtime import Runtime

DEMO_SEED = 721  # Hegang's number of service grids: any fixed seed would do
SCALES: tuple[Scale, ...] = ("town", "city")


async def load_demo(
    runtime: Runtime,
    seed: int = DEMO_SEED,
    *,
    scale: Scale = "town",
    progress: Progress = SILENT,
    now: datetime | None = None,
) -> bool:
    """Bring the schema up to date and, if the database has no districts yet, create the demo
    region tree and let every loaded plugin add its demo data. Returns whether data was made.
    All demo rows are written in one transaction: a failing plugin leaves no half-made demo.

    ``scale``: ``town`` (quick, the default) or ``city`` (Hegang at the article's scale, with
    ``progress`` told of each phase). The same seed, scale and ``now`` make the same rows."""
    from core.demo.people import create_demo_people
    from core.demo.regions import create_demo_regions
    from core.demo.services import create_demo_services

    if scale not in SCALES:
        raise ValueError(f"scale is one of {', '.join(SCALES)}, not {scale!r}")
    now = now or datetime.now(UTC)
    url, apps = runtime.config.database.url, runtime.host.model_apps()
    await upgrade(url, apps)
    await init_orm(url, apps)
    try:
        if await District.exists():
            return False
        rng = random.Random(seed)
        async with in_transaction():
            demo = DemoContext(activation=runtime.activation, random=rng, scale=scale, now=now,
                               progress=progress)  # fmt: skip
            if scale == "city":
                from core.demo.city.build import create_city

                categories = {code: c for code, (_, c) in runtime.host.case_categories.items()}
                city = await create_city(runtime.config, categories, rng, seed, now, progress)
                regions, demo.fake, demo.ladder = city.regions, city.fake, city.ladder
            else:
                regions = await create_demo_regions(rng)
                await create_demo_people(regions, rng)
                await create_demo_services(regions, rng)
            demo.districts, demo.streets = list(regions.districts), list(regions.streets)
            demo.communities, demo.grids = list(regions.communities), list(regions.grids)
            demo.compounds = list(regions.compounds)
            for name, result in runtime.host.call_each("load_demo_data", demo=demo):
                progress.phase(f"module {name}", 0)
                if inspect.isawaitable(result):
                    await result
        return True
    finally:
        await close_orm()
