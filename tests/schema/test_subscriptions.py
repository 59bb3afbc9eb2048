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

from tests.support.configs import with_limits
from tests.support.server import clean_env, free_port, running

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kernel_server(tmp_path, scratch_database_url, kernel_plugin_site):
    # The server process finds the kernel_test plugin the way pip would have installed it.
    env = clean_env(
        HEMEI_DATABASE_URL=scratch_database_url, PYTHONPATH=f"{kernel_plugin_site}:{ROOT}"
    )
    config = tmp_path / "hemei.toml"
    limits = with_limits(max_subscriptions_per_connection=2, connection_init_timeout_seconds=2)
    config.write_text(
        limits + '\n[security]\nsecret_key = "kernel-server-test-key"\n', encoding="utf-8"
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


def closed_code(ws, message: dict | None) -> int | None:
    if message is not None:
        ws.send(json.dumps(message))
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    return closed.value.rcvd.code if closed.value.rcvd is not None else None


def test_websockets_without_handshake_or_token_are_refused(kernel_server):
    url = kernel_server.replace("http://", "ws://") + "/graphql"
    subscribe = {
        "id": "1",
        "type": "subscribe",
        "payload": {"query": "subscription { kernelTicks }"},
    }
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        assert closed_code(ws, subscribe) == 4401  # subscribe before connection_init
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        assert closed_code(ws, {"type": "connection_init", "payload": {}}) == 4403  # no token
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        assert closed_code(ws, {"type": "connection_init"}) == 4403  # no payload at all
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        assert closed_code(ws, None) == 4408  # no connection_init within the 2 s configured
    with connect(url, subprotocols=["graphql-ws"], open_timeout=10) as ws:
        assert closed_code(ws, None) == 4406  # the old protocol is not served


def test_operations_per_connection_are_capped_and_a_case_of_another_scope_never_arrives(
    kernel_server,
):
    base = kernel_server
    admin = login(base, "gongnong_admin")
    reporter = login(base, "resident_nanshan")
    outside = httpx.post(
        f"{base}/graphql",
        timeout=10,
        headers={"Authorization": f"Bearer {reporter}"},
        json={"query": REPORT, "variables": {"c": compound_in(base, reporter, "nanshan")}},
    ).json()["data"]["reportCase"]["id"]
    one = f'subscription {{ caseUpdated(caseId: "{outside}") {{ id title }} }}'
    with subscribed(base, admin, one) as ws:
        ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": one}}))
        ws.send(json.dumps({"id": "3", "type": "subscribe", "payload": {"query": one}}))
        refused = json.loads(ws.recv(timeout=10))
        assert refused["id"] == "3" and refused["type"] == "error"
        assert refused["payload"][0]["extensions"] == {
            "code": "RATE_LIMITED",
            "limit": "subscriptionsPerConnection",
            "max": 2,
        }
        # 南山区's admin accepts the 南山区 case: the 工农区 admin subscribed to it by id, and
        # still hears nothing, while 南山区's admin (subscribed too) does.
        nanshan = login(base, "nanshan_admin")
        with subscribed(base, nanshan, one) as theirs:
            accepted = graphql(
                base,
                nanshan,
                "mutation($c: ID!, $v: Int!) { actOnCase(input: {caseId: $c, version: $v, "
                "action: ACCEPT}) { id } }",
                {"c": outside, "v": version_of(base, nanshan, outside)},
            )
            assert "errors" not in accepted, accepted
            assert json.loads(theirs.recv(timeout=10))["payload"]["data"]["caseUpdated"]["id"] == (
                outside
            )
        with pytest.raises(TimeoutError):
            ws.recv(timeout=1.5)


def graphql(base: str, token: str, query: str, variables: dict) -> dict:
    return httpx.post(
        f"{base}/graphql",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
        json={"query": query, "variables": variables},
    ).json()


def version_of(base: str, token: str, case_id: str) -> int:
    body = graphql(
        base, token, "query($c: ID!) { node(id: $c) { ... on Case { version } } }", {"c": case_id}
    )
    return body["data"]["node"]["version"]
