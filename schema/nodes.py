"""How a GraphQL node type is read from its table: which columns, and how a row becomes an
object. Objects handed to graphql-core are the strawberry types themselves built from plain
rows, never Tortoise model instances (those look awaitable and cost a task each)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from itertools import repeat
from operator import attrgetter, is_
from typing import Any, cast

from tortoise.fields import DatetimeField, Field
from tortoise.models import Model
from tortoise.timezone import get_default_timezone, get_use_tz

from core.access.viewer import Viewer


@dataclass(frozen=True)
class NodeSource:
    """A GraphQL node type and the model whose rows it is built from.

    The type's dataclass fields (``strawberry.Private`` ones included) whose names are columns
    of the model (``district_id`` for a foreign key ``district``) are read; the rest must have
    defaults or be resolvers.
    """

    graphql_type: type
    model: type[Model]
    enrich: Callable[[Sequence[Any]], Awaitable[None]] | None = None
    """Fills fields that are not columns (e.g. a case's department ids), for a whole batch."""
    enrich_when: Callable[[Viewer | None], bool] | None = None
    """Whether a request's viewer needs ``enrich`` at all (None: always). For fields that only
    access rules read: a case's department ids decide nothing for a viewer without a
    department grant, and reading them was one statement of three on a by-id read."""

    async def enrich_for(self, viewer: Viewer | None, nodes: Sequence[Any]) -> None:
        """Run ``enrich`` on a batch read for ``viewer``, unless ``enrich_when`` says the
        viewer's request has no use for it."""
        if self.enrich is None or not nodes:
            return
        if self.enrich_when is None or self.enrich_when(viewer):
            await self.enrich(nodes)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        db_columns = set(self.model._meta.fields_db_projection)
        names = [
            f.name
            for f in dataclasses.fields(self.graphql_type)
            if f.init and (f.name in db_columns or _required(f))
        ]
        missing = [n for n in names if n not in db_columns]
        if missing:
            raise TypeError(
                f"{self.graphql_type.__name__}: fields {missing} are not columns of "
                f"{self.model.__name__}"
            )
        return tuple(names)

    @cached_property
    def converters(self) -> dict[str, Any]:
        """Column → field object, to turn raw SQL values into Python ones."""
        by_column = {
            column: self.model._meta.fields_map[name]
            for name, column in self.model._meta.fields_db_projection.items()
        }
        return {c: by_column[c] for c in self.columns}

    def build(self, row: Mapping[str, Any]) -> Any:
        return self.graphql_type(**{c: row[c] for c in self.columns})

    @cached_property
    def _builder(self) -> Callable[[Mapping[str, Any]], Any]:
        return _compile_builder(self.graphql_type, {c: self.converters[c] for c in self.columns})

    def build_raw(self, row: Mapping[str, Any]) -> Any:
        """Build from a raw SQL row, converting each value as the ORM would."""
        return self._builder(row)

    def column_values(self, column: str, values: list[Any]) -> list[Any]:
        """Raw SQL values of ``column`` (one per row) converted as the ORM would, exactly as
        :meth:`build_raw` converts them, for a whole column at once: the planned read path
        reads the rows of a page as they come (see :func:`schema.loaders.child_pages`)."""
        field = self.converters[column]
        if isinstance(field, DatetimeField) and _aware_utc(values) and utc_already():
            return values  # what _reader hands back for each of them, checked in C
        convert = _reader(field)
        if type(field).to_python_value is not Field.to_python_value:
            return list(map(convert, values))
        kind = field.field_type
        if all(map(is_, map(type, values), repeat(kind))):
            return values  # what the driver hands out for most columns: nothing to do
        return [v if v is None or v.__class__ is kind else convert(v) for v in values]

    @cached_property
    def _partial_builders(self) -> dict[tuple[str, ...], Callable[[Mapping[str, Any]], Any]]:
        return {}

    def partial_builder(self, columns: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Any]:
        """A builder of objects that carry only ``columns`` (raw rows, converted as the ORM
        would): for the planned read path, which knows which attributes a selection reads.
        Reading any other attribute raises ``AttributeError``, loudly, rather than a default."""
        found = self._partial_builders.get(columns)
        if found is None:
            fields = {c: self.converters[c] for c in columns}
            found = _compile_builder(self.graphql_type, fields, partial=True)
            self._partial_builders[columns] = found
        return found


def _compile_builder(
    graphql_type: type, fields: Mapping[str, Field[Any]], *, partial: bool = False
) -> Callable[[Mapping[str, Any]], Any]:
    """A function that builds ``graphql_type`` from a raw row, generated once per node type: a
    page of 4,000 cases has 100,000 values, and a call per value to each field's
    ``to_python_value`` was a quarter of a planned read. A value whose class already is the
    field's type (what asyncpg hands out for most columns) is taken as it is, which is what
    Tortoise's base ``to_python_value`` does too; other fields convert as the ORM would."""
    namespace: dict[str, Any] = {"T": graphql_type, "new": object.__new__}
    namespace.update(datetime=datetime, UTC=UTC)
    in_utc = utc_already()
    arguments = []
    for i, (column, field) in enumerate(fields.items()):
        namespace[f"convert_{i}"] = _reader(field)
        value = f"row[{column!r}]"
        if isinstance(field, DatetimeField) and in_utc:
            # What _reader hands back unchanged, without calling it: a case has five.
            value = (
                f"(v if (v := {value}) is None or (v.__class__ is datetime and v.tzinfo is UTC)"
                f" else convert_{i}(v))"
            )
        elif type(field).to_python_value is Field.to_python_value:
            namespace[f"type_{i}"] = field.field_type
            value = f"(v if (v := {value}) is None or v.__class__ is type_{i} else convert_{i}(v))"
        else:
            value = f"convert_{i}({value})"
        arguments.append(f"{column}={value}")
    if partial:  # no __init__: it would ask for every field (see partial_builder)
        entries = ", ".join(f"{a.split('=', 1)[0]!r}: {a.split('=', 1)[1]}" for a in arguments)
        source = f"def build(row):\n    o = new(T)\n    o.__dict__ = {{{entries}}}\n    return o\n"
    else:
        source = f"def build(row):\n    return T({', '.join(arguments)})\n"
    # Safe to exec: the source is made of the dataclass's own field names, never of data.
    exec(compile(source, f"<builder of {graphql_type.__name__}>", "exec"), namespace)
    return cast(Callable[[Mapping[str, Any]], Any], namespace["build"])


def _aware_utc(values: list[Any]) -> bool:
    """Whether every value is a ``datetime`` whose tzinfo is ``datetime.UTC`` itself."""
    return all(map(is_, map(type, values), repeat(datetime))) and all(
        map(is_, map(_TZINFO, values), repeat(UTC))
    )


_TZINFO = attrgetter("tzinfo")


def utc_already() -> bool:
    """Whether Tortoise would only move an aware UTC date-time to UTC (its zone here)."""
    return get_use_tz() and str(get_default_timezone()) == "UTC"


def _reader(field: Any) -> Callable[[Any], Any]:
    """The field's ``to_python_value``; for date-times stored as text (SQLite), parsed with the
    standard library first: Tortoise's ISO 8601 parser is pure Python, and a page of cases
    has four date-times a row."""
    if not isinstance(field, DatetimeField):
        return cast(Callable[[Any], Any], field.to_python_value)

    # asyncpg hands out aware UTC date-times; where Tortoise would only move them to UTC (its
    # default zone here), they are already what it would return, up to the tzinfo object.
    in_utc = utc_already()

    def read(value: Any) -> Any:
        if value.__class__ is datetime and value.tzinfo is UTC and in_utc:
            return value
        if isinstance(value, str):
            with suppress(ValueError):  # else Tortoise's parser, which knows more forms
                value = datetime.fromisoformat(value)
        return field.to_python_value(value)

    return read


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
