"""Document limits: depth, aliases, directives, tokens and cost, each tried directly and through
named fragments, inline fragments, and operations or fragments named ``__schema``. A refused
document runs no SQL, not even the viewer's lookup."""

from __future__ import annotations

import time

import pytest
from graphql import parse

from core.db.statements import count_statements
from schema.builder import build_schema
from schema.limits.analysis import measure_operation
from schema.limits.costs import INTROSPECTION_COST, MUTATION_WEIGHT, Kind
from schema.limits.extension import cost_map
from tests.support.api import codes
from tests.support.configs import with_limits

STRICT = with_limits(max_depth=6, max_aliases=3, max_directives=3, max_tokens=300, max_cost=500)


@pytest.fixture
async def strict(api):
    """A signed-in client of an app with small limits (signed in: the viewer lookup would be
    SQL, and must not happen for a refused document)."""
    client = await api(STRICT)
    return await client.signed_in("city_admin")


async def refused(client, query, variables=None, limit=None):
    """The response must be one QUERY_TOO_COMPLEX error, reached without any SQL."""
    with count_statements() as log:
        body = await client.post(query, variables)
    assert codes(body) == ["QUERY_TOO_COMPLEX"], body
    assert "data" not in body, body
    if limit is not None:
        assert body["errors"][0]["extensions"]["limit"] == limit, body
    assert log.count == 0, log.statements
    return body["errors"][0]


async def allowed(client, query, variables=None):
    body = await client.post(query, variables)
    assert "QUERY_TOO_COMPLEX" not in codes(body), body
    return body


# Depth 6 is the limit: districts(1) streets(2) edges(3) node(4) district(5) code(6).
SIX = "districts { streets(first: 1) { edges { node { district { code } } } } }"
SEVEN = "districts { streets(first: 1) { edges { node { district { streets(first: 1) { totalCount } } } } } }"


async def test_depth_directly_and_at_the_limit(strict):
    await allowed(strict, f"{{ {SIX} }}")
    error = await refused(strict, f"{{ {SEVEN} }}", limit="depth")
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "depth",
        "max": 6,
        "actual": 7,
    }


@pytest.mark.parametrize(
    "query",
    [
        # named fragments, nested
        "{ ...A } fragment A on Query { districts { ...B } } fragment B on District { streets(first: 1) { edges { node { district { streets(first: 1) { totalCount } } } } } }",
        # inline fragments, with and without a type condition
        "{ ... on Query { districts { ... { streets(first: 1) { edges { node { ... on Street { district { streets(first: 1) { totalCount } } } } } } } } } }",
        # an operation named __schema
        f"query __schema {{ {SEVEN} }}",
        # a fragment named __schema
        f"query {{ ...__schema }} fragment __schema on Query {{ {SEVEN} }}",
        # a shallow operation next to the deep one: every operation is measured
        f"query Shallow {{ districts {{ code }} }} query Deep {{ {SEVEN} }}",
        # introspection is measured too
        "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }",
        '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } }',
    ],
)
async def test_depth_cannot_be_bypassed(strict, query):
    await refused(strict, query, limit="depth")


async def test_fragment_chains_deeper_than_the_walk_are_refused(strict):
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(200))
    await refused(strict, f"{{ ...F0 }} {chain} fragment F200 on Query {{ __typename }}")


FOUR_ALIASES = (
    "a: districts { code } b: districts { code } c: districts { code } d: districts { code }"
)


@pytest.mark.parametrize(
    "query",
    [
        f"{{ {FOUR_ALIASES} }}",
        "{ ...F } fragment F on Query { a: districts { code } b: districts { code } c: districts { code } d: districts { code } }",
        # one fragment with two aliases, spread twice: four aliased fields run
        "{ districts { ...F } more: districts { ...F } } fragment F on District { x: code y: name }",
        "{ ... on Query { a: districts { code } b: districts { code } } ... { c: districts { code } d: districts { code } } }",
        f"query __schema {{ {FOUR_ALIASES} }}",
        f"query {{ ...__schema }} fragment __schema on Query {{ {FOUR_ALIASES} }}",
        "{ a: __schema { queryType { name } } b: __schema { queryType { name } } c: __typename d: __typename }",
    ],
)
async def test_aliases_cannot_be_bypassed(strict, query):
    await refused(strict, query, limit="aliases")


async def test_aliases_at_the_limit(strict):
    await allowed(strict, "{ a: districts { code } b: districts { code } c: districts { code } }")


FOUR_DIRECTIVES = "districts @include(if: true) { code @include(if: true) name @skip(if: false) id @include(if: true) }"


@pytest.mark.parametrize(
    "query",
    [
        f"{{ {FOUR_DIRECTIVES} }}",
        "{ districts { ...F ...F } } fragment F on District { code @include(if: true) name @include(if: true) }",
        "{ districts { ... @include(if: true) { code @include(if: true) } ... @skip(if: false) { code @skip(if: false) } } }",
        f"query __schema {{ {FOUR_DIRECTIVES} }}",
        f"query {{ ...__schema }} fragment __schema on Query {{ {FOUR_DIRECTIVES} }}",
        # unknown directives are counted before validation runs at all
        "{ __typename @a @b @c @d }",
    ],
)
async def test_directives_cannot_be_bypassed(strict, query):
    await refused(strict, query, limit="directives")


@pytest.mark.parametrize(
    "query",
    [
        "{ districts { " + "code " * 400 + "} }",
        "{ ...F } fragment F on Query { districts { " + "code " * 400 + "} }",
        "query __schema { districts { " + "code " * 400 + "} }",
        "{ ... on Query { districts { " + "code " * 400 + "} } }",
        "{ __typename }" + " # comment\n" * 400 + "{",
    ],
)
async def test_tokens_cannot_be_bypassed(strict, query):
    error = await refused(strict, query, limit="tokens")
    assert error["extensions"]["max"] == 300


# 20 districts (declared) × (1 + 100 streets × (1 + 1)) = 4,020 > 500.
EXPENSIVE = "districts { streets(first: 100) { edges { node { district { code } } } } }"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (f"{{ {EXPENSIVE} }}", None),
        (
            "query($n: Int) { districts { streets(first: $n) { edges { node { district { code } } } } } }",
            {"n": 100},
        ),
        (
            "query($n: Int = 100) { districts { streets(first: $n) { edges { node { district { code } } } } } }",
            None,
        ),
        (f"{{ ...F }} fragment F on Query {{ {EXPENSIVE} }}", None),
        (
            "{ districts { ... on District { streets(first: 100) { edges { node { code } } } } } }",
            None,
        ),
        (f"query __schema {{ {EXPENSIVE} }}", None),
        (f"query {{ ...__schema }} fragment __schema on Query {{ {EXPENSIVE} }}", None),
        # cheap parts that add up: one fragment spread in many places
        (
            "{ districts { ...S } b: districts { ...S } } fragment S on District { streets(first: 12) { totalCount edges { node { code } } } }",
            None,
        ),
        # introspection has a fixed cost
        ("{ __schema { queryType { name } } }", None),
    ],
)
async def test_cost_cannot_be_bypassed(strict, query, variables):
    await refused(strict, query, variables, limit="cost")


async def test_cost_follows_first_from_literals_and_variables(strict):
    query = "query($n: Int) { districts { streets(first: $n) { edges { node { code } } } } }"
    await allowed(strict, query, {"n": 5})
    await refused(strict, query, {"n": 100}, limit="cost")
    # a negative or absurd first counts as 0 or the cap: the resolver refuses it anyway
    await refused(strict, query, {"n": 10**9}, limit="cost")


async def test_fragment_bombs_are_refused_at_once(strict):
    """Fragments that spread the next one twice, 40 levels down, would make 2**40 selections."""
    levels = 40
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    for tail in ("districts { code }", "a: __typename"):
        query = f"{{ ...F0 }} {fragments} fragment F{levels} on Query {{ {tail} }}"
        began = time.perf_counter()
        client = strict
        body = await client.post(query)
        assert time.perf_counter() - began < 2
        assert codes(body) == ["QUERY_TOO_COMPLEX"], body


async def test_default_limits_admit_graphiql_introspection(api):
    from graphql import get_introspection_query

    client = await api()
    body = await client.post(get_introspection_query(descriptions=True))
    assert "errors" not in body, body["errors"]


# What each kind of field costs --------------------------------------------------------------


@pytest.fixture(scope="module")
def composed(kernel_plugin):
    from core.plugins.host import build_plugin_host
    from tests.conftest import ALL_TEST_PLUGINS

    return build_schema(build_plugin_host(ALL_TEST_PLUGINS)).schema


def measure(schema, query, variables=None):
    return measure_operation(schema._schema, cost_map(schema), parse(query), variables)


def test_cost_of_each_kind_of_field(composed):
    costs = cost_map(composed)
    assert costs.of("Query", "districts").kind is Kind.LIST
    assert costs.of("District", "streets").kind is Kind.CONNECTION
    assert costs.of("Mutation", "login").weight == MUTATION_WEIGHT
    # a leaf costs nothing, an object 1, a declared list its size times its items
    assert measure(composed, "{ districts { code } }").cost == 1 + 20 * 0
    assert measure(composed, '{ district(code: "x") { code } }').cost == 1
    # a connection: 1 + first × (node 1 + its selection); default first is 20; totalCount 1
    one = measure(
        composed, '{ district(code: "x") { streets { totalCount edges { node { code } } } } }'
    )
    assert one.cost == 1 + (1 + 1 + 20 * 1)  # district, streets, totalCount, 20 nodes
    assert measure(
        composed,
        '{ district(code: "x") { streets(first: 3) { edges { node { district { code } } } } } }',
    ).cost == 1 + 1 + 3 * (1 + 1)
    assert measure(composed, "{ __schema { queryType { name } } }").cost == INTROSPECTION_COST
    login = 'mutation { login(username: "a", password: "b") { token } }'
    assert measure(composed, login).cost == MUTATION_WEIGHT


def test_every_field_of_the_composed_schema_has_a_cost(composed):
    """Every list of objects that nothing else bounds declares its size (``cost(size=...)``),
    core's and every plugin's: see schema/limits/costs.py."""
    assert cost_map(composed).undeclared() == []
