"""Fixtures of the canteen tests."""

from tests.elderly_canteen.support import clock

__all__ = ["clock"]
