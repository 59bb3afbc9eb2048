"""Every colour of the rubric, from figures whose scores are worked out by hand."""

from __future__ import annotations

import pytest

from core.assessment.scoring import Colour, WorkerFigures, judge
from core.config.model import Rubric

RUBRIC = Rubric()  # weights 0.4 / 0.3 / 0.3, penalty 5, GREEN ≥ 85, YELLOW ≥ 70, ORANGE ≥ 60


@pytest.mark.parametrize(
    ("figures", "score", "colour"),
    [
        # 10 handled, all completed and on time, mean rating 5: 100 → GREEN
        (WorkerFigures(handled=10, completed=10, resolved=10, on_time=10, rated=10,
                       rating_sum=50), 100.0, Colour.GREEN),
        # completion 0.8, on time 0.75, rating 4 → 0.75: 100·(0.32+0.225+0.225) = 77 → YELLOW
        (WorkerFigures(handled=10, completed=8, resolved=8, on_time=6, rated=5, rating_sum=20),
         77.0, Colour.YELLOW),
        # as above with two complaints: 77 − 10 = 67 → ORANGE
        (WorkerFigures(handled=10, completed=8, resolved=8, on_time=6, rated=5, rating_sum=20,
                       complaints=2), 67.0, Colour.ORANGE),
        # completion 0.5, on time 0.5, rating 2 → 0.25: 100·(0.2+0.15+0.075) = 42.5 → RED
        (WorkerFigures(handled=4, completed=2, resolved=2, on_time=1, rated=2, rating_sum=4),
         42.5, Colour.RED),
        # nothing rated: the weights of the known rates only, 100·(0.4·1+0.3·0)/0.7 = 57.14
        (WorkerFigures(handled=3, completed=3, resolved=3, on_time=0), 57.14, Colour.RED),
        # too few cases: the sparse colour, no score
        (WorkerFigures(handled=2, completed=2, resolved=2, on_time=2), None, Colour.YELLOW),
    ],
)  # fmt: skip
def test_each_colour(figures, score, colour):
    verdict = judge(figures, RUBRIC)
    assert (verdict.score, verdict.colour) == (score, colour)


def test_a_rubric_that_contradicts_itself_is_refused():
    with pytest.raises(ValueError, match="thresholds"):
        Rubric(green_from=50, yellow_from=70)
