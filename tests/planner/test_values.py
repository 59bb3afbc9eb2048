"""Leaves serialised in bulk give what the scalar's own serialiser gives, value for value."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import strawberry
from hypothesis import given
from hypothesis import strategies as st

from core.plugins.host import build_plugin_host
from schema.builder import build_schema
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
