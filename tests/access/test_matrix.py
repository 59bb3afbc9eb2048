"""The authorization matrix, tested cell by cell, and complete for every root operation."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from graphql import GraphQLObjectType

import tests
from core.access.models import Account
from core.plugins.host import build_plugin_host
from core.runtime import start_runtime
from schema.access.matrix import ANONYMOUS, CORE_MATRICES, CORE_MATRIX, ROLES, merge
from schema.app import create_app
from schema.builder import build_schema
from schema.cli import builtin_plugin_names
from tests.access.probes import Probe, reference_targets
from tests.kernel_plugin.graphql import contribution
from tests.support.api import Api
from tests.support.configs import TEST_CONFIG


def _probes() -> dict[str, Any]:
    """Every ``tests/<area>/probes.py``'s ``PROBES``: an area or module adds its probes by
    having such a file, without editing this one. One operation probed twice is an error."""
    found: dict[str, Any] = {}
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg or importlib.util.find_spec(f"tests.{info.name}.probes") is None:
            continue
        for operation, probe in importlib.import_module(f"tests.{info.name}.probes").PROBES.items():
            assert operation not in found, f"{operation} is probed twice"
            found[operation] = probe
    return found


def _matrices() -> list[tuple[str, Path]]:
    """Core's matrix files, the built-in modules' and the kernel test plugin's."""
    builtin = build_plugin_host(builtin_plugin_names()).call_each("register_graphql")
    return [
        *(("core", m) for m in CORE_MATRICES),
        *((plugin, part.authorization) for plugin, part in builtin if part.authorization),
        ("kernel_test", contribution().authorization),
    ]


PROBES = _probes()
MATRIX = merge(_matrices())
LOGINS = {
    "CITY_ADMIN": "city_admin",
    "DISTRICT_ADMIN": "gongnong_admin",
    "STREET_OFFICER": "hongqi_officer",
    "COMMUNITY_WORKER": "xinhong_worker",
    "GRID_WORKER": "xinhong_grid1",
    "DEPARTMENT_OFFICER": "zhujian_officer",
    "RESIDENT": "resident_xinhong",
}
CELLS = [
    pytest.param(op, role, relation, expected, id=f"{op}-{role}-{relation}")
    for op, rules in MATRIX.items()
    for role in ROLES
    for relation in rules.relations
    if (expected := rules.allowed(role, relation)) is not None
]


def test_every_root_query_and_mutation_has_a_table(kernel_plugin):
    composed = build_schema(build_plugin_host([*builtin_plugin_names(), kernel_plugin]))
    schema = composed.schema._schema
    operations = set()
    for root in (schema.query_type, schema.mutation_type):
        assert isinstance(root, GraphQLObjectType)
        operations |= set(root.fields)
    matrix = merge(composed.authorization)
    assert operations - set(matrix) == set(), "root operations without a row in the matrix"
    assert set(matrix) - operations == set(), "matrix tables for operations that do not exist"
    assert set(matrix) == set(MATRIX) == set(PROBES), "every table is tested through a probe"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def viewers(orm, kernel_plugin, tmp_path_factory):
    """A client per role (signed in once) and the targets around the demo logins' place."""
    path = tmp_path_factory.mktemp("matrix") / "hemei.toml"
    path.write_text(TEST_CONFIG, encoding="utf-8")
    runtime = start_runtime(path)
    app = create_app(runtime, manage_database=False, watch_config=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hemei.test"
    ) as http:
        anonymous = Api(client=http, runtime=runtime)
        clients = {ANONYMOUS: (anonymous, None)}
        for role, username in LOGINS.items():
            person = (await Account.get(username=username)).person_id
            clients[role] = (await anonymous.signed_in(username), person)
        yield clients, await reference_targets()


@pytest.mark.parametrize(("operation", "role", "relation", "expected"), CELLS)
async def test_matrix_cell(viewers, operation, role, relation, expected):
    clients, targets = viewers
    client, person = clients[role]
    probe = Probe(client=client, viewer_person=person, targets=targets)
    assert await PROBES[operation](probe, relation) is expected


def test_matrix_files_are_well_formed(tmp_path: Path):
    from schema.access.matrix import MatrixError, load_matrix

    bad = tmp_path / "bad.toml"
    bad.write_text('[x]\nrelations = ["any"]\nCITY_ADMIN = [true]\n', encoding="utf-8")
    with pytest.raises(MatrixError, match="has no row for"):
        load_matrix(bad)
    with pytest.raises(MatrixError, match=r"\[districts\] is in the matrices of core and again"):
        merge([("core", CORE_MATRIX), ("again", CORE_MATRIX)])
