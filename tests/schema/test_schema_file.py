"""The committed SDL is the schema built with every built-in plugin: frontends read it."""

from __future__ import annotations

from pathlib import Path

from core.plugins.host import build_plugin_host
from schema.builder import build_schema
from schema.cli import builtin_plugin_names

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_committed_schema_is_current():
    names = builtin_plugin_names()
    assert names == [
        "elderly_canteen",
        "four_thirty_classroom",
        "medical_teams",
        "new_employment_stations",
    ]
    built = build_schema(build_plugin_host(names)).schema.as_str() + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == built, (
        "schema/schema.graphql is stale: run `hemei schema export --builtin`"
    )


def test_every_type_and_field_has_a_description():
    from graphql import GraphQLObjectType

    schema = build_schema(build_plugin_host(builtin_plugin_names())).schema._schema
    missing = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        if not type_.description and name not in ("Query", "Mutation", "Subscription"):
            missing.append(name)
        missing += [f"{name}.{f}" for f, field in type_.fields.items() if not field.description]
    assert not missing, f"no description: {missing}"
