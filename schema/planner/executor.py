"""The graphql-core executor that hands each root field of a query to the planner.

graphql-core calls ``complete_value`` with what a field's resolver returned; for a root field
of a query whose whole selection the planner knows, this executor returns the planner's
finished subtree instead of letting graphql-core walk it. The root resolver itself runs as
always (its permission, argument bounds and scope apply unchanged).

``complete_value`` is graphql-core's private API (3.3): the version is pinned and
``tests/planner`` proves the hook runs.
"""

from __future__ import annotations

import weakref
from typing import Any

from graphql import (
    GraphQLOutputType,
    GraphQLResolveInfoHelpers,
    OperationType,
    is_abstract_type,
    is_non_null_type,
    is_object_type,
)
from orjson import Fragment
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.planner.complete import complete, plannable
from schema.planner.json_rows import WrittenPage
from schema.planner.values import Fallback


class PlanningExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with root query fields completed by the planner when it can."""

    planned_fields = 0
    """How many root fields the planner completed in this process (for tests and metrics)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core's helpers hold this executor's bound methods, which hold the executor:
        # a reference cycle that kept each request's executor, context, request and response
        # alive until the collector found them (38 objects a request; under load a young
        # collection of ~80,000 of them took 130-150 ms while every request waited). Through
        # a weak reference the request is freed by reference counting as it ends.
        self.async_helpers = _helpers_of(weakref.ref(self))

    def execute_field(
        self,
        parent_type: Any,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        if path.prev is None and self._may_plan():
            # For the root resolver that reads a list: which columns the planner will use.
            self.context_value.root_selections[path.key] = (self, field_details_list)
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _may_plan(self) -> bool:
        return self.operation.operation is OperationType.QUERY and getattr(
            self.context_value, "planner_enabled", False
        )

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if result.__class__ is WrittenPage:  # a root list the database wrote for the planner
            PlanningExecutor.planned_fields += 1
            return Fragment(result.text)
        if (
            path.prev is None
            and return_type is info.return_type
            and result is not None
            and not isinstance(result, Exception)
            and self._may_plan()
        ):
            planned_as = self._runtime_type(return_type, info, result)
            if planned_as is not None and plannable(self, planned_as, field_details_list):
                return self._planned(
                    planned_as, return_type, field_details_list, info, path, result,
                    position_context,
                )  # fmt: skip
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _runtime_type(self, return_type: Any, info: Any, result: Any) -> Any:
        """The type to plan ``result`` as: ``return_type`` itself, or for an interface or
        union (``node(id:)``) the object type graphql-core would resolve it to, checked as
        graphql-core checks it; ``None`` when that takes I/O or is not a valid object type
        (graphql-core then completes it, and reports what is wrong)."""
        named = return_type.of_type if is_non_null_type(return_type) else return_type
        if not is_abstract_type(named):
            return return_type
        resolve = named.resolve_type or self.type_resolver
        name = resolve(result, info, named)
        runtime = self.schema.get_type(name) if isinstance(name, str) else None
        if not is_object_type(runtime) or not self.schema.is_sub_type(named, runtime):
            return None
        if runtime.is_type_of is not None and runtime.is_type_of(result, info) is not True:
            return None
        return runtime

    async def _planned(
        self,
        planned_as: GraphQLOutputType,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        try:
            [value] = await complete(self, planned_as, field_details_list, [result])
        except Fallback:
            completed = super().complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
            return await completed if self.is_awaitable(completed) else completed
        PlanningExecutor.planned_fields += 1
        return value


def _helpers_of(executor: weakref.ref[PlanningExecutor]) -> GraphQLResolveInfoHelpers:
    """The executor's ``gather_async_work`` and ``track_async_work``, reached through
    ``executor`` (a weak reference: resolvers only call them while it runs)."""

    def gather(values: Any) -> Any:
        return _alive(executor).gather_async_work(values)

    def track(values: Any) -> None:
        _alive(executor).track_async_work(values)

    return GraphQLResolveInfoHelpers(gather=gather, track=track)


def _alive(executor: weakref.ref[PlanningExecutor]) -> PlanningExecutor:
    found = executor()
    if found is None:  # a resolver kept its info past the operation's end
        raise RuntimeError("the operation this resolver ran in has ended")
    return found
