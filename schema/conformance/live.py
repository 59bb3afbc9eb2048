"""The rules checked against a running app: the gate where the module is off (fields on the
region tree, ``node(id:)``, lists), no N+1 on list fields, and migrations that match the models.

The app serves the plugin alone, on in 工农区 (``gongnong``) and off in 兴山区 (``xingshan``),
on a database that holds the demo region tree and people; the city admin asks. Rows are made
up from the models (:mod:`schema.conformance.rows`) and removed afterwards.

What this cannot reach generically is skipped with the reason, never failed: root fields with
arguments it cannot fill (a free-text search, a date range), objects the city admin may not see,
and fields whose resolvers need data more coherent than made-up rows. The static gate check
covers every field; the plugin's own tests cover what is skipped here (the test kit's
``hemei_statements`` measures any query).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from tortoise.context import get_current_context
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.models import Model

from core.db.setup import tortoise_config
from core.db.statements import count_statements
from core.demo.people import DEMO_PASSWORD
from core.regions.models import District
from core.runtime import start_runtime
from schema.app import create_app
from schema.conformance.inventory import (
    REGION_TYPES,
    PluginFields,
    declared_size,
    is_composite,
    is_connection,
    is_list,
    node_type_of,
)
from schema.conformance.report import Check, Report
from schema.conformance.rows import RowMaker, Spot
from schema.ids import global_id
from schema.nodes import NodeSource
from schema.relay import MAX_FIRST

ON, OFF = "gongnong", "xingshan"
ADMIN = "city_admin"
FEW, MANY = 10, 100
NESTED_FIRST = 2
NESTED_SIZE = 30
"""Nested lists without ``first`` are selected only when declared this small (cost limit)."""


def site_config(plugin: str) -> str:
    """The config the check serves: the plugin on in one district and off in another."""
    return (
        f'[plugins]\nload = ["{plugin}"]\n\n'
        f'[districts.{ON}]\nname = "工农区"\nmodules = ["{plugin}"]\n\n'
        f'[districts.{OFF}]\nname = "兴山区"\nmodules = []\n\n'
        # Every request reads its viewer: the statements of two requests made seconds apart
        # are compared, and a viewer remembered for one would not be for the other.
        "[performance]\nviewer_cache_seconds = 0\n"
    )


@dataclass
class Site:
    """The app serving the plugin, signed in as the city admin, with a spot in each
    district."""

    client: httpx.AsyncClient
    token: str
    on: Spot
    off: Spot
    unexpected: list[str] = field(default_factory=list)
    """What the last request failed on unexpectedly (the server log's exceptions)."""

    def brief(self, body: dict[str, Any]) -> str:
        """A response in a line, with the cause of an unexpected error from the log."""
        text = _brief(body)
        if "INTERNAL_SERVER_ERROR" in _codes(body) and self.unexpected:
            text += f": {self.unexpected[0]}"
        return text

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        self.unexpected.clear()
        response = await self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        body: dict[str, Any] = response.json()
        return body


@asynccontextmanager
async def serve(plugin: str, folder: Path) -> AsyncIterator[Site]:
    """Serve ``plugin`` through the real ASGI app (the ORM must be started, with the demo
    region tree and people in the database)."""
    path = folder / f"conformance-{plugin}.toml"
    path.write_text(site_config(plugin), encoding="utf-8")
    runtime = start_runtime(path)
    app = create_app(runtime, manage_database=False, watch_config=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hemei.check") as client:
        response = await client.post(
            "/graphql",
            json={
                "query": "mutation($u: String!, $p: String!) "
                "{ login(username: $u, password: $p) { token } }",
                "variables": {"u": ADMIN, "p": DEMO_PASSWORD},
            },
        )
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"cannot sign in as {ADMIN}: {body['errors'][0]['message']}")
        on = await Spot.in_district(await District.get(code=ON))
        off = await Spot.in_district(await District.get(code=OFF))
        site = Site(client, body["data"]["login"]["token"], on, off)
        # Made-up rows make some resolvers fail: keep their tracebacks out of the output and
        # quote the cause in the finding instead.
        errors = logging.getLogger("hemei.errors")
        handler = _Unexpected(site.unexpected)
        errors.addHandler(handler)
        propagate, errors.propagate = errors.propagate, False
        try:
            yield site
        finally:
            errors.removeHandler(handler)
            errors.propagate = propagate


class _Unexpected(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        where = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
        what = f"{type(exc).__name__}: {exc}" if exc else record.getMessage()
        self.sink.append(f"{what} (at {where})"[:240])


async def check_live(found: PluginFields, report: Report, folder: Path) -> None:
    """Every rule that needs the app and the database."""
    async with serve(found.plugin, folder) as site:
        await _region_fields(found, site, report)
        await _nodes(found, site, report)
        await _lists(found, site, report)
    await check_migrations(found, report)


@asynccontextmanager
async def _rows(found: PluginFields) -> AsyncIterator[RowMaker]:
    """A row maker whose rows are gone afterwards, so each probe starts from empty tables."""
    maker = RowMaker()
    for type_name, source in found.composed.node_sources.items():
        maker.hints.setdefault(source.model, {}).update(enum_hints(found, type_name))
    try:
        yield maker
    finally:
        await maker.remove()


def enum_hints(found: PluginFields, type_name: str) -> dict[str, Any]:
    """Columns that the GraphQL type shows as enums, with a value of each (a text column
    holding ``FREE_CLINIC`` must not get made-up text)."""
    node = found.schema.type_map.get(type_name)
    hints: dict[str, Any] = {}
    if isinstance(node, GraphQLObjectType):
        for name, definition in node.fields.items():
            target = get_named_type(definition.type)
            if isinstance(target, GraphQLEnumType) and target.values:
                value = next(iter(target.values.values())).value
                hints[_snake(name)] = getattr(value, "value", value)
    return hints


async def check_migrations(found: PluginFields, report: Report) -> None:
    """The plugin's migrations describe its models as they are (nothing left to generate)."""
    app = found.host.plugins[found.plugin].model_app
    if app is None:
        report.passed(Check.MIGRATIONS, found.plugin, "the plugin has no models")
        return
    context = get_current_context()
    apps = context.apps if context is not None else None
    if apps is None:
        report.skipped(Check.MIGRATIONS, app.label, "the ORM is not started")
        return
    config = tortoise_config("sqlite://:memory:", found.host.model_apps())["apps"]
    writers = await MigrationAutodetector(apps, config).changes()
    pending = [w for w in writers if w.app_label == app.label]
    if pending:
        report.failed(
            Check.MIGRATIONS,
            app.label,
            "the models changed since the last migration: "
            f"run `hemei db makemigrations {app.label}`",
        )
    else:
        report.passed(Check.MIGRATIONS, app.label, "the migrations match the models")


# --- the gate on fields of the region tree ------------------------------------------------


async def _region_fields(found: PluginFields, site: Site, report: Report) -> None:
    for (type_name, field_name), definition in sorted(found.type_fields().items()):
        subject = f"{type_name}.{field_name}"
        if type_name not in REGION_TYPES:
            report.skipped(
                Check.MODULE_GATE,
                subject,
                f"live probe only on the region types "
                f"({', '.join(REGION_TYPES)}); gated statically",
            )
            continue
        args = _fill(definition.args, {})
        if args is None:
            report.skipped(
                Check.MODULE_GATE,
                subject,
                "has required arguments the check cannot fill; gated statically",
            )
            continue
        document = (
            f"query($id: ID!) {{ node(id: $id) {{ ... on {type_name} "
            f"{{ {field_name}{_arguments(args)}{_probe_selection(definition)} }} }} }}"
        )
        off = await site.post(document, {"id": _region_id(type_name, site.off)})
        on = await site.post(document, {"id": _region_id(type_name, site.on)})
        if "MODULE_DISABLED" not in _codes(off):
            report.failed(
                Check.MODULE_GATE, subject, f"answered {site.brief(off)} where the module is off"
            )
        elif "MODULE_DISABLED" in _codes(on):
            report.failed(Check.MODULE_GATE, subject, "answered MODULE_DISABLED where it is on")
        else:
            report.passed(Check.MODULE_GATE, subject, "MODULE_DISABLED where off, served where on")


# --- the gate on node(id:) ------------------------------------------------------------------


async def _nodes(found: PluginFields, site: Site, report: Report) -> None:
    for type_name, source in sorted(found.node_sources.items()):
        subject = f"node(id: {type_name})"
        if found.place_of(type_name) is None:
            report.skipped(Check.MODULE_GATE, subject, "the type declares no place (PlaceOf)")
            continue
        async with _rows(found) as maker:
            try:
                off_row = await maker.make(source.model, site.off)
                on_row = await maker.make(source.model, site.on)
            except Exception as exc:
                report.skipped(Check.MODULE_GATE, subject, _unmade(source.model, exc))
                continue
            document = "query($id: ID!) { node(id: $id) { id } }"
            off = await site.post(document, {"id": global_id(type_name, off_row.pk)})
            on = await site.post(document, {"id": global_id(type_name, on_row.pk)})
        if (on.get("data") or {}).get("node") is None:
            report.skipped(
                Check.MODULE_GATE,
                subject,
                f"a made-up row where the module is on answered {site.brief(on)}",
            )
        elif "MODULE_DISABLED" not in _codes(off):
            report.failed(
                Check.MODULE_GATE, subject, f"answered {site.brief(off)} where the module is off"
            )
        else:
            report.passed(Check.MODULE_GATE, subject, "MODULE_DISABLED where off, found where on")


# --- lists: N+1 and the gate ---------------------------------------------------------------


@dataclass
class _ListField:
    subject: str
    definition: GraphQLField
    node_type: str
    source: NodeSource
    parent_type: str | None = None
    """The region type the field is on (None: a root field)."""
    fixed: dict[str, Model] = field(default_factory=dict)
    args: dict[str, Any] = field(default_factory=dict)


def _list_fields(found: PluginFields) -> list[_ListField]:
    found_fields = []
    candidates = [(("Query", n), d) for n, d in found.root_fields("Query").items()]
    candidates += [(k, d) for k, d in found.type_fields().items() if k[0] in REGION_TYPES]
    for (type_name, field_name), definition in sorted(candidates, key=lambda c: c[0]):
        if not (is_connection(definition.type) or is_list(definition.type)):
            continue
        if not is_composite(definition.type):
            continue
        node_type = node_type_of(definition.type)
        source = found.node_sources.get(node_type or "")
        if node_type is None or source is None:
            continue
        found_fields.append(
            _ListField(
                f"{type_name}.{field_name}",
                definition,
                node_type,
                source,
                parent_type=None if type_name == "Query" else type_name,
            )
        )
    return found_fields


async def _lists(found: PluginFields, site: Site, report: Report) -> None:
    fields = _list_fields(found)
    if not fields:
        report.skipped(
            Check.N_PLUS_ONE,
            found.plugin,
            "no list field of a node type with a model (NodeSource) to measure",
        )
    for listed in fields:
        async with _rows(found) as maker:
            try:
                await _measure(found, site, report, maker, listed)
            except _Skip as skip:
                report.skipped(Check.N_PLUS_ONE, listed.subject, str(skip))


class _Skip(Exception):
    pass


async def _measure(
    found: PluginFields, site: Site, report: Report, maker: RowMaker, listed: _ListField
) -> None:
    model = listed.source.model
    parents = await _parents_for_arguments(found, site, maker, listed)
    args = _fill(listed.definition.args, parents)
    if args is None:
        raise _Skip("has required arguments the check cannot fill")
    if "first" in listed.definition.args:
        args["first"] = MAX_FIRST
    listed.args = args

    async def make(spot: Spot) -> Model:
        return await maker.make(model, spot, dict(listed.fixed))

    try:
        off_ids = {global_id(listed.node_type, (await make(site.off)).pk) for _ in range(3)}
        for _ in range(FEW):
            await make(site.on)
    except Exception as exc:
        raise _Skip(_unmade(model, exc)) from None
    document = _list_document(found, listed)
    few, statements_few = await _run(site, document, listed)
    leaked = off_ids & set(few)
    if leaked:
        report.failed(
            Check.MODULE_GATE,
            listed.subject,
            f"listed {len(leaked)} rows of a district where the module is off",
        )
    else:
        report.passed(Check.MODULE_GATE, listed.subject, "leaves out rows where the module is off")
    try:
        for _ in range(MANY - FEW):
            await make(site.on)
    except Exception as exc:
        raise _Skip(_unmade(model, exc)) from None
    many, statements_many = await _run(site, document, listed)
    if len(many) < 2 * len(few) or len(many) - len(few) < FEW:
        raise _Skip(
            f"listed {len(few)} then {len(many)} items for {FEW} then {MANY} rows made: "
            "filters or other rows keep the made-up ones off the page"
        )
    if statements_many != statements_few:
        report.failed(
            Check.N_PLUS_ONE,
            listed.subject,
            f"{statements_few} SQL statements for "
            f"{len(few)} items, {statements_many} for {len(many)}: a query per item",
        )
    else:
        report.passed(
            Check.N_PLUS_ONE,
            listed.subject,
            f"{statements_few} SQL statements for {len(few)} and for {len(many)} items",
        )


async def _parents_for_arguments(
    found: PluginFields, site: Site, maker: RowMaker, listed: _ListField
) -> dict[str, str]:
    """Required ID arguments that name a parent (``teamId`` for a foreign key ``team``): one
    parent row, shared by every row made, and its id as the argument."""
    values: dict[str, str] = {}
    fks = listed.source.model._meta.fk_fields
    for name, argument in listed.definition.args.items():
        if not (isinstance(argument.type, GraphQLNonNull) and argument.type.of_type is GraphQLID):
            continue
        base = _snake(name).removesuffix("_id")
        if name in _PLACE_ARGUMENTS:
            continue
        if base not in fks:
            raise _Skip(
                f"needs argument {name}, which names no foreign key of "
                f"{listed.source.model.__name__}"
            )
        related = listed.source.model._meta.fields_map[base].related_model  # type: ignore[attr-defined]  # a foreign key field
        type_name = _node_type_for(found, related)
        if type_name is None:
            raise _Skip(f"needs argument {name}, a {related.__name__} that is no node type")
        try:
            parent = await maker.make(related, site.on)
        except Exception as exc:
            raise _Skip(_unmade(related, exc)) from None
        listed.fixed[base] = parent
        values[name] = global_id(type_name, parent.pk)
    values.update(_place_arguments(site.on))
    return values


_PLACE_ARGUMENTS = ("placeId", "districtId", "streetId", "communityId", "gridId", "compoundId")


def _place_arguments(spot: Spot) -> dict[str, str]:
    return {
        "placeId": global_id("District", spot.district.id),
        "districtId": global_id("District", spot.district.id),
        "streetId": global_id("Street", spot.street.id),
        "communityId": global_id("Community", spot.community.id),
        "gridId": global_id("Grid", spot.grid.id),
        "compoundId": global_id("Compound", spot.compound.id),
    }


def _node_type_for(found: PluginFields, model: type[Model]) -> str | None:
    for name, source in found.composed.node_sources.items():
        if source.model is model:
            return name
    return None


def _list_document(found: PluginFields, listed: _ListField) -> str:
    node = found.schema.type_map[listed.node_type]
    assert isinstance(node, GraphQLObjectType)
    selection = _selection(node)
    field_name = listed.subject.split(".", 1)[1]
    items = (
        f"{{ edges {{ node {selection} }} }}"
        if is_connection(listed.definition.type)
        else selection
    )
    inner = f"{field_name}{_arguments(listed.args)} {items}"
    if listed.parent_type is None:
        return f"{{ {inner} }}"
    return f"query($id: ID!) {{ node(id: $id) {{ ... on {listed.parent_type} {{ {inner} }} }} }}"


async def _run(site: Site, document: str, listed: _ListField) -> tuple[list[str], int]:
    """The ids listed and the statements it took."""
    variables = {}
    if listed.parent_type is not None:
        variables["id"] = _region_id(listed.parent_type, site.on)
    with count_statements() as log:
        body = await site.post(document, variables)
    if body.get("errors"):
        raise _Skip(f"with made-up rows it answered {site.brief(body)}")
    data: Any = body["data"]
    if listed.parent_type is not None:
        data = data["node"]
    data = data[listed.subject.split(".", 1)[1]]
    items = [e["node"] for e in data["edges"]] if isinstance(data, dict) else data
    return [str(item.get("id")) for item in items if isinstance(item, dict)], log.count


# --- queries ---------------------------------------------------------------------------------


def _selection(node: GraphQLObjectType) -> str:
    """Every field of a node type the check can ask without arguments: leaves, one level of
    objects, and small nested lists (capped so the cost limit lets the query through)."""
    parts = []
    for name, definition in node.fields.items():
        args = _fill(definition.args, {})
        if args is None:
            continue
        target = get_named_type(definition.type)
        if is_leaf_type(target):
            parts.append(name + _arguments(args))
            continue
        if is_connection(definition.type):
            if "first" not in definition.args:
                continue
            args["first"] = NESTED_FIRST
            parts.append(
                f"{name}{_arguments(args)} {{ totalCount edges {{ node {{ __typename }} }} }}"
            )
        elif is_list(definition.type):
            if "first" in definition.args:
                args["first"] = NESTED_FIRST
            elif _declared_size(definition) > NESTED_SIZE:
                continue
            parts.append(f"{name}{_arguments(args)} {{ __typename }}")
        else:
            parts.append(f"{name}{_arguments(args)} {{ __typename }}")
    return "{ " + " ".join(parts) + " }"


def _probe_selection(definition: GraphQLField) -> str:
    return " { __typename }" if is_composite(definition.type) else ""


def _declared_size(definition: GraphQLField) -> int:
    size = declared_size(definition)
    return MAX_FIRST if size is None else size


def _fill(args: dict[str, GraphQLArgument], known: dict[str, Any]) -> dict[str, Any] | None:
    """Values for the required arguments (None when one cannot be made up)."""
    values: dict[str, Any] = {}
    for name, argument in args.items():
        if not isinstance(argument.type, GraphQLNonNull) or argument.default_value is not Undefined:
            continue
        inner = argument.type.of_type
        if name in known:
            values[name] = known[name]
        elif isinstance(inner, GraphQLEnumType):
            values[name] = _EnumValue(next(iter(inner.values)))
        elif inner is GraphQLBoolean:
            values[name] = False
        elif inner is GraphQLInt:
            values[name] = 1
        elif (kind := getattr(inner, "name", None)) in ("Date", "DateTime"):
            values[name] = _moment(name, str(kind))
        else:
            return None
    return values


def _moment(argument: str, kind: str) -> str:
    """A period around today: ``from`` a month back, ``to`` (or an end) tomorrow."""
    today = datetime.now(UTC).date()
    later = any(word in argument.lower() for word in ("to", "end", "until", "before"))
    day = today + timedelta(days=1) if later else today - timedelta(days=30)
    return day.isoformat() if kind == "Date" else f"{day.isoformat()}T00:00:00+00:00"


@dataclass(frozen=True)
class _EnumValue:
    name: str


def _arguments(values: dict[str, Any]) -> str:
    if not values:
        return ""
    return "(" + ", ".join(f"{k}: {_literal(v)}" for k, v in values.items()) + ")"


def _literal(value: Any) -> str:
    if isinstance(value, _EnumValue):
        return value.name
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _region_id(type_name: str, spot: Spot) -> str:
    place = {
        "District": spot.district,
        "Street": spot.street,
        "Community": spot.community,
        "Grid": spot.grid,
        "Compound": spot.compound,
    }[type_name]
    return global_id(type_name, place.id)


def _codes(body: dict[str, Any]) -> list[str]:
    return [(e.get("extensions") or {}).get("code", "?") for e in body.get("errors") or []]


def _brief(body: dict[str, Any]) -> str:
    errors = body.get("errors") or []
    if errors:
        first = errors[0]
        code = (first.get("extensions") or {}).get("code", "?")
        return f"{code} ({first.get('message', '')[:120]})"
    return f"data {str(body.get('data'))[:120]}"


def _unmade(model: type[Model], exc: Exception) -> str:
    return f"could not make {model.__name__} rows from its fields ({type(exc).__name__}: {exc})"[
        :300
    ]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
