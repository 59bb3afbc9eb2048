"""Every mutation runs in one database transaction and leaves a record.

If the resolver, a permission, the module gate or any later check raises, nothing the mutation
wrote stays in the database. A mutation that succeeds writes one audit record in the same
transaction; one refused with an expected error writes a security event once the refused work
has been rolled back (so it stays, and login lockout can count it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info
from tortoise.transactions import in_transaction

from core.access.audit import AuditNote, write_audit, write_security_event
from core.errors import HemeiError
from schema.context import Context


class TransactionExtension(FieldExtension):
    """Put on every root mutation field by the schema builder, outside every other extension."""

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        context: Context = info.context
        note = context.audit = AuditNote(action=info.field_name)
        note.summary = {"arguments": sorted(kwargs)}
        try:
            async with in_transaction():
                result = await next_(source, info, **kwargs)
                await write_audit(note, context.viewer_if_valid, context.request_id)
            # It may have changed someone's grants, account or home.
            await context.forget_viewers()
            if context.outbox_wake is not None:
                context.outbox_wake.set()  # deliver the events this mutation wrote now
            return result
        except HemeiError as error:
            await write_security_event(
                note, context.viewer_if_valid, error, context.request_id, context.client
            )
            raise
        finally:
            context.audit = None
