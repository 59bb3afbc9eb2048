"""PostgreSQL ``timestamptz`` values travel as text and are read by ``datetime.fromisoformat``.

asyncpg decodes the binary form by adding a ``timedelta`` built with keyword arguments to its
epoch: ~540 ns a value against ~160 ns for the text form read by ``fromisoformat`` (C, and
since Python 3.11 it reads PostgreSQL's ISO output). A page of cases carries a date-time or
more a row; for ``cases(first: 100)`` the binary decoding was an eighth of the request.

The text form depends on the session: each connection is opened with ``TimeZone`` UTC and
``DateStyle`` ISO (forced, whatever the URL says), so every value reads back as the same
aware UTC ``datetime`` the binary form gave, ``tzinfo`` and all. Parameters are written with
``isoformat()``; a naive ``datetime`` means UTC, as before. Registering the codec costs each
new connection one introspection statement, once. ``infinity`` and ``-infinity``
read as asyncpg reads them (the largest and smallest naive ``datetime``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import asyncpg

SESSION_SETTINGS = {"TimeZone": "UTC", "DateStyle": "ISO"}
"""Server settings of every connection: the text form of ``timestamptz`` depends on them."""


class _Timestamps(dict[str, datetime]):
    """The infinities (naive, as asyncpg reads them), and any other text read by
    ``fromisoformat`` as a missing key: a look-up and a call in C, with no Python frame (a
    function wrapping ``fromisoformat`` tripled the cost of each value, a twelfth of a large
    read)."""

    __missing__ = staticmethod(datetime.fromisoformat)


decode_timestamptz: Callable[[str], datetime] = _Timestamps(
    {"infinity": datetime.max, "-infinity": datetime.min}
).__getitem__
"""A ``timestamptz`` in PostgreSQL's ISO text form (in a UTC session) as a ``datetime``;
``ValueError`` for text that is neither."""


def encode_timestamptz(value: Any) -> str:
    """A ``datetime`` (or ``date``) parameter in a form PostgreSQL reads; anything else is
    refused as asyncpg's binary encoder refuses it."""
    if isinstance(value, date):  # datetime is a date
        return value.isoformat()
    raise TypeError(f"expected a datetime.datetime or datetime.date, got {type(value).__name__}")


async def read_timestamps_as_text(connection: asyncpg.Connection) -> None:
    """Make ``connection`` exchange ``timestamptz`` values as text (see the module's text)."""
    await connection.set_type_codec(
        "timestamptz",
        schema="pg_catalog",
        encoder=encode_timestamptz,
        decoder=decode_timestamptz,
        format="text",
    )
