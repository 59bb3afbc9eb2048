"""Plain data that plugins hand to core through the register hooks."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from core.db.setup import ModelApp
from core.progress import SILENT, Progress

if TYPE_CHECKING:
    from core.access.viewer import Grant
    from core.activation import Activation
    from core.demo.city.ladder import DemoCase, DemoCaseResult, LadderWriter
    from core.regions.models import Community, Compound, District, Grid, Street

Scale = Literal["town", "city"]
"""``town``: the quick demo (16 streets, 96 grids); ``city``: Hegang at the article's scale."""

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
    that demo data is the same on every run.

    ``scale`` says which demo is being made: ``town`` must stay quick (a few rows per place),
    ``city`` is Hegang at the article's scale (make the module's numbers from the article,
    insert with ``bulk_create``, and tell ``progress`` about long phases). ``fake`` is a seeded
    Faker (zh_CN) for realistic names and addresses; ``now`` is the demo's clock;
    :meth:`add_cases` writes cases with a plausible history."""

    activation: Activation
    districts: list[District] = field(default_factory=list)
    streets: list[Street] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    random: random.Random = field(default_factory=lambda: random.Random(721))
    scale: Scale = "town"
    compounds: list[Compound] = field(default_factory=list)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    fake: Any = None
    """A ``faker.Faker("zh_CN")`` seeded like ``random`` (``None`` at town scale)."""
    progress: Progress = SILENT
    ladder: LadderWriter | None = None
    """Writes :meth:`add_cases`; made on first use when the demo loader gave none."""

    async def add_cases(self, cases: Sequence[DemoCase]) -> list[DemoCaseResult]:
        """Write demo cases (``core.DemoCase``) with their history on the ladder up to
        ``now``: steps by the people holding the roles at the case's place, departments,
        consultations, ratings. Returns each case's id and how it stands, in order (a rider
        module awards the points its reports earned from ``accepted_at`` and ``resolved_at``).
        No case events are sent: the demo's past is not news to other modules."""
        if self.ladder is None:
            from core.cases.categories import CORE_CATEGORIES
            from core.demo.city.ladder import LadderWriter

            categories = {c.code: c for c in CORE_CATEGORIES}
            self.ladder = LadderWriter(
                self.activation.config.cases, categories, self.random, self.now
            )
        return await self.ladder.write(cases, self.progress)

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
