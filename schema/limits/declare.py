"""How a field declares its cost (read by :mod:`schema.limits.costs`)."""

from __future__ import annotations

from dataclasses import dataclass

COST_KEY = "hemei.cost"


@dataclass(frozen=True)
class Cost:
    """A field's declared cost: ``weight`` its own (instead of its kind's), ``size`` how many
    items a list may hold (the cap on ``first`` where it has one), ``argument`` the integer
    argument that says how many it holds when it is not ``first`` (e.g. ``days``)."""

    weight: int | None = None
    size: int | None = None
    argument: str | None = None

    def __post_init__(self) -> None:
        if (self.weight is not None and self.weight < 0) or (
            self.size is not None and self.size < 0
        ):
            raise ValueError("a cost's weight and size are not negative")


def cost(
    *, weight: int | None = None, size: int | None = None, argument: str | None = None
) -> dict[str, Cost]:
    """``metadata`` for ``strawberry.field`` declaring what the field costs (see
    :mod:`schema.limits.costs`): ``metadata=cost(size=10)`` on a list of at most 10 objects,
    ``metadata=cost(size=31, argument="days")`` on one of ``days`` items, at most 31."""
    return {COST_KEY: Cost(weight=weight, size=size, argument=argument)}
