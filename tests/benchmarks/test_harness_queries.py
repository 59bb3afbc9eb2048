"""The benchmark harness (bench/, `python -m bench`) sends documents Hemei's schema accepts,
and its SQL ceiling answers every operation the harness sends. Cheap: no servers."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from bench.ceiling import sql_by_operation
from bench.workloads import Fixture, global_id, normalise, workloads
from core.plugins.host import build_plugin_host
from schema.builder import build_schema
from schema.cli import builtin_plugin_names

FIXTURE = Fixture(case_id=7, grid_id=3, street_id=2, community_id=2, district_id=1)


@pytest.fixture(scope="module")
def hemei_schema():
    return build_schema(build_plugin_host(builtin_plugin_names())).schema._schema


@pytest.mark.parametrize("leaf", ["cases", "compounds"])
def test_every_workload_document_is_valid_against_hemei(hemei_schema, leaf):
    for workload in workloads(FIXTURE, leaf).values():
        for request in workload.hemei:
            errors = validate(hemei_schema, parse(request.body["query"]))
            assert not errors, f"{workload.name}: {errors}"


def test_postgraphile_documents_parse_and_name_the_same_operations():
    for workload in workloads(FIXTURE).values():
        if workload.postgraphile is None:
            continue
        hemei_ops = [r.body["operationName"] for r in workload.hemei]
        peer_ops = [r.body["operationName"] for r in workload.postgraphile]
        assert hemei_ops == peer_ops
        for request in workload.postgraphile:
            parse(request.body["query"])


@pytest.mark.parametrize("leaf", ["cases", "compounds"])
def test_the_ceiling_has_sql_for_every_operation_sent_to_it(leaf):
    sent = {r.body["operationName"] for w in workloads(FIXTURE, leaf).values() for r in w.hemei}
    assert sent <= set(sql_by_operation(leaf))


def test_answers_normalise_to_database_ids_and_instants():
    hemei = {"node": {"id": global_id("Case", 7), "createdAt": "2026-10-30T23:18:00+08:00"}}
    peer = {"node": {"id": 7, "createdAt": "2026-10-30T15:18:00.000000+00:00"}}
    assert normalise(hemei) == normalise(peer)
    assert normalise({"value": 113}) == normalise({"value": 113.0})
    assert normalise(hemei) != normalise(
        {"node": {"id": 8, "createdAt": peer["node"]["createdAt"]}}
    )
