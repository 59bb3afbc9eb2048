"""Trusted documents: registered by hash (``hemei documents add``), sent by hash, and in
production the only documents anonymous clients may run; token holders keep full queries
within the limits. A refusal runs no SQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.db.statements import count_statements
from schema.cli import main
from schema.limits.documents import DocumentStore, document_hash
from tests.support.api import codes
from tests.support.configs import with_limits

LOGIN = "mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }"
DISTRICTS = "query Districts { districts { code name } }"
GQL = "application/graphql-response+json"


def config(folder: Path, *, required: bool, **limits: int) -> str:
    return with_limits(**limits) + (
        f'\n[documents]\npath = "{folder / "documents.json"}"\n'
        f"require_for_anonymous = {'true' if required else 'false'}\n"
    )


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    documents = DocumentStore(tmp_path / "documents.json")
    documents.add(LOGIN, "Login")
    documents.add(DISTRICTS, "Districts")
    return documents


async def by_hash(client, document: str, variables=None, token=None):
    headers = {"accept": GQL, **({"Authorization": f"Bearer {token}"} if token else {})}
    return await client.client.post(
        "/graphql",
        json={
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(document)}},
            "variables": variables or {},
        },
        headers=headers,
    )


async def test_registered_documents_run_by_hash(api, tmp_path, store):
    client = await api(config(tmp_path, required=False))
    response = await by_hash(client, DISTRICTS)
    assert response.status_code == 200
    assert response.json()["data"]["districts"]
    # GET works too (persisted queries are cacheable that way)
    extensions = f'{{"persistedQuery":{{"version":1,"sha256Hash":"{document_hash(DISTRICTS)}"}}}}'
    got = await client.client.get("/graphql", params={"extensions": extensions})
    assert got.status_code == 200 and got.json()["data"]["districts"]


async def test_unknown_hashes_and_mismatches_are_refused_without_sql(api, tmp_path, store):
    client = await api(config(tmp_path, required=False))
    with count_statements() as log:
        unknown = await by_hash(client, "{ districts { code } }")
        mismatch = await client.client.post(
            "/graphql",
            json={
                "query": "{ districts { code } }",
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}},
            },
            headers={"accept": GQL},
        )
    assert log.count == 0
    assert unknown.status_code == 400 and codes(unknown.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert mismatch.status_code == 400 and codes(mismatch.json()) == ["BAD_REQUEST"]


async def test_production_switch_only_registered_documents_for_anonymous_clients(
    api, tmp_path, store
):
    client = await api(config(tmp_path, required=True, max_cost=500))
    with count_statements() as log:
        refused = await client.client.post(
            "/graphql", json={"query": "{ districts { code } }"}, headers={"accept": GQL}
        )
        forged = await client.client.post(
            "/graphql",
            json={"query": "{ districts { code } }"},
            headers={"accept": GQL, "Authorization": "Bearer forged.token.value"},
        )
    assert log.count == 0
    assert refused.status_code == 403 and codes(refused.json()) == ["DOCUMENT_NOT_TRUSTED"]
    assert forged.status_code == 403 and codes(forged.json()) == ["DOCUMENT_NOT_TRUSTED"]
    # Registered documents run, by hash or in full; signing in is one of them.
    assert (await by_hash(client, DISTRICTS)).json()["data"]["districts"]
    assert (await client.data(DISTRICTS))["districts"]
    login = await by_hash(client, LOGIN, {"u": "city_admin", "p": "hemei-demo"})
    token = login.json()["data"]["login"]["token"]
    # A token holder sends its own queries, within the limits.
    signed_in = client.as_token(token)
    assert (await signed_in.data("{ me { username } }"))["me"]["username"] == "city_admin"
    expensive = "{ districts { streets(first: 100) { edges { node { code } } } } }"
    assert codes(await signed_in.post(expensive)) == ["QUERY_TOO_COMPLEX"]


def test_hemei_documents_add_validates_and_lists(tmp_path, monkeypatch, kernel_plugin_site):
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "hemei.toml"
    cfg.write_text(config(tmp_path, required=True), encoding="utf-8")
    good = tmp_path / "districts.graphql"
    good.write_text(DISTRICTS, encoding="utf-8")
    bad = tmp_path / "bad.graphql"
    bad.write_text("{ districts { colour } }", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["documents", "add", "--config", str(cfg), str(good), str(bad)])
    assert refused.exit_code != 0 and "colour" in refused.output
    assert not (tmp_path / "documents.json").exists()  # nothing registered
    added = runner.invoke(main, ["documents", "add", "--config", str(cfg), str(good)])
    assert added.exit_code == 0, added.output
    assert document_hash(DISTRICTS) in added.output and "Districts" in added.output
    listed = runner.invoke(main, ["documents", "list", "--config", str(cfg)])
    assert listed.output.split() == [document_hash(DISTRICTS), "Districts"]
    # the server sees the new file without a restart
    assert DocumentStore(tmp_path / "documents.json").is_registered(DISTRICTS)
