"""Statements kept by their makings: the same key serves the same rows without building the
query again; any difference in what the query is made of is another key."""

from __future__ import annotations

from tortoise.expressions import Q

from core.db.rows import cached_raw_values, q_key
from core.regions.models import District


def test_filters_that_make_other_sql_or_parameters_have_other_keys():
    assert q_key(Q(code="gongnong")) == q_key(Q(code="gongnong"))
    assert q_key(Q(code="gongnong")) != q_key(Q(code="nanshan"))
    assert q_key(Q(id=1)) != q_key(Q(id=True)), "equal in Python, not to the database"
    assert q_key(Q(code="a") | Q(code="b")) != q_key(Q(code="a") & Q(code="b"))
    assert q_key(~Q(code="a")) != q_key(Q(code="a"))
    assert q_key(Q(id__in=[1, 2])) != q_key(Q(id__in=[2, 1]))


async def test_a_kept_statement_answers_without_building_the_query(orm):
    built: list[str] = []

    def query(code: str):
        def build():
            built.append(code)
            return District.filter(code=code).values("id", "code")

        return build

    first = await cached_raw_values(District, ("test-cached", "gongnong"), query("gongnong"))
    again = await cached_raw_values(District, ("test-cached", "gongnong"), query("gongnong"))
    other = await cached_raw_values(District, ("test-cached", "nanshan"), query("nanshan"))
    assert [r["code"] for r in first] == [r["code"] for r in again] == ["gongnong"]
    assert [r["code"] for r in other] == ["nanshan"]
    assert built == ["gongnong", "nanshan"]

    unhashable = await cached_raw_values(District, ("test-cached", ["x"]), query("nanshan"))
    assert [r["code"] for r in unhashable] == ["nanshan"]
    assert built == ["gongnong", "nanshan", "nanshan"], "an unhashable key builds every time"


async def test_a_kept_page_reads_the_rows_of_its_page(orm):
    # On both databases; what PostgreSQL's statement text holds is tests/core/test_postgres_paging.
    def build():
        return District.all().order_by("id").limit(2).offset(1).values("id", "code")

    every = [r["code"] for r in await District.all().order_by("id").values("code")]
    for _ in range(2):  # built, then kept
        page = await cached_raw_values(District, ("test-page-rows",), build)
        assert [r["code"] for r in page] == every[1:3]
