"""What a root resolver may ask the planner before it reads: the columns its selection uses.

A root list (``cases(first: 100)``) is read by its resolver, before the planner completes it.
When the planner will complete it, the resolver can read only the columns the selection uses
and hand the planner the driver's rows, as the planner does for nested pages
(``child_pages(columns=)``); each row's object is built only if graphql-core completes the
field after all (:class:`schema.relay.RowEdge`).
"""

from __future__ import annotations

from strawberry.permission import PermissionExtension
from strawberry.types import Info

from schema.access.rules import ScopeFilter
from schema.nodes import NodeSource
from schema.planner.children import connection_json, lean_columns, node_json
from schema.planner.complete import plannable
from schema.planner.json_rows import WrittenConnection

_READ_NO_NODES = (PermissionExtension, ScopeFilter)
"""Extensions of a root field that read nothing of the nodes its resolver returns but what the
planner reads (a scope rule skips nodes it admitted in SQL); anything else, a module gate
reading each node's place say, may read any column."""


LeanRead = tuple[tuple[str, ...] | None, str | None, WrittenConnection | None]
"""The columns to read (``None``: all of them); the SQL expression of each node's object as
JSON text, read as column ``hemei_json``; and how the statement may write the whole
connection instead (``None``: it may not; see :mod:`schema.planner.json_rows`)."""

_ALL: LeanRead = (None, None, None)


def root_read(
    info: Info, source: NodeSource, scoped_in_sql: bool, newest_first: bool = False
) -> LeanRead:
    """For the root query field being resolved, a connection of ``source``'s nodes in id
    order (``newest_first``: descending): the columns its selection reads, and the JSON its
    nodes or whole page may be read as, when the planner will complete the whole selection;
    every column and no JSON otherwise. ``scoped_in_sql``: the nodes were read through their
    type's own scope rule (else the rule reads its own columns in Python)."""
    raw = info._raw_info
    if raw.path.prev is not None or not all(
        isinstance(e, _READ_NO_NODES) for e in info._field.extensions
    ):
        return _ALL
    found = getattr(info.context, "root_selections", {}).get(raw.path.key)
    if found is None:
        return _ALL
    executor, details = found
    if not plannable(executor, raw.return_type, details):
        return _ALL
    columns = lean_columns(executor, source, scoped_in_sql, raw.return_type, details)
    if columns is None:
        return _ALL
    json = node_json(executor, source, raw.return_type, details)
    whole = connection_json(executor, source, raw.return_type, details, newest_first)
    return columns, json, whole
