"""PostgreSQL ``timestamptz`` read as text (core/db/pg_timestamps.py): every value and every
parameter must come out exactly as asyncpg's own binary codec gives it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import asyncpg
import pytest
from tortoise import connections
from tortoise.exceptions import OperationalError

from core.people.models import Person

VALUES = [
    "2025-11-29 09:26:00+00",
    "2025-11-29 09:26:00.5+00",
    "2025-11-29 09:26:00.123456+08",
    "2025-11-29 09:26:00.000001-03:30",
    "0099-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "infinity",
    "-infinity",
]
PARAMETERS = [
    datetime(2025, 11, 29, 9, 26, tzinfo=UTC),
    datetime(2025, 11, 29, 17, 26, 0, 250000, tzinfo=timezone(timedelta(hours=8))),
    datetime(2025, 11, 29, 9, 26),  # naive: UTC
    date(2025, 11, 29),
]


@pytest.fixture
async def binary(orm: str):
    """A plain asyncpg connection, asyncpg's binary codec: the reference."""
    if connections.get("default").capabilities.dialect != "postgres":
        pytest.skip("timestamptz as text is a PostgreSQL matter (HEMEI_TEST_DATABASE=postgres)")
    connection = await asyncpg.connect(orm.replace("hemei-postgres", "postgres"))
    yield connection
    await connection.close()


async def fetch(connection, sql: str, *args):
    if isinstance(connection, asyncpg.Connection):
        return await connection.fetchrow(sql, *args)
    _, rows = await connection.execute_query(sql, list(args))
    return rows[0]


async def test_values_read_as_the_binary_codec_reads_them(binary):
    app = connections.get("default")
    for text in VALUES:
        sql = f"SELECT '{text}'::timestamptz AS at"
        expected, got = (await fetch(binary, sql))["at"], (await fetch(app, sql))["at"]
        assert got == expected and got.tzinfo == expected.tzinfo, text
        assert got.isoformat() == expected.isoformat(), text
        assert got.tzinfo in (UTC, None), text  # asyncpg: UTC, naive for the infinities


async def test_parameters_are_written_as_the_binary_codec_writes_them(binary):
    app = connections.get("default")
    for value in PARAMETERS:
        sql = "SELECT $1::timestamptz AS at, $1::timestamptz::text AS text"
        expected, got = await fetch(binary, sql, value), await fetch(app, sql, value)
        assert (got["at"], got["text"]) == (expected["at"], expected["text"]), value


async def test_a_parameter_of_another_type_is_refused(binary):
    with pytest.raises(OperationalError, match="datetime"):  # asyncpg's DataError, wrapped
        await connections.get("default").execute_query("SELECT $1::timestamptz", ["2025-11-29"])


async def test_the_orm_reads_and_writes_date_times_unchanged(binary):
    person = await Person.all().order_by("id").first()
    assert person is not None
    when = datetime(2025, 11, 29, 17, 26, 0, 250000, tzinfo=timezone(timedelta(hours=8)))
    await Person.filter(id=person.id).update(created_at=when)
    [row] = await binary.fetch('SELECT created_at FROM "person" WHERE id = $1', person.id)
    read = (await Person.get(id=person.id)).created_at
    assert read == row["created_at"] == when
    assert read.isoformat() == "2025-11-29T09:26:00.250000+00:00"
    await Person.filter(id=person.id).update(created_at=person.created_at)
