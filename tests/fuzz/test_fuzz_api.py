"""Fuzzing the API with hypothesis-graphql, through the real ASGI app.

Valid queries, with IDs drawn from the seeded data, as four roles; and invalid documents (one
schema violation each, and mangled text), anonymous and signed in. For every response: no 5xx,
no ``INTERNAL_SERVER_ERROR``, every error with a documented code, no non-null violation, and
nothing like a traceback, SQL or a file path. Invalid documents run no SQL and change no row.

The default run is short, for CI. ``HEMEI_FUZZ_EXAMPLES=N`` sets the examples per role and kind
(default 25); ``HEMEI_FUZZ_SEED`` another seed (default 721):

    HEMEI_FUZZ_EXAMPLES=2000 python -m pytest -q tests/fuzz
"""

from __future__ import annotations

import os
import random
import re
from datetime import UTC, date, datetime
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, queries
from tortoise import Tortoise

from core.db.statements import count_statements
from core.errors import ErrorCode
from core.plugins.host import build_plugin_host
from schema.builder import build_schema

EXAMPLES = int(os.environ.get("HEMEI_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("HEMEI_FUZZ_SEED", "721"))
ROLES = ("resident_xinhong", "xinhong_grid1", "gongnong_admin", "city_admin")
CODES = {code.value for code in ErrorCode} | {"MODULE_DISABLED"}
LEAKS = [
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r'File "[^"]+", line \d+'),
    re.compile(r"\b(SELECT\s.+\sFROM|INSERT INTO|UPDATE\s+\"?\w+\"?\s+SET|DELETE FROM)\b", re.I),
    re.compile(r"(/[\w.-]+){2,}\.py\b"),
    re.compile(r"\b(asyncpg|aiosqlite|sqlite3|tortoise|pydantic_core)\b", re.I),
    re.compile(r"\b\w+(Error|Exception): ", re.I),
]
NON_NULL = re.compile(r"Cannot return null for non-nullable field")

SEEDED = """{
  districts { id streets(first: 3) { edges { node { id } } }
    communities(first: 4) { edges { node { id grids(first: 2) { edges { node { id } } }
      compounds(first: 2) { edges { node { id } } } } } } }
  departments { id }
  cases(first: 20) { edges { node { id } } }
  people(first: 20) { edges { node { id } } }
}"""


@pytest.fixture(scope="module")
def composed(kernel_plugin):
    from tests.conftest import ALL_TEST_PLUGINS

    return build_schema(build_plugin_host(ALL_TEST_PLUGINS)).schema._schema


def seeded_ids(data: Any) -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "id" and isinstance(value, str):
                found.append(value)
            else:
                found += seeded_ids(value)
    elif isinstance(data, list):
        for item in data:
            found += seeded_ids(item)
    return found


def scalars(ids: list[str]) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    def string(s: st.SearchStrategy[str]) -> st.SearchStrategy[graphql.ValueNode]:
        return s.map(lambda v: graphql.StringValueNode(value=v))

    odd_ids = ["", "x", "Q2FzZTox", "Tm9ub3N1Y2g6MQ==", "Case:1", "\x00"]
    days = st.dates(min_value=date(2020, 1, 1), max_value=date(2031, 12, 31))
    moments = st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC)
    )

    def mostly(good: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        """One value in ten is a bad one: enough documents get past validation."""
        return st.integers(0, 9).flatmap(lambda i: bad if i == 0 else good)

    return {
        "ID": string(mostly(st.sampled_from(ids), st.sampled_from(odd_ids))),
        "Date": string(mostly(days.map(date.isoformat), st.sampled_from(["2026-13-01", "soon"]))),
        "DateTime": string(mostly(moments.map(datetime.isoformat), st.just("yesterday"))),
        "Decimal": string(
            mostly(st.decimals(allow_nan=False, places=2).map(str), st.just("1e999"))
        ),
        "JSON": string(st.text(max_size=20)),
        "GeoJSON": string(st.just('{"type": "Point", "coordinates": [130.3, 47.3]}')),
        "Upload": st.just(graphql.NullValueNode()),
    }


def draw(strategy: st.SearchStrategy[str], count: int, seed: int) -> list[str]:
    """``count`` documents, the same ones for the same seed (no shrinking: every failure is
    reported with its document)."""
    found: list[str] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(strategy)
    def collect(document: str) -> None:
        found.append(document)

    fixed_seed(seed)(collect)()
    return found[:count]


def problems(status: int, body: Any, text: str) -> list[str]:
    found = []
    if status >= 500:
        found.append(f"status {status}")
    errors = body.get("errors") or [] if isinstance(body, dict) else []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        if code not in CODES:
            found.append(f"undocumented or missing code {code!r}: {error.get('message')!r}")
        if code == ErrorCode.INTERNAL_SERVER_ERROR:
            found.append(f"internal error: {error}")
        if NON_NULL.search(error.get("message", "")):
            found.append(f"non-null violation: {error['message']}")
    for pattern in LEAKS:
        if match := pattern.search(text):
            found.append(f"leak {pattern.pattern!r}: {match.group(0)!r}")
    return found


async def post(client: Any, document: str) -> tuple[int, Any, str]:
    headers = {"Authorization": f"Bearer {client.token}"} if client.token else {}
    response = await client.client.post("/graphql", json={"query": document}, headers=headers)
    try:
        body = response.json()
    except ValueError:
        body = None
    return response.status_code, body, response.text


def is_valid(schema: graphql.GraphQLSchema, document: str) -> bool:
    try:
        return not graphql.validate(schema, graphql.parse(document))
    except graphql.GraphQLError:
        return False


async def row_counts() -> dict[str, int]:
    counts = {}
    for app in Tortoise.apps.values():
        for name, model in app.items():
            counts[f"{model.__module__}.{name}"] = await model.all().count()
    return counts


async def test_valid_queries_as_four_roles(api, composed, capsys):
    client = await api()
    admin = await client.signed_in("city_admin")
    ids = seeded_ids(await admin.data(SEEDED))
    assert len(ids) > 30
    strategy = queries(composed, custom_scalars=scalars(ids))
    found: list[str] = []
    answered = 0
    for index, role in enumerate(ROLES):
        viewer = await client.signed_in(role)
        for document in draw(strategy, EXAMPLES, SEED + index):
            status, body, text = await post(viewer, document)
            answered += 1
            found += [f"{role}: {p}\n  {document}" for p in problems(status, body, text)]
    assert answered == EXAMPLES * len(ROLES)
    with capsys.disabled():
        print(f"\nfuzz: {answered} valid queries as {len(ROLES)} roles, {len(found)} problems")
    assert not found, "\n".join(found[:20])


def mangled(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Valid documents with a slice cut out, or random bytes spliced in."""

    def mangle(pair: tuple[str, int, int, str]) -> str:
        document, start, length, junk = pair
        start %= max(len(document), 1)
        return document[:start] + junk + document[start + length :]

    return st.tuples(valid, st.integers(0, 10_000), st.integers(0, 12), st.text(max_size=6)).map(
        mangle
    )


async def test_invalid_documents_change_nothing_and_run_no_sql(api, composed, capsys):
    client = await api()
    admin = await client.signed_in("city_admin")
    ids = seeded_ids(await admin.data(SEEDED))
    custom = scalars(ids)
    kinds = {
        "negative query": queries(composed, custom_scalars=custom, mode=Mode.NEGATIVE),
        "negative mutation": mutations(composed, custom_scalars=custom, mode=Mode.NEGATIVE),
        "mangled mutation": mangled(mutations(composed, custom_scalars=custom)),
    }
    viewers = [client, admin]
    before = await row_counts()
    found: list[str] = []
    rng = random.Random(SEED)
    sent = 0
    for index, (kind, strategy) in enumerate(kinds.items()):
        for document in draw(strategy, EXAMPLES, SEED + 100 + index):
            if is_valid(composed, document):
                continue  # a cut that changed nothing that matters: not an invalid document
            viewer = rng.choice(viewers)
            sent += 1
            with count_statements() as log:
                status, body, text = await post(viewer, document)
            found += [f"{kind}: {p}\n  {document!r}" for p in problems(status, body, text)]
            if log.count:
                found.append(
                    f"{kind}: {log.count} statements for a refused document\n  {document!r}"
                )
            if status == 200 and isinstance(body, dict) and not body.get("errors"):
                found.append(f"{kind}: accepted\n  {document!r}")
    assert await row_counts() == before
    with capsys.disabled():
        print(f"\nfuzz: {sent} invalid documents, {len(found)} problems, no row changed")
    assert not found, "\n".join(found[:20])
