"""Plain data that plugins hand to core through the register hooks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.db.setup import ModelApp

if TYPE_CHECKING:
    from core.access.viewer import Grant
    from core.activation import Activation
    from core.regions.models import Community, District, Grid, Street

__all__ = ["DemoContext", "ModelApp", "RoleSpec"]


@dataclass(frozen=True)
class RoleSpec:
    """A role a plugin adds (e.g. canteen staff). ``name`` is UPPER_SNAKE and unique city-wide;
    ``scope`` is the level of the region tree a grant of the role is tied to."""

    name: str
    description: str
    scope: str = "community"


@dataclass
class DemoContext:
    """What ``load_demo_data`` implementations receive: the demo region tree just created,
    the active module switches (load data only where it makes sense), and a seeded random so
    that demo data is the same on every run."""

    activation: Activation
    districts: list[District] = field(default_factory=list)
    streets: list[Street] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    random: random.Random = field(default_factory=lambda: random.Random(721))

    async def grant_role(self, person_id: int, grant: Grant) -> None:
        """Give a demo person a role, e.g. a plugin's own (canteen staff, tutor, doctor)."""
        from core.access.grants import grant_columns
        from core.access.models import RoleGrant

        await RoleGrant.create(person_id=person_id, **grant_columns(grant))

    async def add_login(self, username: str, person_id: int) -> None:
        """A demo login for a person, with the password of core's demo logins (hemei-demo)."""
        from core.access.models import Account
        from core.access.passwords import hash_password
        from core.demo.people import DEMO_PASSWORD

        await Account.create(
            username=username, password_hash=hash_password(DEMO_PASSWORD), person_id=person_id
        )
