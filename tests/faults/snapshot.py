"""Every table's row count and a checksum of its rows: "no row of any table changed" is
``await snapshot() == before``."""

from __future__ import annotations

import hashlib

from tortoise import Tortoise, connections


async def snapshot() -> dict[str, tuple[int, str]]:
    db = connections.get("default")
    postgres = db.capabilities.dialect == "postgres"
    tables = sorted(
        {model._meta.db_table for app in Tortoise.apps.values() for model in app.values()}
    )
    if postgres:
        # One statement, summed in the server: a round trip per table would be most of the time.
        parts = [
            f"SELECT '{table}' AS t, count(*) AS n, "
            f"md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS h FROM \"{table}\" r"
            for table in tables
        ]
        rows = await db.execute_query_dict(" UNION ALL ".join(parts))
        return {row["t"]: (row["n"], row["h"]) for row in rows}
    found: dict[str, tuple[int, str]] = {}
    for table in tables:
        rows = await db.execute_query_dict(f'SELECT * FROM "{table}"')
        text = sorted(repr(sorted(r.items())) for r in rows)
        found[table] = (len(rows), hashlib.md5("|".join(text).encode()).hexdigest())
    return found


def changed(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return [t for t in before.keys() | after.keys() if before.get(t) != after.get(t)]
