"""From a worker's figures and a rubric to a score and a colour: pure, so a stored result can
be re-checked from its stored figures and rubric at any time."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.config.model import Rubric


class Colour(StrEnum):
    """The three-colour warning, plus GREEN for no warning."""

    GREEN = "GREEN"
    YELLOW = "YELLOW"
    ORANGE = "ORANGE"
    RED = "RED"


@dataclass(frozen=True)
class WorkerFigures:
    """What a worker did in a quarter, from the case records.

    ``handled``: cases the worker took a step on in the quarter. ``completed``: of those not
    rejected, the ones resolved or closed by the quarter's end. ``resolved``: of those, the ones
    last resolved within the quarter, ``on_time`` of them before their deadline. ``rated`` and
    ``rating_sum``: the handled cases the resident rated. ``complaints``: ratings at or below
    the rubric's ``complaint_max_rating``."""

    handled: int = 0
    rejected: int = 0
    completed: int = 0
    resolved: int = 0
    on_time: int = 0
    rated: int = 0
    rating_sum: int = 0
    complaints: int = 0

    @property
    def completion_rate(self) -> float | None:
        whole = self.handled - self.rejected
        return self.completed / whole if whole > 0 else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.resolved if self.resolved else None

    @property
    def satisfaction(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None

    def as_json(self) -> dict[str, Any]:
        return {
            "handled": self.handled, "rejected": self.rejected, "completed": self.completed,
            "resolved": self.resolved, "on_time": self.on_time, "rated": self.rated,
            "rating_sum": self.rating_sum, "complaints": self.complaints,
        }  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    colour: Colour
    score: float | None


def judge(figures: WorkerFigures, rubric: Rubric) -> Verdict:
    """The score and colour ``rubric`` gives ``figures`` (see ``Rubric`` for the rule)."""
    if figures.handled < rubric.min_cases:
        return Verdict(Colour(rubric.sparse_colour), None)
    satisfaction = figures.satisfaction
    parts = [
        (rubric.weight_completion_rate, figures.completion_rate),
        (rubric.weight_on_time_rate, figures.on_time_rate),
        (rubric.weight_satisfaction, (satisfaction - 1) / 4 if satisfaction is not None else None),
    ]
    known = [(weight, value) for weight, value in parts if value is not None and weight > 0]
    if not known:
        return Verdict(Colour(rubric.sparse_colour), None)
    mean = sum(weight * value for weight, value in known) / sum(weight for weight, _ in known)
    score = round(min(max(100 * mean - rubric.complaint_penalty * figures.complaints, 0), 100), 2)
    if score >= rubric.green_from:
        colour = Colour.GREEN
    elif score >= rubric.yellow_from:
        colour = Colour.YELLOW
    elif score >= rubric.orange_from:
        colour = Colour.ORANGE
    else:
        colour = Colour.RED
    return Verdict(colour, score)
