"""How a GraphQL node type is read from its table: which columns, and how a row becomes an
object. Objects handed to graphql-core are the strawberry types themselves built from plain
rows, never Tortoise model instances (those look awaitable and cost a task each)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, cast

from tortoise.fields import DatetimeField
from tortoise.models import Model


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
    def _readers(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        return tuple((c, _reader(self.converters[c])) for c in self.columns)

    def build_raw(self, row: Mapping[str, Any]) -> Any:
        """Build from a raw SQL row, converting each value as the ORM would."""
        return self.graphql_type(**{c: read(row[c]) for c, read in self._readers})


def _reader(field: Any) -> Callable[[Any], Any]:
    """The field's ``to_python_value``; for date-times stored as text (SQLite), parsed with the
    standard library first: Tortoise's ISO 8601 parser is pure Python, and a page of cases
    has four date-times a row."""
    if not isinstance(field, DatetimeField):
        return cast(Callable[[Any], Any], field.to_python_value)

    def read(value: Any) -> Any:
        if isinstance(value, str):
            with suppress(ValueError):  # else Tortoise's parser, which knows more forms
                value = datetime.fromisoformat(value)
        return field.to_python_value(value)

    return read


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
