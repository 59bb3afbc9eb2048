"""Demo data: a few winter reports in each district where the module is on."""

from __future__ import annotations

from datetime import timedelta

from core import DemoCase, DemoContext, Place

from winter_city.filing import TITLES
from winter_city.models import WinterReport
from winter_city.names import CATEGORIES, NAME

DESCRIPTIONS = {"SNOW": "楼道口积雪结冰，老人出行困难", "HEATING": "整栋楼暖气不热"}
STATUS = {"RESOLVED": "RESOLVED", "CLOSED": "CLOSED", "REJECTED": "CLOSED"}


async def load(demo: DemoContext) -> None:
    codes = {d.id: d.code for d in demo.districts}
    compounds = [
        c
        for c in demo.compounds
        if demo.activation.state(NAME, Place(codes[c.district_id])).enabled
    ]
    wanted = []
    for n, compound in enumerate(compounds[:12]):
        kind = "HEATING" if n % 3 == 0 else "SNOW"
        wanted.append(
            (
                kind,
                compound,
                DemoCase(
                    compound_id=compound.id,
                    category=CATEGORIES[kind],
                    title=TITLES[kind],
                    reported_at=demo.now - timedelta(days=demo.random.randint(0, 20)),
                    description=DESCRIPTIONS[kind],
                ),
            )
        )
    results = await demo.add_cases([case for _, _, case in wanted])
    for (kind, compound, case), result in zip(wanted, results, strict=True):
        await WinterReport.create(
            kind=kind,
            district_id=compound.district_id,
            street_id=compound.street_id,
            community_id=compound.community_id,
            grid_id=compound.grid_id,
            compound_id=compound.id,
            description=case.description,
            households=demo.random.randint(10, 120) if kind == "HEATING" else 0,
            case_id=result.id,
            status=STATUS.get(result.status, "OPEN"),
            resolved_at=result.resolved_at,
            source="GRAPHQL",
        )
