"""``hemei demo``: migrate the configured database and fill it with demo data, once."""

from __future__ import annotations

import random

from tortoise.transactions import in_transaction

from core.db.setup import close_orm, init_orm, upgrade
from core.plugins.contributions import DemoContext
from core.regions.models import District
from core.runtime import Runtime

DEMO_SEED = 721  # Hegang's number of service grids: any fixed seed would do


async def load_demo(runtime: Runtime, seed: int = DEMO_SEED) -> bool:
    """Bring the schema up to date and, if the database has no districts yet, create the demo
    region tree and let every loaded plugin add its demo data. Returns whether data was made.
    All demo rows are written in one transaction: a failing plugin leaves no half-made demo."""
    from core.demo.people import create_demo_people
    from core.demo.regions import create_demo_regions
    from core.demo.services import create_demo_services

    url, apps = runtime.config.database.url, runtime.host.model_apps()
    await upgrade(url, apps)
    await init_orm(url, apps)
    try:
        if await District.exists():
            return False
        rng = random.Random(seed)
        async with in_transaction():
            regions = await create_demo_regions(rng)
            await create_demo_people(regions, rng)
            await create_demo_services(regions, rng)
            demo = DemoContext(
                activation=runtime.activation,
                districts=list(regions.districts),
                streets=list(regions.streets),
                communities=list(regions.communities),
                grids=list(regions.grids),
                random=rng,
            )
            await runtime.host.call_each_async("load_demo_data", demo=demo)
        return True
    finally:
        await close_orm()
