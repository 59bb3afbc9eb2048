"""The one error a bad config file raises, naming the file, the key and what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class ConfigError(Exception):
    """A config file that cannot be used. ``problems`` are ``(dotted.key, message)`` pairs."""

    def __init__(self, path: Path | str, problems: Sequence[tuple[str, str]]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        lines = [
            f"{self.path}: {key}: {message}" if key else f"{self.path}: {message}"
            for key, message in self.problems
        ]
        super().__init__("invalid config\n  " + "\n  ".join(lines))
