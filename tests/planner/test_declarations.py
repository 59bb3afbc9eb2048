"""What keeps the planner honest: it plans only fields whose access logic it applies itself,
and a declared relation is all its resolver does."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest
from graphql import GraphQLObjectType

from schema.access.rules import ScopeFilter, scope_of
from schema.builder import build_schema
from schema.planner.complete import plan_of
from schema.planner.declare import Children, Parent
from schema.planner.keys import PLAN_KEY, SelfOnly

APPLIED_BY_THE_PLANNER = (ScopeFilter,)


@pytest.fixture(scope="module")
def composed(kernel_plugin):
    from core.plugins.host import build_plugin_host
    from tests.conftest import ALL_TEST_PLUGINS

    return build_schema(build_plugin_host(ALL_TEST_PLUGINS))


def object_fields(composed):
    for gtype in composed.schema._schema.type_map.values():
        if isinstance(gtype, GraphQLObjectType) and not gtype.name.startswith("__"):
            for name, field in gtype.fields.items():
                definition = field.extensions.get("strawberry-definition")
                if definition is not None:
                    yield gtype, name, definition


def test_no_field_with_access_logic_the_planner_does_not_apply_is_planned(composed):
    planned = refused = 0
    for gtype, name, definition in object_fields(composed):
        foreign = [
            type(e).__name__
            for e in definition.extensions
            if not isinstance(e, APPLIED_BY_THE_PLANNER)
        ]
        if foreign or definition.permission_classes:
            assert plan_of(gtype, name) is None, f"{gtype.name}.{name} carries {foreign}"
            refused += 1
        elif plan_of(gtype, name) is not None:
            planned += 1
    # Both kinds exist in the composed schema, so the assertions above were exercised.
    assert planned > 100 and refused > 100


def test_a_field_with_its_own_resolver_is_planned_only_through_a_declaration(composed):
    for gtype, name, definition in object_fields(composed):
        if definition.base_resolver is None or definition.python_name == "_id":
            continue
        declared = definition.metadata.get(PLAN_KEY)
        assert (plan_of(gtype, name) is not None) == (declared is not None), f"{gtype.name}.{name}"


def test_a_declared_resolver_does_nothing_but_follow_its_declaration(composed):
    """Logic written in the resolver beside the declaration would run on one path only."""
    checked = 0
    for gtype, name, definition in object_fields(composed):
        declared = definition.metadata.get(PLAN_KEY)
        if declared is None or definition.base_resolver is None:
            continue
        function = definition.base_resolver.wrapped_func
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        body = tree.body[0].body  # type: ignore[attr-defined]
        statements = [s for s in body if not isinstance(s, ast.Expr)]  # docstrings
        *prelude, last = statements
        where = f"{gtype.name}.{name}"
        for statement in prelude:
            # Only naming an attribute of the object: `grid_id: int = self.id`.
            value = getattr(statement, "value", None)
            assert isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name), where
        assert isinstance(last, ast.Return) and isinstance(last.value, ast.Await), where
        call = last.value.value
        if isinstance(declared, SelfOnly):
            checked += 1
            continue
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute), where
        target = call.func.value
        assert isinstance(target, ast.Name), where
        assert function.__globals__[target.id] is declared, f"{where} follows another relation"
        assert call.func.attr == ("connection" if isinstance(declared, Children) else "load")
        checked += 1
    assert checked >= 10


def test_a_relation_to_scoped_rows_declares_their_scope(composed):
    """Else totals and pages would count rows the viewer may not see (on both paths)."""
    checked = 0
    for gtype, name, definition in object_fields(composed):
        declared = definition.metadata.get(PLAN_KEY)
        if isinstance(declared, Children):
            rule = scope_of(declared.source().graphql_type)
            assert declared.scope == rule, f"{gtype.name}.{name}"
            checked += 1
        elif isinstance(declared, Parent):
            assert definition.extensions or scope_of(declared.source().graphql_type) is None
    assert checked >= 8
