"""Plain data that plugins hand to core through the register hooks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.db.setup import ModelApp

if TYPE_CHECKING:
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
