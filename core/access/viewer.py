"""Who is asking: an account with the role grants of its person."""

from __future__ import annotations

from dataclasses import dataclass

from core.access.models import Account, RoleGrant

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


async def load_viewer(account_id: int) -> Viewer | None:
    """The viewer for an account id from a token, or None if the account is gone or disabled."""
    account = (
        await Account.filter(id=account_id, is_active=True)
        .first()
        .values("id", "person_id", "username", *(f"person__home_{c}" for c in _HOME))
    )
    if account is None:
        return None
    rows = (
        await RoleGrant.filter(person_id=account["person_id"])
        .order_by("id")
        .values(
            "role", "level", "district_id", "street_id", "community_id", "grid_id", "department_id"
        )
    )
    return Viewer(
        account_id=account["id"],
        person_id=account["person_id"],
        username=account["username"],
        grants=tuple(Grant(**row) for row in rows),
        home=Home(**{c: account[f"person__home_{c}"] for c in _HOME}),
    )
