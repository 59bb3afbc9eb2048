"""The authorization matrix: role × root operation × relation → allowed, as data.

Core's rows are in ``authorization.toml`` files next to the GraphQL operations they cover
(``schema/access/``, ``schema/stations/``, ...: listed in ``CORE_MATRICES``); a plugin points
``SchemaContribution.authorization`` at a file of its own in the same format. The test suite
generates one test per cell and fails when a root query or mutation has no table.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from core.access.roles import CORE_ROLES

_SCHEMA = Path(__file__).parent.parent
CORE_MATRICES: tuple[Path, ...] = tuple(
    _SCHEMA / area / "authorization.toml"
    for area in (
        "access",
        "stations",
        "volunteers",
        "outreach",
        "deliberation",
        "assessment",
        "stats",
        "imports",
        "webhooks",
    )
)
"""Core's matrix files, one per area of the schema."""
CORE_MATRIX = CORE_MATRICES[0]
ANONYMOUS = "ANONYMOUS"
ROLES = (*(r.name for r in CORE_ROLES), ANONYMOUS)
RELATIONS = ("any", "own", "same_grid", "same_community", "other_community", "other_district")


class MatrixError(Exception):
    pass


@dataclass(frozen=True)
class OperationRules:
    """One table: for each role, allowed (True/False) or not applicable (None) per relation."""

    operation: str
    relations: tuple[str, ...]
    cells: dict[str, tuple[bool | None, ...]]

    def allowed(self, role: str, relation: str) -> bool | None:
        return self.cells[role][self.relations.index(relation)]


def load_matrix(path: Path) -> dict[str, OperationRules]:
    """Read and check one matrix file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    tables: dict[str, OperationRules] = {}
    for operation, table in data.items():
        relations = tuple(table.get("relations", ()))
        if not relations or set(relations) - set(RELATIONS):
            raise MatrixError(f"{path}: [{operation}] relations must be some of {RELATIONS}")
        missing = set(ROLES) - set(table)
        if missing:
            raise MatrixError(f"{path}: [{operation}] has no row for {', '.join(sorted(missing))}")
        cells = {}
        for role, row in table.items():
            if role == "relations":
                continue
            if len(row) != len(relations) or any(c not in (True, False, "-") for c in row):
                raise MatrixError(
                    f'{path}: [{operation}] {role} needs {len(relations)} cells of true/false/"-"'
                )
            cells[role] = tuple(None if c == "-" else c for c in row)
        tables[operation] = OperationRules(operation, relations, cells)
    return tables


def merge(files: list[tuple[str, Path]]) -> dict[str, OperationRules]:
    """Tables of several files; one operation in two files is an error naming both owners."""
    merged: dict[str, OperationRules] = {}
    owner: dict[str, str] = {}
    for who, path in files:
        for operation, rules in load_matrix(path).items():
            if operation in merged:
                raise MatrixError(
                    f"[{operation}] is in the matrices of {owner[operation]} and {who}"
                )
            merged[operation], owner[operation] = rules, who
    return merged
