"""Rows the database and Hemei must write alike (shared by the JSON-writing tests)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from core.cases.models import Case
from tests.cases.test_ladder_api import report

# Text PostgreSQL and orjson must escape alike: quotes, backslashes, control characters,
# characters beyond ASCII (written as they are), and what HTML would care about.
TITLES = (
    'a "quoted" \\ title',
    "line\nbreak\ttab\rreturn\x01\x1f\x7f",
    "楼道下水管堵塞 😀 é",
    "</script><b>&amp;",
)


@pytest.fixture
async def tricky_cases(api) -> list[int]:
    """Ids of cases (reported by resident_xinhong) with :data:`TITLES`, and due dates and
    ratings of every form."""
    resident = await (await api()).signed_in("resident_xinhong")
    ids = []
    for i in range(len(TITLES)):
        case = await report(resident, title=f"placeholder {i}")
        ids.append(int(base64.b64decode(case["id"]).decode().split(":", 1)[1]))
    # Written behind the API: the report form refuses control characters, but rows written
    # by an import or an older version may hold them.
    due = (
        datetime(2026, 12, 1, 8, 30, 0, tzinfo=UTC),  # whole seconds: no fraction written
        datetime(2026, 12, 1, 8, 30, 0, 120000, tzinfo=UTC),  # trailing zeros kept
        datetime(1999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        None,
    )
    for key, title, due_at, rating in zip(ids, TITLES, due, (5, None, 1, None), strict=True):
        await Case.filter(id=key).update(
            title=title, due_at=due_at, rating=rating, closed_without_rating=rating is None
        )
    return ids
