"""The demo region tree is plausible, nested without overlaps, and reproducible per seed."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import Polygon, shape

from core.demo.regions import DemoRegions
from core.errors import BadUserInput, ErrorCode
from core.regions.geo import grid_at, polygon_contains
from core.regions.models import Community, Compound, District, Grid, Street

DISTRICT_CODES = [
    "xingshan", "xiangyang", "gongnong", "nanshan", "xingan", "dongshan", "luobei", "suibin",
]  # fmt: skip
SEED = 721


@pytest.fixture
async def demo(orm: str) -> DemoRegions:
    """The demo tree the test database was seeded with (conftest's ``orm``, seed 721)."""
    districts = await District.filter(code__in=DISTRICT_CODES).order_by("id")
    ids = [d.id for d in districts]

    async def rows(model: Any) -> list[Any]:
        return await model.filter(district_id__in=ids).order_by("id")

    return DemoRegions(
        districts=districts,
        streets=await rows(Street),
        communities=await rows(Community),
        grids=await rows(Grid),
        compounds=await rows(Compound),
    )


def _ring(geometry: dict[str, Any]) -> list[list[float]]:
    assert geometry["type"] == "Polygon"
    [ring] = geometry["coordinates"]
    return ring


async def test_eight_districts_with_the_config_codes(demo: DemoRegions) -> None:
    stored = await District.all().values_list("code", "name")
    assert [code for code, _ in stored] == DISTRICT_CODES
    assert dict(stored)["nanshan"] == "南山区"
    assert [d.code for d in demo.districts] == DISTRICT_CODES


async def test_counts_per_level(demo: DemoRegions) -> None:
    assert (len(demo.streets), len(demo.communities), len(demo.grids)) == (16, 32, 96)
    assert 96 <= len(demo.compounds) <= 192
    for model, rows in [
        (Street, demo.streets),
        (Community, demo.communities),
        (Grid, demo.grids),
        (Compound, demo.compounds),
    ]:
        assert await model.all().count() == len(rows)
        assert all(row.id is not None for row in rows)


async def test_article_places_are_where_the_article_puts_them(demo: DemoRegions) -> None:
    liuhao = await Street.get(code="liuhao").prefetch_related("district")
    assert (liuhao.name, liuhao.district.code) == ("六号街道", "nanshan")
    xinhong = await Community.get(code="xinhong").prefetch_related("district")
    assert (xinhong.name, xinhong.district.code) == ("欣虹社区", "gongnong")
    grid = await Grid.get(code="xinhong-g1")
    assert grid.name == "欣虹社区第1网格"


async def test_every_node_stores_its_ancestors(demo: DemoRegions) -> None:
    communities = {c.id: c for c in await Community.all()}
    grids = {g.id: g for g in await Grid.all()}
    streets = {s.id: s for s in await Street.all()}
    for compound in await Compound.all():
        grid = grids[compound.grid_id]
        assert compound.code.startswith(f"{grid.code}-c")
        assert (compound.district_id, compound.street_id, compound.community_id) == (
            grid.district_id,
            grid.street_id,
            grid.community_id,
        )
    for grid in grids.values():
        community = communities[grid.community_id]
        assert (grid.district_id, grid.street_id) == (community.district_id, community.street_id)
    for community in communities.values():
        assert community.district_id == streets[community.street_id].district_id


async def test_property_management(demo: DemoRegions) -> None:
    unmanaged = [c for c in demo.compounds if not c.has_property_management]
    assert 0 < len(unmanaged) < len(demo.compounds) / 3
    assert all(c.property_company is None for c in unmanaged)
    for compound in demo.compounds:
        assert compound.name.endswith("小区")
        if compound.has_property_management:
            assert compound.property_company is not None
            assert compound.property_company.startswith("鹤岗市")
            assert compound.property_company.endswith("物业服务有限公司")


async def test_polygons_are_closed_counter_clockwise_and_rounded(demo: DemoRegions) -> None:
    for row in [*demo.grids, *demo.compounds]:
        ring = _ring(row.boundary)
        assert ring[0] == ring[-1]
        assert shapely.LinearRing(ring).is_ccw
        assert all(round(v, 6) == v for point in ring for v in point)
        assert all(
            len(point) == 2 and 130 < point[0] < 132 and 47 < point[1] < 48 for point in ring
        )


async def test_compounds_lie_inside_their_grid(demo: DemoRegions) -> None:
    grids = {g.id: shape(g.boundary) for g in demo.grids}
    for compound in demo.compounds:
        outline = shape(compound.boundary)
        assert outline.is_valid and outline.area > 0
        assert grids[compound.grid_id].contains(outline), compound.code


async def test_grids_do_not_overlap(demo: DemoRegions) -> None:
    polygons = [shape(g.boundary) for g in demo.grids]
    assert all(p.is_valid and p.area > 0 for p in polygons)
    left, right = shapely.STRtree(polygons).query(polygons, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j:
            assert polygons[i].intersection(polygons[j]).area == pytest.approx(0, abs=1e-12)


async def test_community_centres_lie_in_their_grids(demo: DemoRegions) -> None:
    for community in demo.communities:
        grids = [shape(g.boundary) for g in demo.grids if g.community_id == community.id]
        assert len(grids) == 3
        assert shapely.union_all(grids).covers(
            shapely.Point(community.centre_lon, community.centre_lat)
        ), community.code


async def test_urban_districts_sit_around_the_city_centre(demo: DemoRegions) -> None:
    for district in demo.districts[:6]:
        area = shapely.union_all(
            [shape(g.boundary) for g in demo.grids if g.district_id == district.id]
        )
        centre = area.centroid
        assert abs(centre.x - 130.30) < 0.1 and abs(centre.y - 47.35) < 0.1, district.code


async def test_grid_at_a_grids_centroid_returns_that_grid(demo: DemoRegions) -> None:
    for grid in demo.grids[::7]:
        centre = shape(grid.boundary).centroid
        found = await grid_at(centre.x, centre.y)
        assert found is not None and found.id == grid.id


async def test_grid_at_a_shared_edge_returns_the_lowest_id(demo: DemoRegions) -> None:
    first, second = demo.grids[0], demo.grids[1]
    east_of_first = _ring(first.boundary)[1][0]
    assert _ring(second.boundary)[0][0] == east_of_first
    south, north = _ring(first.boundary)[0][1], _ring(first.boundary)[2][1]
    found = await grid_at(east_of_first, (south + north) / 2)
    assert found is not None and found.id == min(first.id, second.id)


async def test_grid_at_far_away_returns_none(demo: DemoRegions) -> None:
    assert await grid_at(0.0, 0.0) is None


async def test_grid_at_skips_grids_without_boundary(demo: DemoRegions) -> None:
    grid = demo.grids[0]
    centre = shape(grid.boundary).centroid
    await Grid.filter(id=grid.id).update(boundary=None)
    try:
        assert await grid_at(centre.x, centre.y) is None
    finally:
        await Grid.filter(id=grid.id).update(boundary=grid.boundary)


@pytest.mark.parametrize(
    ("lon", "lat", "argument"),
    [(180.5, 47.0, "lon"), (-181.0, 47.0, "lon"), (130.0, 90.1, "lat"), (130.0, -91.0, "lat"),
     (math.nan, 47.0, "lon"), (130.0, math.inf, "lat")],
)  # fmt: skip
async def test_out_of_range_coordinates_are_bad_user_input(
    orm: str, lon: float, lat: float, argument: str
) -> None:
    with pytest.raises(BadUserInput) as caught:
        await grid_at(lon, lat)
    assert caught.value.extensions()["code"] == ErrorCode.BAD_USER_INPUT
    assert caught.value.details["argument"] == argument
    with pytest.raises(BadUserInput):
        polygon_contains({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, lon, lat)


def test_polygon_contains_counts_the_boundary_as_inside() -> None:
    square = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)]).__geo_interface__
    assert polygon_contains(square, 0.5, 0.5)
    assert polygon_contains(square, 1.0, 0.5)
    assert not polygon_contains(square, 1.5, 0.5)
    holed = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    assert not polygon_contains(holed.__geo_interface__, 1.5, 1.5)


SNAPSHOT_SCRIPT = """
import asyncio, json, random, sys
from core.db.setup import CORE_MODELS, close_orm, init_orm
from core.demo.regions import create_demo_regions

async def main():
    await init_orm("sqlite://:memory:", [CORE_MODELS])
    from tortoise import Tortoise
    await Tortoise.generate_schemas()
    demo = await create_demo_regions(random.Random(int(sys.argv[1])))
    rows = [[d.code, d.name] for d in demo.districts]
    rows += [[s.code, s.name] for s in demo.streets]
    rows += [[c.code, c.name, c.centre_lon, c.centre_lat] for c in demo.communities]
    rows += [[g.code, g.name, g.boundary] for g in demo.grids]
    rows += [[c.code, c.name, c.boundary, c.has_property_management, c.property_company]
             for c in demo.compounds]
    await close_orm()
    print(json.dumps(rows, ensure_ascii=False))

asyncio.run(main())
"""


def _snapshot(seed: int) -> list[Any]:
    """The tree a seed makes, built in a separate process on a throwaway SQLite database (one
    process may hold only one database dialect, and the test database must stay as it is)."""
    done = subprocess.run(
        [sys.executable, "-c", SNAPSHOT_SCRIPT, str(seed)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return json.loads(done.stdout)


def test_same_seed_same_tree() -> None:
    first = _snapshot(SEED)
    assert len(first) > 100
    assert _snapshot(SEED) == first
    assert _snapshot(SEED + 1) != first
