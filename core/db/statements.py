"""Count the SQL statements a block of code runs: the measure of "no N+1" in tests and
benchmarks. Reads Tortoise's query log, so it sees every statement on every connection."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

_LOGGER = logging.getLogger("tortoise.db_client")
_SQL_STARTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@dataclass
class StatementLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


class _Collector(logging.Handler):
    def __init__(self, log: StatementLog) -> None:
        super().__init__(logging.DEBUG)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().lstrip()
        if text.upper().startswith(_SQL_STARTS):
            self.log.statements.append(text)


@contextmanager
def count_statements() -> Iterator[StatementLog]:
    """``with count_statements() as log: ...`` then ``log.count``."""
    log = StatementLog()
    handler = _Collector(log)
    previous, propagate = _LOGGER.level, _LOGGER.propagate
    _LOGGER.addHandler(handler)
    _LOGGER.setLevel(logging.DEBUG)
    _LOGGER.propagate = False  # the statements carry values (personal data): keep them here
    try:
        yield log
    finally:
        _LOGGER.removeHandler(handler)
        _LOGGER.setLevel(previous)
        _LOGGER.propagate = propagate
