"""Access tokens: a checked token is remembered, but never past its expiry or under another key."""

from __future__ import annotations

import time
from datetime import timedelta

from core.access.tokens import TokenService


def test_a_remembered_token_still_expires():
    service = TokenService(key="k" * 48, lifetime=timedelta(seconds=2))
    token, _ = service.issue(7)
    assert service.account_id(token) == 7
    assert service.account_id(token) == 7, "remembered"
    time.sleep(2.1)  # JWT expiry has whole seconds
    assert service.account_id(token) is None, "expired, though it was remembered"


def test_a_token_is_not_remembered_across_keys_or_when_tampered():
    one = TokenService(key="a" * 48, lifetime=timedelta(minutes=5))
    other = TokenService(key="b" * 48, lifetime=timedelta(minutes=5))
    token, _ = one.issue(3)
    assert one.account_id(token) == 3
    assert other.account_id(token) is None
    assert one.account_id(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
