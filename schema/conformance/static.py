"""The rules that need no database: the gate on every field, capped lists, authorization
tables, descriptions, settings and breaking changes."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from schema.access.matrix import MatrixError, load_matrix
from schema.conformance.inventory import (
    ROOTS,
    PluginFields,
    declared_size,
    is_composite,
    is_connection,
    is_list,
    strawberry_field,
)
from schema.conformance.report import Check, Report
from schema.conformance.sdl import changes_since, default_schema_file
from schema.gate import ModuleGateExtension


def check_gate(found: PluginFields, report: Report) -> None:
    """Every root field and every field on a core type carries the module gate."""
    ungated = []
    for (type_name, field_name), definition in found.added.items():
        f = strawberry_field(definition)
        gates = [e for e in (f.extensions if f else []) if isinstance(e, ModuleGateExtension)]
        if not any(g.module == found.plugin for g in gates):
            ungated.append(f"{type_name}.{field_name}")
    for name in ungated:
        report.failed(
            Check.MODULE_GATE,
            name,
            "has no module gate: it would answer where the "
            "module is off (return it from register_graphql)",
        )
    if not ungated:
        report.passed(
            Check.MODULE_GATE,
            "fields",
            f"all {len(found.added)} root and core-type fields carry the module gate",
        )


def check_first_cap(found: PluginFields, report: Report) -> None:
    """A list of objects or a connection takes ``first`` (which ``PageArgs`` caps at
    ``MAX_FIRST``) or declares the most items it can hold (``metadata=cost(size=N)``, which the
    query cost limit charges); lists of scalars and a connection's own ``edges`` are data."""
    checked = 0
    for (type_name, field_name), definition in sorted(found.own_fields().items()):
        connection = is_connection(definition.type)
        if not (connection or (is_list(definition.type) and is_composite(definition.type))):
            continue
        parent = found.schema.type_map[type_name]
        own_edges = isinstance(parent, GraphQLObjectType) and {"edges", "pageInfo"} <= set(
            parent.fields
        )
        if field_name == "edges" and own_edges:
            continue
        checked += 1
        subject = f"{type_name}.{field_name}"
        if "first" in definition.args or declared_size(definition) is not None:
            continue
        what = "a connection" if connection else "a list of objects"
        report.failed(
            Check.FIRST_CAP,
            subject,
            f"returns {what} without a `first` argument (capped by PageArgs) or a declared "
            "size (metadata=cost(size=N))",
        )
    if not report.of(Check.FIRST_CAP):
        report.passed(Check.FIRST_CAP, "lists", f"all {checked} list fields are capped")


def check_authorization(found: PluginFields, report: Report) -> None:
    """Every root query and mutation has a table in the plugin's authorization matrix."""
    operations = set(found.root_fields("Query")) | set(found.root_fields("Mutation"))
    path = found.contribution.authorization if found.contribution else None
    if path is None:
        if operations:
            report.failed(
                Check.AUTHORIZATION,
                "SchemaContribution.authorization",
                f"no matrix file for {len(operations)} root operations",
            )
        else:
            report.passed(Check.AUTHORIZATION, "matrix", "no root operations, no matrix needed")
        return
    try:
        tables = set(load_matrix(Path(path)))
    except (MatrixError, OSError) as exc:
        report.failed(Check.AUTHORIZATION, str(path), str(exc))
        return
    for name in sorted(operations - tables):
        report.failed(Check.AUTHORIZATION, name, f"has no table in {Path(path).name}")
    for name in sorted(tables - operations):
        report.failed(Check.AUTHORIZATION, name, "has a table but no such root operation")
    if operations == tables:
        report.passed(
            Check.AUTHORIZATION, "matrix", f"all {len(operations)} root operations have a table"
        )


def check_descriptions(found: PluginFields, report: Report) -> None:
    """Every type the plugin declares, and every field of it or that it adds, says what it
    is in a description (what GraphiQL and generated clients show)."""
    missing: list[str] = []
    for name, type_ in sorted(found.types.items()):
        if not (type_.description or "").strip():
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            fields = type_.fields
            missing += [f"{name}.{f}" for f, d in fields.items() if not (d.description or "")]
        if isinstance(type_, GraphQLEnumType):
            continue
    for (type_name, field_name), definition in sorted(found.added.items()):
        if not (definition.description or "").strip():
            missing.append(f"{type_name}.{field_name}")
    for name in missing:
        report.failed(Check.DESCRIPTIONS, name, "has no description")
    if not missing:
        count = len(found.types) + len(found.own_fields())
        report.passed(Check.DESCRIPTIONS, "schema", f"all {count} types and fields are described")


def check_settings(found: PluginFields, report: Report) -> None:
    """Every setting has a default (start-up refuses otherwise) and a description (district
    staff read them in the module's page and in errors)."""
    model = found.host.plugins[found.plugin].settings_model
    if model is None:
        report.passed(Check.SETTINGS, "settings", "the plugin has no settings")
        return
    bad = False
    for name, info in model.model_fields.items():
        if info.is_required():
            report.failed(Check.SETTINGS, name, "has no default")
            bad = True
        if not (info.description or "").strip():
            report.failed(Check.SETTINGS, name, "has no description (Field(description=...))")
            bad = True
    if not bad:
        report.passed(
            Check.SETTINGS,
            model.__name__,
            f"all {len(model.model_fields)} settings have a default and a description",
        )


def check_breaking_changes(
    found: PluginFields, report: Report, schema_file: Path | None = None
) -> None:
    """The plugin's schema keeps everything its committed schema file promised."""
    path = schema_file or default_schema_file(found)
    hint = f"`hemei plugin schema {found.plugin}`"
    if path is None or not path.exists():
        report.failed(
            Check.BREAKING_CHANGES,
            str(path or "schema.graphql"),
            f"no committed schema file to compare with: write it with {hint} and commit it",
        )
        return
    try:
        changes = changes_since(found, path.read_text(encoding="utf-8"))
    except GraphQLError as exc:
        report.failed(
            Check.BREAKING_CHANGES,
            path.name,
            f"the committed file no longer fits core's schema: {exc.message.splitlines()[0]}",
        )
        return
    for change in changes.breaking:
        report.failed(Check.BREAKING_CHANGES, path.name, change)
    if changes.breaking:
        return
    note = ""
    if changes.dangerous:
        note = " (dangerous: " + "; ".join(changes.dangerous) + ")"
    if changes.drifted:
        report.passed(
            Check.BREAKING_CHANGES,
            path.name,
            f"no breaking change; the file is behind additions, update it with {hint}" + note,
        )
    else:
        report.passed(Check.BREAKING_CHANGES, path.name, "the schema matches the file" + note)


def check_static(found: PluginFields, report: Report, schema_file: Path | None = None) -> None:
    """Every rule that needs no database."""
    check_gate(found, report)
    check_first_cap(found, report)
    check_authorization(found, report)
    check_descriptions(found, report)
    check_settings(found, report)
    check_breaking_changes(found, report, schema_file)


__all__ = ["ROOTS", "check_static"]
