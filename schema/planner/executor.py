"""The graphql-core executor that hands each root field of a query to the planner.

graphql-core calls ``complete_value`` with what a field's resolver returned; for a root field
of a query whose whole selection the planner knows, this executor returns the planner's
finished subtree instead of letting graphql-core walk it. The root resolver itself runs as
always (its permission, argument bounds and scope apply unchanged).

``complete_value`` is graphql-core's private API (3.3): the version is pinned and
``tests/planner`` proves the hook runs.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLOutputType, OperationType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.planner.complete import complete, plannable
from schema.planner.values import Fallback


class PlanningExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with root query fields completed by the planner when it can."""

    planned_fields = 0
    """How many root fields the planner completed in this process (for tests and metrics)."""

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if (
            path.prev is None
            and return_type is info.return_type
            and result is not None
            and not isinstance(result, Exception)
            and self.operation.operation is OperationType.QUERY
            and getattr(self.context_value, "planner_enabled", False)
            and plannable(self, return_type, field_details_list)
        ):
            return self._planned(
                return_type, field_details_list, info, path, result, position_context
            )
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    async def _planned(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        try:
            [value] = await complete(self, return_type, field_details_list, [result])
        except Fallback:
            completed = super().complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
            return await completed if self.is_awaitable(completed) else completed
        PlanningExecutor.planned_fields += 1
        return value
