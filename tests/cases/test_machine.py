"""The ladder's state machine, checked by random action sequences (hypothesis stateful)."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from core.cases.machine import FINAL, OPEN, Action, CaseState, Level, Status, allowed_actions, apply
from core.errors import BadUserInput

LEVELS = list(Level)


class Ladder(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = CaseState()
        self.history: list[CaseState] = [self.state]

    @rule(action=st.sampled_from(list(Action)), rating=st.one_of(st.none(), st.integers(-1, 7)))
    def act(self, action: Action, rating: int | None) -> None:
        before = self.state
        allowed = allowed_actions(before)
        if action not in allowed:
            with pytest.raises(BadUserInput) as refused:
                apply(before, action, rating)
            assert refused.value.details["allowed"] == [a.value for a in allowed]
            return
        if action == Action.RATE and (rating is None or not 1 <= rating <= 5):
            with pytest.raises(BadUserInput):
                apply(before, action, rating)
            return
        after = apply(before, action, rating)
        # Levels climb one step at a time, and only by escalation or a low rating.
        step = LEVELS.index(after.level) - LEVELS.index(before.level)
        assert step in (0, 1)
        if step == 1:
            assert action == Action.ESCALATE or (
                action == Action.RATE and rating is not None and rating <= 2
            )
        if action == Action.RATE:
            assert after.status == (
                Status.REOPENED if rating is not None and rating <= 2 else Status.CLOSED
            )
        if action == Action.RESOLVE and before.level == Level.STREET:
            assert before.consulted, "STREET resolves only after a consultation"
        self.state = after
        self.history.append(after)

    @invariant()
    def valid(self) -> None:
        assert self.state.status in Status and self.state.level in Level
        if self.state.status in FINAL:
            assert allowed_actions(self.state) == [], "final states allow nothing"
        else:
            assert allowed_actions(self.state), "a case that is not final can always move"
        if self.state.consulted:
            assert self.state.level == Level.STREET
        if self.state.status in OPEN and self.state.level != Level.STREET:
            assert Action.ESCALATE in allowed_actions(self.state)


TestLadder = Ladder.TestCase
TestLadder.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)


def test_the_article_path():
    state = CaseState()
    path = [
        (Action.ACCEPT, None),
        (Action.ESCALATE, None),
        (Action.ACCEPT, None),
        (Action.ESCALATE, None),
        (Action.ACCEPT, None),
        (Action.ESCALATE, None),
        (Action.ACCEPT, None),
        (Action.CONSULT, None),
        (Action.RESOLVE, None),
        (Action.RATE, 2),
        (Action.ACCEPT, None),
        (Action.START, None),
        (Action.CONSULT, None),
        (Action.RESOLVE, None),
        (Action.RATE, 5),
    ]
    for action, rating in path:
        state = apply(state, action, rating)
    assert state == CaseState(level=Level.STREET, status=Status.CLOSED, consulted=True)


def test_refusal_lists_the_allowed_actions():
    with pytest.raises(BadUserInput) as refused:
        apply(CaseState(), Action.RESOLVE)
    assert refused.value.details["allowed"] == ["ACCEPT", "ESCALATE", "REJECT"]
    assert "possible now: ACCEPT, ESCALATE, REJECT" in refused.value.message
