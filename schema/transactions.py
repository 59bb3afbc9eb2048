"""Every mutation runs in one database transaction: if the resolver, the module gate or any
later check raises, nothing the mutation wrote stays in the database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info
from tortoise.transactions import in_transaction


class TransactionExtension(FieldExtension):
    """Put on every root mutation field by the schema builder, outside every other extension."""

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        async with in_transaction():
            return await next_(source, info, **kwargs)
