"""Complete a selection over objects level by level: every field of a level for all its objects
at once, every declared relation as one batched read, leaves coerced by the schema's own
scalars. What graphql-core would do field by field, for each object, with a resolver call and
an awaitable each.

Anything this module does not know raises :class:`Fallback` before a value is handed out; the
executor then lets graphql-core complete the field as always (the reference path).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat, starmap
from operator import is_not
from typing import Any, cast

from asyncpg import Record
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from strawberry import relay
from strawberry.types.field import StrawberryField

from core.errors import HemeiError
from schema.access.rules import ScopeFilter, visible_only
from schema.planner.declare import Children, Parent
from schema.planner.json_rows import (
    fragments,
)
from schema.planner.keys import PLAN_KEY, SelfOnly
from schema.planner.readers import (
    attribute_reader,
    parent_reader,
    read_global_id,
    self_reader,
)
from schema.planner.selections import FieldDetailsList, remembered, selection_key
from schema.planner.values import Fallback, dict_maker, serialised
from schema.relay import all_checked

_DEFINITION = "strawberry-definition"


@dataclass(frozen=True)
class FieldPlan:
    """How one field of one type is read for a whole level: ``read(executor, field, details,
    objects)`` gives the field's raw value for each object."""

    read: Callable[..., Any]
    scoped: bool = False
    nullable: bool = True
    columns: frozenset[str] | None = None
    """The columns of the object the read uses (``None``: it may use any)."""
    column: str | None = None
    """The column whose value the field is, as it is (a field without a resolver)."""
    written: Callable[..., Any] | None = None
    """Like ``read``, but each object's completed value as JSON text the database wrote
    (``orjson.Fragment``), or ``None`` when it cannot be: then ``read`` reads it."""


def plan_of(parent: GraphQLObjectType, name: str) -> FieldPlan | None:
    """The field's plan, or ``None`` when the planner does not know it (cached on the field)."""
    field = parent.fields.get(name)
    if field is None:
        return None
    cache = field.extensions  # graphql-core's per-field dict: built once with the schema
    if "hemei.field_plan" not in cache:
        cache["hemei.field_plan"] = _classify(parent, field)
    plan: FieldPlan | None = cache["hemei.field_plan"]
    return plan


def _classify(parent: GraphQLObjectType, field: GraphQLField) -> FieldPlan | None:
    definition = field.extensions.get(_DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.permission_classes:
        return None
    scoped = False
    for extension in definition.extensions:
        if isinstance(extension, ScopeFilter):
            scoped = True
        else:
            return None  # access logic or behaviour the planner cannot apply
    if scoped and _lists_edges(field.type):
        # The builder scopes a connection's edges too, but no edge type has a rule of its own:
        # the node's rule applies through Edge.node. Checking the edges admits every one.
        scoped = False
    nullable = not is_non_null_type(field.type)
    declared = definition.metadata.get(PLAN_KEY)
    if definition.python_name == "_id" and _default_id(definition):
        return FieldPlan(read_global_id, columns=frozenset({"id"}))
    if definition.base_resolver is None:
        name = definition.python_name
        return FieldPlan(attribute_reader(name), scoped, nullable, frozenset({name}), name)
    if isinstance(declared, Children):
        # Imported here: the children module reads selections with this module's plans.
        from schema.planner.children import children_reader, children_written

        # A declared scope is the target type's own rule (tests/planner checks it), applied in
        # SQL before paging: checking each row again in Python would find nothing to remove.
        return FieldPlan(
            children_reader(declared),
            scoped and declared.scope is None,
            nullable,
            frozenset({"id"}),
            written=children_written(declared),
        )
    if isinstance(declared, Parent):
        return FieldPlan(parent_reader(declared), scoped, nullable, frozenset({declared.column}))
    if isinstance(declared, SelfOnly):
        function = cast(Callable[[Any], Any], definition.base_resolver.wrapped_func)
        return FieldPlan(self_reader(function), scoped, nullable)
    return None


def _lists_edges(type_: GraphQLOutputType) -> bool:
    named = unwrap(type_)
    definition = getattr(named, "extensions", {}).get(_DEFINITION)
    origin = getattr(definition, "origin", None)
    return isinstance(origin, type) and issubclass(origin, relay.Edge)


def _default_id(definition: StrawberryField) -> bool:
    origin = definition.origin
    return (
        isinstance(origin, type)
        and issubclass(origin, relay.Node)
        and origin.resolve_id.__func__ is relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
    ) or origin is relay.Node


def plannable(executor: Any, return_type: GraphQLOutputType, details: FieldDetailsList) -> bool:
    """Whether every field of the selection under ``return_type`` has a plan (no I/O).

    Remembered per schema for a selection (its field nodes, which belong to one parsed
    document, and the values of the variables its directives read): a cached document asks
    the same question on every request, and walking the selection was a twentieth of a read
    by id."""
    key = selection_key(executor, return_type, details)
    if key is None:
        return _plannable(executor, return_type, details)
    return bool(
        remembered(executor, "hemei.plannable", key, details,
                   lambda: _plannable(executor, return_type, details))
    )  # fmt: skip


def _plannable(executor: Any, return_type: GraphQLOutputType, details: FieldDetailsList) -> bool:
    named = unwrap(return_type)
    if is_leaf_type(named):
        return True
    if not is_object_type(named):
        return False
    collected = executor.collect_subfields(named, details)
    if collected.new_defer_usages or collected.forbidden_directive_instances:
        return False
    for sub in collected.grouped_field_set.values():
        name = sub[0].node.name.value
        if name == "__typename":
            continue
        if plan_of(named, name) is None:
            return False
        if not _plannable(executor, named.fields[name].type, sub):
            return False
    return True


def unwrap(type_: GraphQLOutputType) -> Any:
    while is_non_null_type(type_) or is_list_type(type_):
        type_ = type_.of_type
    return type_


async def complete(
    executor: Any, return_type: GraphQLOutputType, details: FieldDetailsList, values: list[Any]
) -> list[Any]:
    """The completed values of ``values`` (one per position) as ``return_type``."""
    if is_non_null_type(return_type):
        if _has_none(values):
            raise Fallback  # graphql-core raises the non-null error with its path
        return await _complete_present(executor, return_type.of_type, details, values)
    if not _has_none(values):
        return await _complete_present(executor, return_type, details, values)
    present = [i for i, v in enumerate(values) if v is not None]
    completed = await _complete_present(
        executor, return_type, details, [values[i] for i in present]
    )
    done: list[Any] = [None] * len(values)
    for i, value in zip(present, completed, strict=True):
        done[i] = value
    return done


async def _complete_present(
    executor: Any, return_type: GraphQLOutputType, details: FieldDetailsList, values: list[Any]
) -> list[Any]:
    """:func:`complete` for ``values`` none of which is None, as a nullable ``return_type``."""
    if is_list_type(return_type):
        flat: list[Any] = []
        sizes = []
        for value in values:
            items = list(value)
            sizes.append(len(items))
            flat.extend(items)
        completed_items = await complete(executor, return_type.of_type, details, flat)
        at = 0
        completed: list[Any] = []
        for size in sizes:
            completed.append(completed_items[at : at + size])
            at += size
        return completed
    if is_leaf_type(return_type):
        return serialised(return_type, values)
    if is_object_type(return_type):
        return await _complete_objects(executor, return_type, details, values)
    raise Fallback  # interfaces and unions: graphql-core resolves the runtime type


def _has_none(values: list[Any]) -> bool:
    """Whether any of ``values`` is None, by identity, in C. ``None in values`` calls each
    value's ``__eq__``: a dataclass's is Python code (every object of a level is one), which
    made these checks a tenth of a large read."""
    return not all(map(is_not, values, repeat(None)))


async def _complete_objects(
    executor: Any, parent: GraphQLObjectType, details: FieldDetailsList, objects: list[Any]
) -> list[Any]:
    if not objects:
        return []
    if objects[0].__class__ is Record:
        # Rows whose objects their statement wrote as JSON (see json_rows): nothing to do.
        written = fragments(objects)
        if written is not None:
            return written
    context = executor.context_value
    keys: list[str] = []
    columns: list[list[Any]] = []  # one completed value per object, for each key
    for key, sub, plan, field in level(executor, parent, details):
        keys.append(key)
        if field is None:  # __typename
            columns.append([parent.name] * len(objects))
            continue
        if plan is None:
            raise Fallback
        if plan.written is not None and not plan.scoped:
            done = await plan.written(executor, parent, field, sub, objects)
            if done is not None:
                columns.append(done)
                continue
        raw = plan.read(executor, parent, field, sub, objects)
        if asyncio.iscoroutine(raw):
            raw = await raw
        if plan.scoped and not all_checked(objects):
            try:
                raw = [visible_only(context, value, plan.nullable) for value in raw]
            except HemeiError as error:
                raise Fallback from error
        columns.append(await complete(executor, field.type, sub, raw))
    if not keys:  # every field skipped (@skip / @include)
        return [{} for _ in objects]
    # Each object's dict built at once, in the selection's key order, by a function made for
    # these keys: a third of the time of dict(zip(keys, row)), for thousands of objects.
    return list(starmap(dict_maker(tuple(keys)), zip(*columns, strict=True)))


LevelField = tuple[str, FieldDetailsList, FieldPlan | None, GraphQLField | None]


def level(executor: Any, parent: GraphQLObjectType, details: FieldDetailsList) -> list[LevelField]:
    """The fields of the selection on ``parent``: response key, field details, plan and
    definition (``None`` for ``__typename``). Remembered like :func:`plannable`'s answer:
    collecting the fields of a cached document anew, level by level, was a tenth of a read
    by id."""
    key = selection_key(executor, parent, details)
    if key is None:
        return _level_fields(executor, parent, details)
    found: list[LevelField] = remembered(
        executor, "hemei.level", key, details, lambda: _level_fields(executor, parent, details)
    )
    return found


def _level_fields(
    executor: Any, parent: GraphQLObjectType, details: FieldDetailsList
) -> list[LevelField]:
    fields: list[LevelField] = []
    for key, sub in executor.collect_subfields(parent, details).grouped_field_set.items():
        name = sub[0].node.name.value
        if name == "__typename":
            fields.append((key, sub, None, None))
        else:
            fields.append((key, sub, plan_of(parent, name), parent.fields.get(name)))
    return fields


def selected(
    executor: Any, parent: GraphQLObjectType, details: FieldDetailsList, name: str
) -> list[FieldDetailsList]:
    """The field details of every selection of field ``name`` (each alias) under ``parent``."""
    grouped = executor.collect_subfields(parent, details).grouped_field_set
    return [fields for fields in grouped.values() if fields[0].node.name.value == name]
