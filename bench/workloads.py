"""The workloads: for each, the request Hemei gets, the equivalent PostGraphile request, and how
to compare the answers.

The ceiling (bench/ceiling.py) receives Hemei's own requests and answers each operation, by its
``operationName``, with hand-written SQL producing Hemei's JSON. PostGraphile's documents alias
its field names (``id: rowId``, ``districts: districtsList``) so that the three answers
normalise to the same value: global ids become database ids, timestamps become UTC instants,
numbers are rounded to what a dashboard shows."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

CASE_FIELDS = "id title status level createdAt"
PG_CASE_FIELDS = "id: rowId title status level createdAt"

DASHBOARD_KEYS = (
    "regions.grids",
    "stations.count",
    "regions.property_coverage",
    "cases.received",
    "cases.solved",
    "cases.completion_rate",
    "cases.satisfaction",
    "cases.disputes_mediated",
    "cases.snap_reports",
)
"""The figures the dashboard workload asks for: core's case and place figures, the ones the
ceiling computes with SQL too (the module figures are left out of the comparison)."""
DASHBOARD_DISTRICT = "gongnong"
DASHBOARD_PERIOD = "2026"


def nested_hemei(leaf: str) -> str:
    inner = (
        f"cases(first: 10) {{ edges {{ node {{ {CASE_FIELDS} }} }} }}"
        if leaf == "cases"
        else "compounds(first: 10) { edges { node { id code name } } }"
    )
    return (
        "query Nested { districts { id code name communities(first: 10) { edges { node { "
        "id code name grids(first: 5) { edges { node { id code name "
        f"{inner} }} }} }} }} }} }} }} }}"
    )


def nested_postgraphile(leaf: str) -> str:
    inner = (
        f"cases(first: 10, orderBy: PRIMARY_KEY_DESC) {{ edges {{ node {{ {PG_CASE_FIELDS} }} }} }}"
        if leaf == "cases"
        else "compounds(first: 10, orderBy: PRIMARY_KEY_ASC) { edges { node { id: rowId code "
        "name } } }"
    )
    return (
        "query Nested { districts: districtsList(orderBy: PRIMARY_KEY_ASC) { id: rowId code name "
        "communities(first: 10, orderBy: PRIMARY_KEY_ASC) { edges { node { id: rowId code name "
        "grids(first: 5, orderBy: PRIMARY_KEY_ASC) { edges { node { id: rowId code name "
        f"{inner} }} }} }} }} }} }} }} }}"
    )


CASES100 = f"query Cases100 {{ cases(first: 100) {{ edges {{ node {{ {CASE_FIELDS} }} }} }} }}"
PG_CASES100 = (
    "query Cases100 { cases(first: 100, orderBy: PRIMARY_KEY_DESC) { edges { node { "
    f"{PG_CASE_FIELDS} }} }} }} }}"
)
CASES20 = f"query Cases20 {{ cases(first: 20) {{ edges {{ node {{ {CASE_FIELDS} }} }} }} }}"
PG_CASES20 = CASES20.replace("first: 20)", "first: 20, orderBy: PRIMARY_KEY_DESC)").replace(
    CASE_FIELDS, PG_CASE_FIELDS
)
NODE = f"query Node($id: ID!) {{ node(id: $id) {{ ... on Case {{ {CASE_FIELDS} }} }} }}"
PG_NODE = f"query Node($id: Int!) {{ node: case(rowId: $id) {{ {PG_CASE_FIELDS} }} }}"
DASHBOARD = (
    f'query Dashboard {{ district(code: "{DASHBOARD_DISTRICT}") {{ stats(period: '
    f'"{DASHBOARD_PERIOD}", keys: [{", ".join(f"{chr(34)}{k}{chr(34)}" for k in DASHBOARD_KEYS)}]'
    ") { key value } } }"
)
REPORT = (
    "mutation Report($title: String!, $grid: ID!) { reportCase(input: {title: $title, "
    'category: "sanitation", gridId: $grid}) { id } }'
)
PG_REPORT = (
    "mutation Report($title: String!, $grid: Int!, $street: Int!, $community: Int!, "
    "$district: Int!, $now: Datetime!) { createCase(input: {case: {title: $title, "
    'category: "sanitation", description: "", source: "RESIDENT", level: "GRID", '
    'status: "REPORTED", consulted: false, address: "", reporterAnonymous: false, '
    "closedWithoutRating: false, gridId: $grid, streetId: $street, communityId: $community, "
    "districtId: $district, createdAt: $now, updatedAt: $now, version: 1}}) "
    "{ case { id: rowId } } }"
)
TITLE_MARK = "@N@"
"""Replaced by the load generator with a number unique to each write."""


@dataclass(frozen=True)
class Request:
    """One request: its JSON body and whose token goes with it (a role of :data:`LOGINS`)."""

    body: dict[str, Any]
    role: str
    weight: float = 1.0
    write: bool = False


LOGINS = {"city": "city_admin", "district": "gongnong_admin", "resident": "resident_xinhong"}
"""Demo logins (password ``hemei-demo``) the requests are sent as."""


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    hemei: tuple[Request, ...]
    """Also what the ceiling receives."""
    postgraphile: tuple[Request, ...] | None
    """None: PostGraphile has no equivalent; Hemei is compared to the ceiling only."""
    notes: str = ""
    check: bool = True
    """Whether the answers are compared (a write's are not: each target makes its own row)."""


@dataclass(frozen=True)
class Fixture:
    """Database ids the workloads refer to, read once from the loaded data."""

    case_id: int
    grid_id: int
    street_id: int
    community_id: int
    district_id: int
    now: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


def global_id(type_name: str, key: int) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def _body(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    name = re.match(r"(?:query|mutation) (\w+)", query)
    assert name is not None, query
    return {"query": query, "operationName": name.group(1), "variables": variables or {}}


def workloads(fixture: Fixture, leaf: str = "cases") -> dict[str, Workload]:
    """Every workload by name. ``leaf``: what the nested read fetches per grid (``cases``, or
    ``compounds`` on a Hemei without ``Grid.cases``)."""
    node_h = Request(_body(NODE, {"id": global_id("Case", fixture.case_id)}), "city")
    node_p = Request(_body(PG_NODE, {"id": fixture.case_id}), "city")
    title = f"bench {TITLE_MARK}"
    write_h = Request(
        _body(REPORT, {"title": title, "grid": global_id("Grid", fixture.grid_id)}),
        "resident", weight=0.2, write=True,
    )  # fmt: skip
    write_p = Request(
        _body(PG_REPORT, {"title": title, "grid": fixture.grid_id, "street": fixture.street_id,
                          "community": fixture.community_id, "district": fixture.district_id,
                          "now": fixture.now}),
        "resident", weight=0.2, write=True,
    )  # fmt: skip
    return {
        "nested": Workload(
            "nested",
            f"districts → communities(10) → grids(5) → {leaf}(10)",
            (Request(_body(nested_hemei(leaf)), "city"),),
            (Request(_body(nested_postgraphile(leaf)), "city"),),
        ),
        "cases100": Workload(
            "cases100",
            "cases(first: 100), newest first",
            (Request(_body(CASES100), "city"),),
            (Request(_body(PG_CASES100), "city"),),
        ),
        "node": Workload("node", "one case by id", (node_h,), (node_p,)),
        "dashboard": Workload(
            "dashboard",
            f"district {DASHBOARD_DISTRICT}, period {DASHBOARD_PERIOD}, "
            f"{len(DASHBOARD_KEYS)} figures",
            (Request(_body(DASHBOARD), "district"),),
            None,
            notes="Hemei keeps dashboard figures 60 s (core/stats/dashboard.py); the ceiling "
            "computes them in one statement on every request.",
        ),
        "mix": Workload(
            "mix",
            "80% reads (case by id, cases(first: 20)) / 20% reportCase by a resident",
            (
                Request(node_h.body, "city", weight=0.4),
                Request(_body(CASES20), "city", weight=0.4),
                write_h,
            ),
            (
                Request(node_p.body, "city", weight=0.4),
                Request(_body(PG_CASES20), "city", weight=0.4),
                write_p,
            ),
            notes="Hemei's reportCase routes, assigns and records the case's steps; the "
            "ceiling's and PostGraphile's writes are one plain INSERT.",
            check=False,
        ),
    }


_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")


def normalise(value: Any, key: str | None = None) -> Any:
    """The data an answer carries, whichever target gave it (see the module docstring)."""
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if key == "id" and isinstance(value, str):
        try:
            return int(base64.b64decode(value).decode().split(":", 1)[1])
        except (ValueError, IndexError):
            return value
    if isinstance(value, str) and _INSTANT.match(value):
        return datetime.fromisoformat(value).astimezone(UTC).isoformat()
    if isinstance(value, float) or (key == "value" and type(value) is int):
        # A figure is a Float in Hemei's schema; SQL's JSON writes whole ones as integers.
        return round(float(value), 3)
    return value


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two normalised answers first differ, for a loud failure message."""
    if type(a) is not type(b):
        return f"{path or '.'}: {a!r:.120} != {b!r:.120}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'the first' if k in a else 'the second'}"
            found = first_difference(a[k], b[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r:.120} != {b!r:.120}"
