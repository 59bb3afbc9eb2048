"""Subscriptions that plugins contribute are served over graphql-transport-ws by a real
`hemei serve` process (uvicorn needs a WebSocket implementation installed for this)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.support.configs import TEST_CONFIG
from tests.support.server import clean_env, free_port, running

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kernel_server(tmp_path, scratch_database_url, kernel_plugin_site):
    # The server process finds the kernel_test plugin the way pip would have installed it.
    env = clean_env(
        HEMEI_DATABASE_URL=scratch_database_url, PYTHONPATH=f"{kernel_plugin_site}:{ROOT}"
    )
    config = tmp_path / "hemei.toml"
    config.write_text(
        TEST_CONFIG + '\n[security]\nsecret_key = "kernel-server-test-key"\n', encoding="utf-8"
    )
    with running(["demo", "--config", str(config)], tmp_path, env, free_port()) as base:
        yield base


def test_plugin_subscription_over_graphql_transport_ws(kernel_server):
    token = login(kernel_server, "xinhong_grid1")
    with subscribed(kernel_server, token, "subscription { kernelTicks(n: 3) }") as ws:
        messages = [json.loads(ws.recv(timeout=10)) for _ in range(4)]
    assert [m["payload"]["data"]["kernelTicks"] for m in messages[:3]] == [0, 1, 2]
    assert messages[3] == {"id": "1", "type": "complete"}


@contextmanager
def subscribed(base: str, token: str, query: str) -> Iterator[Any]:
    """A signed-in graphql-transport-ws connection with one subscription (id "1") open."""
    url = base.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        ws.send(json.dumps(init))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        yield ws


def login(base: str, username: str) -> str:
    response = httpx.post(
        f"{base}/graphql",
        timeout=10,
        json={
            "query": 'mutation($u: String!) { login(username: $u, password: "hemei-demo") { token } }',
            "variables": {"u": username},
        },
    )
    return response.json()["data"]["login"]["token"]


def test_websocket_with_a_bad_token_is_closed(kernel_server):
    url = kernel_server.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}})
        )
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


REPORT = """mutation($c: ID!) { reportCase(input: {title: "live", category: "sanitation", compoundId: $c}) { id } }"""


def compound_in(base: str, token: str, district: str) -> str:
    query = (
        "query($d: String!) { district(code: $d) { communities(first: 1) { edges { node { "
        "compounds(first: 1) { edges { node { id } } } } } } } }"
    )
    body = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": {"d": district}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    return body["data"]["district"]["communities"]["edges"][0]["node"]["compounds"]["edges"][0][
        "node"
    ]["id"]


def test_case_updates_reach_subscribers_of_their_scope_only(kernel_server):
    base = kernel_server
    admin = login(base, "gongnong_admin")
    reporter = login(base, "resident_nanshan")
    query = "subscription { caseUpdated { id title status grid { code } } }"
    with subscribed(base, admin, query) as ws:
        outside = httpx.post(
            f"{base}/graphql",
            timeout=10,
            headers={"Authorization": f"Bearer {reporter}"},
            json={"query": REPORT, "variables": {"c": compound_in(base, reporter, "nanshan")}},
        ).json()
        inside = httpx.post(
            f"{base}/graphql",
            timeout=10,
            headers={"Authorization": f"Bearer {reporter}"},
            json={"query": REPORT, "variables": {"c": compound_in(base, reporter, "gongnong")}},
        ).json()
        assert "errors" not in outside and "errors" not in inside
        message = json.loads(ws.recv(timeout=10))
        assert message["payload"]["data"]["caseUpdated"]["id"] == inside["data"]["reportCase"]["id"]
        with pytest.raises(TimeoutError):
            ws.recv(timeout=1.5)  # the 南山区 case never arrives
