"""Records each unmasked read of personal data, in one statement at the end of the request."""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from core.access.models import PersonalDataRead
from schema.context import Context


class PersonalDataReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
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
