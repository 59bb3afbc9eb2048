"""Dashboard figures in GraphQL: a figure's value with its key, labels and definition."""

from __future__ import annotations

from datetime import datetime

import strawberry

from core.stats.figures import FigureSpec, Unit
from core.stats.periods import Interval

strawberry.enum(Unit, name="StatUnit", description="What a figure's value counts or measures.")
strawberry.enum(Interval, name="SeriesInterval", description="The width of a series' points.")


@strawberry.type(description="A dashboard figure: what it is, and how it is defined.")
class StatDefinition:
    key: str = strawberry.field(description="Stable key, e.g. cases.completion_rate.")
    label: str = strawberry.field(description="Chinese label, e.g. 办结率.")
    label_en: str = strawberry.field(description="English label.")
    definition: str = strawberry.field(description="Exactly what is counted or measured.")
    unit: Unit = strawberry.field(description="COUNT, RATE (0–1), RATING (1–5) or YUAN.")
    stock: bool = strawberry.field(
        description="True for a figure about the end of the period (how many grids there are), "
        "false for what happened in it."
    )
    module: str | None = strawberry.field(description="The module it belongs to, if any.")


@strawberry.type(description="A dashboard figure's value over a period.")
class Stat(StatDefinition):
    value: float | None = strawberry.field(
        description="The value; null when there is nothing to measure (a rate over nothing)."
    )


@strawberry.type(description="One point of a time series.")
class SeriesPoint:
    start: datetime = strawberry.field(description="Start of the bucket (UTC).")
    end: datetime = strawberry.field(description="End of the bucket, exclusive (UTC).")
    value: float | None = strawberry.field(description="The figure over the bucket.")


def definition_fields(spec: FigureSpec) -> dict[str, object]:
    return {
        "key": spec.key, "label": spec.label, "label_en": spec.label_en,
        "definition": spec.definition, "unit": spec.unit, "stock": spec.stock,
        "module": spec.module,
    }  # fmt: skip
