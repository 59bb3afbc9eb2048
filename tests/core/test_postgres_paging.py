"""Page sizes written into PostgreSQL statements as numbers (core/db/pg_paging.py): with
``LIMIT $1`` PostgreSQL planned the statement afresh on every execution."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from core.db.rows import cached_raw_values, cached_sql
from core.regions.models import District
from tests.conftest import database_kind

pytestmark = pytest.mark.skipif(
    database_kind() != "postgres",
    reason="a page size as a parameter costs a plan only on PostgreSQL "
    "(HEMEI_TEST_DATABASE=postgres)",
)


def parameterized(query) -> tuple[str, list]:
    query._choose_db_if_not_chosen()
    query._make_query()
    sql, params = query.query.get_parameterized_sql()
    return sql, list(params)


async def test_a_querys_page_size_is_written_as_a_number_and_its_filters_stay_parameters(orm):
    sql, params = parameterized(District.filter(code__not="x").order_by("id").limit(2).offset(1))
    assert sql.endswith(" LIMIT 2 OFFSET 1"), sql
    assert params == ["x"]
    every = [d.code for d in await District.all().order_by("id")]
    page = await District.filter(code__not="x").order_by("id").limit(2).offset(1)
    assert [d.code for d in page] == every[1:3]
    assert await District.all().order_by("id").first() is not None  # LIMIT 1, written


async def test_the_planners_kept_statements_write_page_sizes_as_numbers(orm):
    def build():
        return District.all().order_by("id").limit(2).offset(1).values("id", "code")

    sql, params = cached_sql(District, ("test-page",), build)
    assert sql.endswith(" LIMIT 2 OFFSET 1") and params == [], sql
    every = [r["code"] for r in await District.all().order_by("id").values("code")]
    page = await cached_raw_values(District, ("test-page",), build)
    assert [r["code"] for r in page] == every[1:3]


async def test_postgresql_keeps_one_plan_for_a_page(orm):
    sql, params = parameterized(District.all().order_by("-id").limit(3).values("id"))
    async with in_transaction() as connection:  # one connection: its prepared statements
        for _ in range(8):
            await connection.execute_query(sql, params)
        _, rows = await connection.execute_query(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
            [sql],
        )
    [row] = rows
    assert row["custom_plans"] == 0 and row["generic_plans"] >= 1, dict(row)
