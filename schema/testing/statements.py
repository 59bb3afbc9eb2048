"""Count SQL statements, and prove a list field has no N+1."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from core.db.statements import StatementLog, count_statements


@dataclass(frozen=True)
class Statements:
    """``with statements.count() as log: ...; log.count`` counts what a block runs;
    :meth:`assert_flat` checks that a query costs the same for few rows and for many."""

    @contextmanager
    def count(self) -> Iterator[StatementLog]:
        with count_statements() as log:
            yield log

    async def assert_flat(
        self,
        run: Callable[[], Awaitable[Any]],
        grow: Callable[[int], Awaitable[Any]],
        few: int = 10,
        many: int = 100,
    ) -> int:
        """``grow(few)``, count ``run()``; ``grow(many - few)``, count again: the counts must
        be equal (a statement per row is an N+1). Returns the count."""
        await grow(few)
        with count_statements() as first:
            await run()
        await grow(many - few)
        with count_statements() as second:
            await run()
        assert first.count == second.count, (
            f"{first.count} SQL statements with {few} rows but {second.count} with {many}: "
            "a statement per row (load related data through a DataLoader)"
        )
        return first.count
