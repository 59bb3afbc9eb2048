"""GraphQL of imports: ``importRegisters`` for administrators."""

from __future__ import annotations

from schema.imports.operations import ImportMutation
from schema.nodes import NodeSource

QUERIES: tuple[type, ...] = ()
MUTATIONS: tuple[type, ...] = (ImportMutation,)
NODES: tuple[NodeSource, ...] = ()
TYPE_FIELDS: dict[str, type] = {}
