"""Leaves serialised in bulk give what the scalar's own serialiser gives, value for value."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import strawberry
from graphql import GraphQLInt
from hypothesis import given
from hypothesis import strategies as st
from strawberry.relay import GlobalID

from core.plugins.host import build_plugin_host
from schema.builder import build_schema
from schema.planner import readers
from schema.planner.readers import global_ids
from schema.planner.values import Fallback, serialised


@strawberry.type
class Dates:
    day: date


@pytest.fixture(scope="module")
def scalars():
    """Hemei's DateTime, and strawberry's Date (which no core field uses yet)."""
    hemei = build_schema(build_plugin_host([])).schema._schema
    return hemei.get_type("DateTime"), strawberry.Schema(Dates)._schema.get_type("Date")


def one_by_one(leaf, values):
    return [leaf.coerce_output_value(v) for v in values]


UTC_TIMES = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
NAIVE_TIMES = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1))


@given(values=st.lists(st.one_of(UTC_TIMES, NAIVE_TIMES), min_size=1, max_size=50))
def test_date_times_naive_or_in_utc_are_written_as_isoformat_writes_them(scalars, values):
    date_time, _ = scalars
    assert serialised(date_time, values) == one_by_one(date_time, values)


@given(values=st.lists(st.dates(min_value=date(1900, 1, 1)), min_size=1, max_size=50))
def test_dates_are_written_as_isoformat_writes_them(scalars, values):
    _, date_type = scalars
    assert serialised(date_type, values) == one_by_one(date_type, values)


def test_other_zones_and_mixed_values_take_the_serialiser_itself(scalars):
    date_time, _ = scalars
    beijing = timezone(timedelta(hours=8), "CST")
    values = [
        datetime(2026, 11, 28, 9, 30, tzinfo=UTC),
        datetime(2026, 11, 28, 17, 30, 0, 5, tzinfo=beijing),
        date(2026, 11, 28),
    ]
    assert serialised(date_time, values) == [
        "2026-11-28T09:30:00+00:00",
        "2026-11-28T17:30:00.000005+08:00",
        "2026-11-28",
    ]


def test_a_value_the_scalar_cannot_serialise_falls_back_to_graphql_core(scalars):
    date_time, _ = scalars
    with pytest.raises(Fallback):
        serialised(date_time, [datetime(2026, 1, 1, tzinfo=UTC), 17])


@given(values=st.lists(st.integers(min_value=-(2**33), max_value=2**33), max_size=20))
def test_ints_pass_unchanged_only_within_graphqls_32_bits(values):
    if all(-(2**31) <= v < 2**31 for v in values):
        assert serialised(GraphQLInt, values) == values
    else:
        with pytest.raises(Fallback):  # graphql-core reports the value at its own path
            serialised(GraphQLInt, values)


def test_booleans_are_not_taken_for_ints():
    # True is an int to Python; graphql-core's Int serialises it as 1.
    assert serialised(GraphQLInt, [1, True]) == [1, 1]


@given(ids=st.lists(st.integers(min_value=1, max_value=10**9) | st.text(min_size=1), max_size=30))
def test_remembered_global_ids_are_strawberrys_own(ids):
    expected = [str(GlobalID("Case", str(i))) for i in ids]
    assert global_ids("Case", ids) == expected
    assert global_ids("Case", ids) == expected  # the second time from memory


def test_global_ids_remembered_are_bounded(monkeypatch):
    monkeypatch.setattr(readers, "GLOBAL_IDS_KEPT", 10)
    for start in range(0, 100, 7):
        global_ids("Grid", list(range(start, start + 7)))
    assert len(readers._GLOBAL_IDS["Grid"]) <= 10 + 7
