"""Observability: Prometheus metrics at /metrics in the text format with the promised series,
JSON log lines with the request id and without personal data, and OpenTelemetry tracing that
is off by default and records no query text or argument values when on."""

from __future__ import annotations

import io
import json
import logging
import re

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.cases.models import CaseEvent
from core.events.broker import Broker
from schema.observability import logs
from schema.observability.metrics import Metrics, method_of, route_of
from schema.request_id import current_request_id
from tests.support.configs import TEST_CONFIG
from tests.support.server import clean_env, free_port, hemei, running

DISTRICTS = "query Districts { districts { code } }"


def samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Every sample of a scrape by name, parsed as Prometheus does."""
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return found


def value(found: dict, name: str, **labels: str) -> float:
    return sum(
        v for got, v in found.get(name, []) if all(got.get(k) == w for k, w in labels.items())
    )


async def test_metrics_scrape_in_the_text_format_with_every_series(api, orm):
    client = await api()
    await client.data(DISTRICTS)
    await client.data(DISTRICTS)
    denied = await client.post('mutation Nope { runAssessment(quarter: "2026Q1") { workers } }')
    assert denied["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await client.post("{ nosuchfield }")
    event = await CaseEvent.create(case_id=0, district_id=0, kind="PROBE", payload={})
    try:
        response = await client.client.get("/metrics")
        backlog = await CaseEvent.filter(delivered_at=None).count()
    finally:
        await event.delete()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    found = samples(response.text)
    ok = value(found, "hemei_graphql_operations_total", operation="Districts", type="query",
               outcome="ok")  # fmt: skip
    assert ok == 2
    assert value(found, "hemei_graphql_operations_total", operation="Nope", type="mutation",
                 outcome="UNAUTHENTICATED") == 1  # fmt: skip
    assert value(found, "hemei_graphql_operations_total", operation="anonymous",
                 outcome="GRAPHQL_VALIDATION_FAILED") == 1  # fmt: skip
    assert value(found, "hemei_graphql_operation_seconds_count", operation="Districts") == 2
    assert value(found, "hemei_graphql_operation_seconds_bucket", operation="Districts",
                 le="+Inf") == 2  # fmt: skip
    assert value(found, "hemei_http_requests_total", method="POST", route="/graphql",
                 status="200") == 3  # fmt: skip
    assert value(found, "hemei_http_requests_total", route="/graphql", status="400") == 1
    assert value(found, "hemei_http_request_seconds_count", route="/graphql") >= 4
    assert value(found, "hemei_outbox_backlog") == backlog >= 1
    assert value(found, "hemei_outbox_oldest_seconds") >= 0
    assert value(found, "hemei_active_subscriptions") == 0
    pool = {labels["state"]: v for labels, v in found.get("hemei_db_pool_connections", [])}
    if orm.startswith("postgres"):
        assert pool["max"] >= pool["size"] >= pool["idle"] >= 0 and pool["min"] >= 1
    else:
        assert pool == {}, "SQLite has one connection and no pool"


async def test_metrics_can_be_switched_off(api):
    client = await api(TEST_CONFIG + "\n[observability]\nmetrics = false\n")
    assert (await client.client.get("/metrics")).status_code == 404
    await client.data(DISTRICTS)


def test_labels_stay_bounded():
    metrics = Metrics()
    assert metrics.operation_label(None) == "anonymous"
    assert metrics.operation_label("bad name; drop table") == "other"
    names = {metrics.operation_label(f"Op{i}") for i in range(600)}
    assert "other" in names and len(names) == 501
    assert route_of("/photos/123") == "/photos/{id}" and route_of("/secret/42") == "other"
    assert method_of("POST") == "POST" and method_of("BREW") == method_of("X" * 99) == "OTHER"


async def test_subscriptions_are_counted_when_scraped(orm):
    broker = Broker()
    metrics = Metrics(lambda: broker.subscriptions)
    async with broker.subscribe(), broker.subscribe():
        await metrics.refresh()
        assert metrics.active_subscriptions._value.get() == 2
    await metrics.refresh()
    assert metrics.active_subscriptions._value.get() == 0


def test_json_lines_carry_the_request_id_and_mask_personal_data():
    stream = io.StringIO()
    logger = logging.getLogger("hemei.test.json")
    logger.propagate = False
    logger.addHandler(logs.handler("json", stream))
    token = current_request_id.set("req-42")
    try:
        logger.warning("resident %s called from %s", "23040319500101800X", "13912345678")
        try:
            raise ValueError("bad id 230403195001018007")
        except ValueError:
            logger.exception("failed")
    finally:
        current_request_id.reset(token)
        logger.handlers.clear()
    first, second = (json.loads(line) for line in stream.getvalue().splitlines()[:2])
    assert first["request_id"] == "req-42" and first["level"] == "WARNING"
    assert first["message"] == "resident 230403************ called from 139********"
    assert first["logger"] == "hemei.test.json" and first["time"].endswith("+00:00")
    assert "230403195001018007" not in second["traceback"]
    assert "ValueError: bad id 230403************" in second["traceback"]


def test_hemei_serve_writes_json_access_lines_with_the_request_id(tmp_path, scratch_database_url):
    env = clean_env(HEMEI_DATABASE_URL=scratch_database_url, HEMEI_LOG_FORMAT="json")
    config = tmp_path / "hemei.toml"
    config.write_text("", encoding="utf-8")
    hemei("db", "upgrade", "--config", str(config), cwd=tmp_path, env=env, check=True)
    with running(["serve", "--config", str(config)], tmp_path, env, free_port()) as base:
        httpx.post(f"{base}/graphql", json={"query": DISTRICTS},
                   headers={"X-Request-ID": "trace-me-1"}, timeout=10)  # fmt: skip
        # A GET request's document and variables travel in the query string.
        httpx.get(f"{base}/graphql", params={"query": "{ __typename }", "variables":
                  '{"phone": "13912345678"}'}, headers={"X-Request-ID": "trace-me-2"},
                  timeout=10)  # fmt: skip
        scraped = httpx.get(f"{base}/metrics", timeout=10).text
    assert (
        'hemei_graphql_operations_total{operation="Districts",outcome="ok",type="query"} 1.0'
        in scraped
    )
    lines = [json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines()
             if line.startswith("{")]  # fmt: skip
    access = [line for line in lines if line["logger"] == "hemei.access"]
    mine = [line for line in access if line["request_id"] == "trace-me-1"]
    assert len(mine) == 1 and mine[0]["route"] == "/graphql" and mine[0]["status"] == 200
    assert mine[0]["method"] == "POST" and mine[0]["duration_ms"] >= 0
    # One access line a request, Hemei's, without the query string (uvicorn's would repeat it
    # with the full path).
    got = [line for line in access if line["request_id"] == "trace-me-2"]
    assert len(got) == 1 and got[0]["method"] == "GET"
    assert re.fullmatch(r"GET /graphql 200 [0-9.]+ms", got[0]["message"])
    assert not [line for line in lines if line["logger"] == "uvicorn.access"]
    assert "__typename" not in (tmp_path / "server.log").read_text()


# ---------------------------------------------------------------- tracing


def test_tracing_is_off_by_default(api_schema_extensions):
    assert "MetricsExtension" in api_schema_extensions
    assert not any(
        "Tracing" in repr(e) or "OpenTelemetry" in repr(e) for e in api_schema_extensions
    )


@pytest.fixture
async def api_schema_extensions(api):
    client = await api()
    await client.data(DISTRICTS)
    return [type(e()).__name__ for e in _schema_of(client).extensions]


def _schema_of(client):
    app = client.client._transport.app  # httpx.ASGITransport
    route = next(r for r in app.routes if getattr(r, "path", "") == "/graphql")
    return route.endpoint.schema


async def test_tracing_records_spans_without_query_text_or_argument_values(api, monkeypatch):
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from schema.observability import tracing

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(tracing, "tracer_provider", lambda config: provider)
    client = await api(TEST_CONFIG + "\n[observability]\ntracing = true\n")
    secret = "23040319500101800X"
    query = "query Find($n: String!) { district(code: $n) { code } districts { code } }"
    response = await client.client.post(
        "/graphql", json={"query": query, "variables": {"n": secret}},
        headers={"X-Request-ID": "span-1"},
    )  # fmt: skip
    assert "errors" not in response.json()
    spans = exporter.get_finished_spans()
    operation = next(s for s in spans if s.name == "GraphQL Find")
    assert operation.attributes["hemei.request_id"] == "span-1"
    assert operation.attributes["graphql.operation.type"] == "query"
    assert any(s.name == "GraphQL Resolving: districts" for s in spans)
    for span in spans:
        for key, attribute in (span.attributes or {}).items():
            assert key != "query" and secret not in str(attribute)
            assert "districts" not in str(attribute) or key == "graphql.path"
