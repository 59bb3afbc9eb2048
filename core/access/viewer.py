"""Who is asking: an account with the role grants of its person."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from tortoise import connections

from core.access.models import Account

PLACE_LEVELS = ("district", "street", "community", "grid")


@dataclass(frozen=True)
class Grant:
    """One role at one place. ``level`` is city, district, street, community, grid,
    department or self; the ids of the place and of the places above it are set."""

    role: str
    level: str
    district_id: int | None = None
    street_id: int | None = None
    community_id: int | None = None
    grid_id: int | None = None
    department_id: int | None = None

    def place_id(self, level: str) -> int | None:
        """The id of this grant's place (or its ancestor) at ``level``."""
        return getattr(self, f"{level}_id", None)

    def describe(self) -> str:
        if self.level in ("city", "self"):
            return f"{self.role}@{self.level}"
        return f"{self.role}@{self.level}:{self.place_id(self.level)}"


@dataclass(frozen=True)
class Home:
    """Where the viewer's person lives (their home compound and the places above it); all None
    for someone without a home. Rules that admit "the residents of a place" read it."""

    district_id: int | None = None
    street_id: int | None = None
    community_id: int | None = None
    grid_id: int | None = None
    compound_id: int | None = None

    def place_id(self, level: str) -> int | None:
        return getattr(self, f"{level}_id", None)


_HOME = ("district_id", "street_id", "community_id", "grid_id", "compound_id")


@dataclass(frozen=True)
class Viewer:
    """A signed-in account. Access is the union of its grants (and, where a rule says so, the
    place where its person lives)."""

    account_id: int
    person_id: int
    username: str
    grants: tuple[Grant, ...]
    home: Home = Home()

    def with_role(self, *roles: str) -> list[Grant]:
        return [g for g in self.grants if g.role in roles]

    # A viewer keys the statements kept for it (core.db.rows.cached_sql) on every read: hashing
    # the account, its grants and its home anew was ~70 of a read by id's 5,100 bytecodes.
    # The fields are frozen, so the hash is worked out once.
    @cached_property
    def _hash(self) -> int:
        return hash((self.account_id, self.person_id, self.username, self.grants, self.home))

    def __hash__(self) -> int:
        return self._hash

    def __getstate__(self) -> dict[str, Any]:
        # A string's hash differs between processes: a copied viewer works its own out.
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}


_GRANT_COLUMNS = (
    "role",
    "level",
    "district_id",
    "street_id",
    "community_id",
    "grid_id",
    "department_id",
)

# One statement for the account, its person's home and its grants: every request with a token
# runs it, and it was two ORM queries (two round trips and a query builder each) that cost as
# much as the rest of a small read. An account without grants still gives one row (LEFT JOIN).
_VIEWER_SQL = (
    "SELECT a.id, a.person_id, a.username, "
    + ", ".join(f"p.home_{c} AS home_{c}" for c in _HOME)
    + ", "
    + ", ".join(f"g.{c} AS grant_{c}" for c in _GRANT_COLUMNS)
    + ' FROM "account" a JOIN "person" p ON p.id = a.person_id'
    ' LEFT JOIN "role_grant" g ON g.person_id = a.person_id'
    " WHERE a.id = {mark} AND a.is_active ORDER BY g.id"
)


async def load_viewer(account_id: int) -> Viewer | None:
    """The viewer for an account id from a token, or None if the account is gone or disabled."""
    client = connections.get(Account._meta.default_connection or "default")
    mark = "$1" if client.capabilities.dialect == "postgres" else "?"
    _, rows = await client.execute_query(_VIEWER_SQL.format(mark=mark), [account_id])
    if not rows:
        return None
    first = rows[0]
    grants = tuple(
        Grant(**{c: row[f"grant_{c}"] for c in _GRANT_COLUMNS})
        for row in rows
        if row["grant_role"] is not None
    )
    return Viewer(
        account_id=first["id"],
        person_id=first["person_id"],
        username=first["username"],
        grants=grants,
        home=Home(**{c: first[f"home_{c}"] for c in _HOME}),
    )
