"""No N+1: the SQL statements of a nested region query do not grow with the rows it returns."""

from __future__ import annotations

import pytest

from core.db.statements import count_statements
from core.regions.models import Community, Compound, District, Grid, Street
from tests.support.configs import with_limits

NESTED = """query($code: String!) { district(code: $code) { name modules { name enabled }
  streets(first: 100) { totalCount edges { node { name modules { name enabled source }
    communities(first: 100) { totalCount edges { node { name district { code } modules { name }
      grids(first: 100) { totalCount edges { node { code boundary community { name }
        compounds(first: 100) { totalCount edges { node { name hasPropertyManagement grid { code } } } }
      } } }
    } } }
  } } } } }"""


async def make_tree(code: str, rows: int) -> None:
    """A district with ``rows`` streets, each with one community, one grid and one compound."""
    district = await District.create(code=code, name=f"{code}区")
    await Street.bulk_create(
        [Street(code=f"s{i}", name=f"街道{i}", district_id=district.id) for i in range(rows)]
    )
    streets = (
        await Street.filter(district_id=district.id).order_by("id").values_list("id", flat=True)
    )
    await Community.bulk_create(
        [
            Community(code=f"c{i}", name=f"社区{i}", district_id=district.id, street_id=s)
            for i, s in enumerate(streets)
        ]
    )
    communities = (
        await Community.filter(district_id=district.id).order_by("id").values("id", "street_id")
    )
    await Grid.bulk_create(
        [
            Grid(
                code=f"g{i}",
                name=f"网格{i}",
                district_id=district.id,
                street_id=c["street_id"],
                community_id=c["id"],
            )
            for i, c in enumerate(communities)
        ]
    )
    grids = (
        await Grid.filter(district_id=district.id)
        .order_by("id")
        .values("id", "street_id", "community_id")
    )
    await Compound.bulk_create(
        [
            Compound(
                code=f"p{i}",
                name=f"小区{i}",
                district_id=district.id,
                street_id=g["street_id"],
                community_id=g["community_id"],
                grid_id=g["id"],
            )
            for i, g in enumerate(grids)
        ]
    )


async def drop_tree(code: str) -> None:
    district = await District.get(code=code)
    for model in (Compound, Grid, Community, Street):
        await model.filter(district_id=district.id).delete()
    await district.delete()


@pytest.fixture
async def trees(orm):
    await make_tree("rows10", 10)
    await make_tree("rows100", 100)
    yield
    await drop_tree("rows10")
    await drop_tree("rows100")


async def test_nested_region_query_statements_do_not_grow_with_rows(api, trees, capsys):
    client = await api(with_limits(max_cost=10**9))  # 100 rows a level: a stress query
    counts = {}
    for code, rows in (("rows10", 10), ("rows100", 100)):
        with count_statements() as log:
            data = await client.data(NESTED, {"code": code})
        streets = data["district"]["streets"]
        assert streets["totalCount"] == rows and len(streets["edges"]) == rows
        compounds = [
            c
            for s in streets["edges"]
            for c in s["node"]["communities"]["edges"]
            for g in c["node"]["grids"]["edges"]
            for c in g["node"]["compounds"]["edges"]
        ]
        assert len(compounds) == rows
        counts[rows] = log.count
    with capsys.disabled():
        print(
            f"\nSQL statements of the nested region query: 10 rows: {counts[10]}, 100 rows: {counts[100]}"
        )
    assert counts[10] == counts[100]
    # district; per level (streets, communities, grids, compounds) a page and a count; parents
    # by id for district, street, community and grid: 13, whatever the number of rows.
    assert counts[100] == 13
