"""Progress of long jobs (the city-scale demo, a large import), told to whoever shows it.

Core reports phases and steps; the command line draws them as a progress bar. Core itself
depends on no terminal library: a job takes any :class:`Progress` and defaults to
:data:`SILENT`.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["SILENT", "Progress"]


class Progress(Protocol):
    """Receives a job's progress: a phase with its number of steps, then steps done in it."""

    def phase(self, label: str, total: int) -> None:
        """A new phase begins, of ``total`` steps (rows, usually)."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more of the current phase are done."""


class _Silent:
    def phase(self, label: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


SILENT: Progress = _Silent()
"""Shows nothing: the default of every job that takes a progress."""
