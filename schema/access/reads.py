"""Records each unmasked read of personal data, in one statement at the end of the request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from strawberry.extensions import SchemaExtension

from core.access.models import PersonalDataRead
from schema.context import Context


class PersonalDataReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        await record_unmasked_reads(self.execution_context.context)


async def record_unmasked_reads(context: Any) -> None:
    """Write the request's unmasked reads (``Context.unmasked_reads``) and forget them: once
    an operation has run, on every execution path."""
    if not isinstance(context, Context) or not context.unmasked_reads:
        return
    viewer = context.viewer_if_valid
    await PersonalDataRead.bulk_create(
        [
            PersonalDataRead(
                person_id=person_id,
                field=field,
                role=role,
                request_id=context.request_id,
                account_id=viewer.account_id if viewer else None,
            )
            for person_id, field, role in context.unmasked_reads
        ]
    )
    context.unmasked_reads.clear()
