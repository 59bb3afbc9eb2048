"""Live updates of cases over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from core.cases import models
from core.cases.rules import CASE_SCOPE
from schema.access.permissions import IsAuthenticated
from schema.cases.types import CASE, Case
from schema.context import Context
from schema.ids import key_of


async def fresh_case(case_id: int) -> Case | None:
    row = await models.Case.filter(id=case_id).first().values(*CASE.columns)
    if row is None:
        return None
    case = CASE.build(row)
    assert CASE.enrich is not None
    await CASE.enrich([case])
    return case


@strawberry.type
class CaseSubscription:
    @strawberry.subscription(
        description="The case as it is after each change: every case you may see, or one.",
        permission_classes=[IsAuthenticated],
    )
    async def case_updated(
        self, info: Info, case_id: strawberry.ID | None = None
    ) -> AsyncGenerator[Case, None]:
        context: Context = info.context
        wanted = key_of(case_id, "Case", what="case") if case_id is not None else None
        assert context.broker is not None
        async with context.broker.subscribe() as events:
            while True:
                event = await events.get()
                if wanted is not None and event.case_id != wanted:
                    continue
                case = await fresh_case(event.case_id)
                if case is None or not CASE_SCOPE.admits(context.viewer, vars(case)):
                    continue
                # A connection lives long: each event is read with fresh loaders.
                context.forget_loaders()
                yield case
