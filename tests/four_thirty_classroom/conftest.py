"""Fixtures of the classroom tests."""

from tests.four_thirty_classroom.support import clock

__all__ = ["clock"]
