"""A progress bar on the terminal for long commands (``hemei demo --scale city``, ``hemei
import``): each phase a line with its bar, count and time. Drawn on standard error, and only
when that is a terminal; elsewhere (CI, a log file) each phase prints one line when it ends."""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = ["ProgressBar"]


class ProgressBar:
    """A :class:`core.progress.Progress` drawn with rich. Use as a context manager."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(file=sys.stderr)
        self.live = self.console.is_terminal
        self.bar = Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            disable=not self.live,
        )
        self.task: TaskID | None = None
        self._label, self._total, self._done, self._started = "", 0, 0, 0.0

    def __enter__(self) -> ProgressBar:
        self.bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._finish()
        self.bar.stop()

    def phase(self, label: str, total: int) -> None:
        self._finish()
        self._label, self._total, self._done = label, total, 0
        self._started = time.perf_counter()
        self.task = self.bar.add_task(label, total=total)

    def advance(self, steps: int = 1) -> None:
        self._done += steps
        if self.task is not None:
            self.bar.advance(self.task, steps)

    def _finish(self) -> None:
        if self.task is None:
            return
        if self.live:
            self.bar.update(self.task, completed=self._total)
        else:
            seconds = time.perf_counter() - self._started
            counts = f"{self._done:,} of {self._total:,} " if self._total else ""
            self.console.print(f"{self._label}: {counts}in {seconds:.1f} s", highlight=False)
        self.task = None
