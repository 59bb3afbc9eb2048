"""Limits on requests and clients: the per-viewer rate limit, body size, batch size and uploads.
Each refusal is a GraphQL error with a code and runs no SQL."""

from __future__ import annotations

import json

import pytest

from core.db.statements import count_statements
from schema.limits.rate import MemoryRateLimiter, Rate
from tests.cases.test_ladder_api import report
from tests.cases.test_photos import JPEG, PNG, upload
from tests.support.api import codes
from tests.support.configs import with_limits

GQL = "application/graphql-response+json"


async def test_token_bucket_refills_at_its_rate():
    now = [0.0]
    limiter = MemoryRateLimiter(clock=lambda: now[0])
    rate = Rate(per_minute=60, burst=3)
    assert [(await limiter.take("k", rate)).allowed for _ in range(4)] == [True] * 3 + [False]
    refused = await limiter.take("k", rate)
    assert refused.retry_after_seconds == 1
    now[0] += 1.0
    assert (await limiter.take("k", rate)).allowed
    assert not (await limiter.take("k", rate)).allowed
    assert (await limiter.take("other", rate)).allowed  # buckets are per key
    assert (await limiter.take("k", Rate(per_minute=0, burst=1))).allowed  # 0: no limit


async def test_buckets_are_bounded():
    limiter = MemoryRateLimiter(max_keys=10)
    for i in range(100):
        await limiter.take(f"client:{i}", Rate(60, 5))
    assert len(limiter._buckets) == 10


async def test_rate_limit_per_account_and_per_client_address(api):
    client = await api(with_limits(rate_per_minute=60, anonymous_rate_per_minute=60, rate_burst=3))
    admin = await client.signed_in("city_admin")  # the login takes one anonymous token
    for _ in range(3):
        assert (await admin.post("{ me { username } }")).get("data")
    with count_statements() as log:
        response = await admin.client.post(
            "/graphql",
            json={"query": "{ me { username } }"},
            headers={"Authorization": f"Bearer {admin.token}", "accept": GQL},
        )
    assert log.count == 0
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfterSeconds"] >= 1
    # With application/json a well-formed request answers 200, the error says the rest.
    legacy = await admin.client.post(
        "/graphql",
        json={"query": "{ me { username } }"},
        headers={"Authorization": f"Bearer {admin.token}", "accept": "application/json"},
    )
    assert legacy.status_code == 200 and codes(legacy.json()) == ["RATE_LIMITED"]
    # Another account, and anonymous clients, have their own buckets.
    other = await client.signed_in("gongnong_admin")
    assert (await other.post("{ me { username } }")).get("data")
    assert codes(await client.post("{ __typename }")) == []
    assert codes(await client.post("{ __typename }")) == ["RATE_LIMITED"]


async def test_a_forged_token_cannot_pick_a_fresh_bucket(api):
    client = await api(with_limits(anonymous_rate_per_minute=60, rate_burst=2))
    forged = [client.as_token(f"forged-{i}") for i in range(3)]
    answers = [codes(await f.post("{ __typename }")) for f in forged]
    # forged tokens count as the client address: the third is refused
    assert answers[2] == ["RATE_LIMITED"]


async def test_body_size_is_limited_whatever_content_length_says(api):
    client = await api(with_limits(max_body_bytes=2048))
    big = "{ __typename }" + " " * 4096
    with count_statements() as log:
        response = await client.client.post("/graphql", json={"query": big})
    assert log.count == 0
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {
        "code": "REQUEST_TOO_LARGE",
        "limit": "bodyBytes",
        "max": 2048,
    }

    async def chunks():  # no Content-Length: counted while read
        for _ in range(10):
            yield b" " * 1024

    streamed = await client.client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    long_get = await client.client.get("/graphql", params={"query": big})
    assert long_get.status_code == 413


async def test_batches_run_in_order_within_their_limit(api):
    client = await api(with_limits(max_batch_operations=2))
    login = 'mutation { login(username: "city_admin", password: "hemei-demo") { token } }'
    response = await client.client.post(
        "/graphql", json=[{"query": login}, {"query": "{ __typename }"}]
    )
    assert response.status_code == 200
    first, second = response.json()
    assert first["data"]["login"]["token"] and second == {"data": {"__typename": "Query"}}
    with count_statements() as log:
        too_many = await client.client.post("/graphql", json=[{"query": "{ __typename }"}] * 3)
    assert log.count == 0
    assert too_many.status_code == 413
    assert too_many.json()["errors"][0]["extensions"]["limit"] == "batchOperations"
    empty = await client.client.post("/graphql", json=[])
    assert empty.status_code == 413


async def test_batching_can_be_turned_off(api):
    client = await api(with_limits(max_batch_operations=0))
    response = await client.client.post("/graphql", json=[{"query": "{ __typename }"}])
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"]


async def test_each_operation_of_a_batch_meets_the_document_limits(api):
    client = await api(with_limits(max_depth=3))
    response = await client.client.post(
        "/graphql",
        json=[
            {"query": "{ __typename }"},
            {"query": "{ districts { streets { edges { node { code } } } } }"},
        ],
    )
    ok, refused = response.json()
    assert ok == {"data": {"__typename": "Query"}}
    assert codes(refused) == ["QUERY_TOO_COMPLEX"]


async def test_a_batch_costs_one_token_per_operation(api):
    client = await api(with_limits(anonymous_rate_per_minute=60, rate_burst=3))
    response = await client.client.post("/graphql", json=[{"query": "{ __typename }"}] * 4)
    assert codes(response.json()) == ["RATE_LIMITED"]


@pytest.mark.parametrize("production", [False, True])
async def test_uploads_are_limited_in_count_and_bytes(api, production):
    extra = '\n[server]\nproduction = true\n[security]\nsecret_key = "Upl0ad-test-key-that-is-long-enough-xx"\n'
    client = await api(
        with_limits(max_upload_files=2, max_upload_bytes=64 * 1024) + (extra if production else "")
    )
    resident = await client.signed_in("resident_xinhong")
    case = await report(resident, title="照片太多")
    three = [
        ("a.png", PNG, "image/png"),
        ("b.jpg", JPEG, "image/jpeg"),
        ("c.png", PNG, "image/png"),
    ]
    with count_statements() as log:
        body = await upload(resident, case["id"], three)
    assert codes(body) == ["REQUEST_TOO_LARGE"] and log.count == 0
    big = [("a.png", PNG + b"\x00" * 70_000, "image/png")]
    assert codes(await upload(resident, case["id"], big)) == ["REQUEST_TOO_LARGE"]
    assert not codes(await upload(resident, case["id"], three[:2]))


async def test_production_refuses_anonymous_uploads(api):
    extra = '\n[server]\nproduction = true\n[security]\nsecret_key = "Upl0ad-test-key-that-is-long-enough-xx"\n'
    client = await api(with_limits() + extra)
    operations = {"query": "mutation($p: [Upload!]!) { __typename }", "variables": {"p": [None]}}
    with count_statements() as log:
        response = await client.client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.p.0"]}),
            },
            files={"0": ("a.png", PNG, "image/png")},
        )
    assert log.count == 0
    assert response.status_code == 401
    assert codes(response.json()) == ["UNAUTHENTICATED"]
