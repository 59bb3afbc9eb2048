"""What a dashboard figure is: a stable key, labels, a definition and how to compute it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.stats.scope import PlaceScope


class Unit(StrEnum):
    """What a dashboard figure is measured in: a COUNT, a RATE (a share), a RATING or YUAN."""

    COUNT = "COUNT"
    RATE = "RATE"
    """A share between 0 and 1."""
    RATING = "RATING"
    """A mean rating, 1–5."""
    YUAN = "YUAN"


Compute = Callable[[PlaceScope, datetime, datetime], Awaitable[float | None]]
"""Computes a figure for a place over [start, end); None when it does not apply or has no
data there (a rate over nothing)."""


@dataclass(frozen=True)
class FigureSpec:
    """One dashboard figure. ``key`` is stable (frontends and exports rely on it); a plugin's
    keys start with its name and a dot. ``stock`` figures (how many grids there are) describe
    the end of the period rather than what happened in it. ``module`` is set for a plugin's
    figure: it is shown only where that module is on."""

    key: str
    label: str
    label_en: str
    definition: str
    unit: Unit
    compute: Compute
    stock: bool = False
    module: str | None = None
