"""Values of a planned level made into response values all at once: leaves serialised in bulk
(the scalar's own serialiser, or a dict for enums), and each object's response dict built by a
function made for its keys. :class:`Fallback` says a value cannot be, and graphql-core then
completes the field as always."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import repeat
from operator import attrgetter, is_
from typing import Any

import orjson
from graphql import (
    GraphQLBoolean,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLString,
    Undefined,
)
from strawberry.schema.types.base_scalars import isoformat as strawberry_isoformat


class Fallback(Exception):
    """The planner cannot complete this selection; graphql-core will."""


_PLAIN_SCALARS: dict[Any, type] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
    GraphQLFloat: float,
}
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


def serialised(leaf: Any, values: list[Any]) -> list[Any]:
    """``values`` (none of them None) as the leaf type serialises them, or :class:`Fallback`
    where one cannot be: graphql-core then raises the error at the value's own path."""
    if _already_serialised(leaf, values):
        return values
    names = _enum_names(leaf)
    if names is not None:
        try:
            return list(map(names.__getitem__, values))
        except (KeyError, TypeError):
            pass  # not a member: let the type's own coercion decide, and fail, below
    formatted = _isoformatted(leaf, values)
    if formatted is not None:
        return formatted
    coerce = leaf.coerce_output_value
    try:
        serialised = [coerce(v) for v in values]
    except Exception as error:  # graphql-core raises it again, at the value's own path
        raise Fallback from error
    if any(v is None or v is Undefined for v in serialised):
        raise Fallback
    return serialised


def _isoformatted(leaf: Any, values: list[Any]) -> list[str] | None:
    """The values of a ``DateTime`` or ``Date`` leaf (strawberry's: ``isoformat()``) written by
    orjson, which formats a date, and a date-time that is naive or in UTC, exactly as
    ``isoformat()`` does (offset, microseconds only when not 0) in a fifth of the time: the
    date-times were an eighth of a large read. ``None`` for anything else."""
    if leaf.coerce_output_value is not strawberry_isoformat or not values:
        return None
    kind = values[0].__class__
    if kind is datetime:
        same = _all_of(datetime, values) and set(map(_TZINFO, values)) <= _UTC_OR_NAIVE
    else:
        same = kind is date and _all_of(date, values)
    return orjson.loads(orjson.dumps(values)) if same else None


_UTC_OR_NAIVE = {UTC, None}
_TZINFO = attrgetter("tzinfo")


def _all_of(kind: type, values: list[Any]) -> bool:
    """Whether every value's class is exactly ``kind`` (a C loop, not a generator)."""
    return all(map(is_, map(type, values), repeat(kind)))


_ENUM_NAMES: dict[int, tuple[Any, dict[Any, str]]] = {}


def _enum_names(leaf: Any) -> dict[Any, str] | None:
    """Member → GraphQL name, for a strawberry enum (whose own serialiser scans the values
    for each member it is given)."""
    wrapped = getattr(leaf, "wrapped_cls", None)
    if wrapped is None:
        return None
    found = _ENUM_NAMES.get(id(leaf))
    if found is None or found[0] is not leaf:
        names = {wrapped(value.value): name for name, value in leaf.values.items()}
        found = _ENUM_NAMES[id(leaf)] = (leaf, names)
    return found[1]


def _already_serialised(leaf: Any, values: list[Any]) -> bool:
    """Whether the built-in scalar would hand every value back unchanged (a str for String):
    then there is nothing to do per value, for most leaves of a large read."""
    if leaf is GraphQLInt:
        return _all_of(int, values) and (
            not values or (min(values) >= _INT_MIN and max(values) <= _INT_MAX)
        )
    kind = _PLAIN_SCALARS.get(leaf)
    return kind is not None and _all_of(kind, values)


@lru_cache(maxsize=1024)
def dict_maker(keys: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """``lambda v0, v1, ...: {key0: v0, key1: v1, ...}``. The keys are response names, which
    GraphQL's grammar holds to ``[_A-Za-z][_0-9A-Za-z]*``; they enter the source as literals."""
    if not all(_NAME.fullmatch(key) for key in keys):
        return lambda *values: dict(zip(keys, values, strict=True))
    arguments = ", ".join(f"v{i}" for i in range(len(keys)))
    entries = ", ".join(f"{key!r}: v{i}" for i, key in enumerate(keys))
    made: Callable[..., dict[str, Any]] = eval(f"lambda {arguments}: {{{entries}}}")
    return made


_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
