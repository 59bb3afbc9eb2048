"""Webhooks end to end: a receiver on loopback gets every case event of its webhook's scope,
once per delivery id, signed, retried after it answers 500; the delivery log shows each
attempt; a failing endpoint is paused by the circuit breaker; admins re-send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from core.cases.models import CaseEvent
from core.events.broker import Broker
from core.events.relay import OutboxRelay
from core.regions.models import Compound, District
from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from core.webhooks.sender import DeliveryPolicy, WebhookSender
from core.webhooks.signing import signature, verify
from tests.cases.test_ladder_api import REPORT, act, gid, report
from tests.support.api import codes
from tests.webhooks.support import DELIVERIES, REGISTER, own_the_outbox, receiver

FAST = DeliveryPolicy(backoff_seconds=0, jitter=0, timeout_seconds=5)


async def register(admin, url: str, place: str | None, types=("case.*",)) -> dict:
    data = await admin.data(
        REGISTER, {"i": {"url": url, "eventTypes": list(types), "placeId": place}}
    )
    return data["registerWebhook"]


async def report_in(client, district: str, title: str) -> dict:
    # By id, not through the relation: a join on district__code depends on Tortoise's relation
    # registry, which other tests in the same process rebuild.
    found = await District.get(code=district)
    compound = await Compound.filter(district_id=found.id).order_by("id").first()
    data = await client.data(
        REPORT,
        {"i": {"title": title, "category": "property_management",
               "compoundId": gid("Compound", compound.id)}},
    )  # fmt: skip
    return data["reportCase"]


async def drain(relay: OutboxRelay, sender: WebhookSender, rounds: int = 20) -> None:
    """Relay the outbox into deliveries, then send until nothing is due."""
    while await relay.run_once():
        pass
    for _ in range(rounds):
        if not await sender.run_once():
            return


async def test_a_loopback_receiver_gets_each_event_of_its_scope_once_signed_and_retried(api):
    client = await api()
    await own_the_outbox()
    city = await client.signed_in("city_admin")
    gongnong = await District.get(code="gongnong")
    async with receiver() as hook:
        made = await register(city, hook.url("/gongnong"), gid("District", gongnong.id))
        hook.secrets["/gongnong"] = made["secret"]
        # The first request of every third delivery fails with 500.
        failing: set[str] = set()

        def answer(path: str, delivery: str, nth: int) -> int:
            if nth == 1 and len(failing) < 3 and delivery not in failing:
                failing.add(delivery)
                return 500
            return 200

        hook.answer = answer
        since = await CaseEvent.all().order_by("-id").first()
        resident = await client.signed_in("resident_xinhong")
        worker = await client.signed_in("xinhong_grid1")
        for i in range(4):
            case = await report(resident, title=f"网钩{i}")
            await act(worker, case, "ACCEPT")
        await report_in(await client.signed_in("resident_nanshan"), "nanshan", "南山不送")
        relay = OutboxRelay(client.runtime.host, Broker())
        await drain(relay, WebhookSender(FAST))

    events = await CaseEvent.filter(id__gt=since.id if since else 0).values(
        "id", "district_id", "kind"
    )
    in_scope = {e["id"] for e in events if e["district_id"] == gongnong.id}
    assert len(in_scope) == 8 and len(events) == 9, "4 reports and 4 accepts, 1 out of scope"
    accepted = hook.accepted("/gongnong")
    by_event = {}
    for got in accepted:
        by_event.setdefault(got.body["eventId"], set()).add(got.delivery_id)
    assert set(by_event) == in_scope, "every event of its scope, and none outside it"
    assert all(len(ids) == 1 for ids in by_event.values()), "one delivery id per event"
    assert len(accepted) == len(in_scope), "each acknowledged once"
    assert all(r.signed for r in hook.requests), "every request is signed with its secret"
    assert {r.event_type for r in accepted} == {"case.REPORT", "case.ACCEPT"}
    assert len(failing) == 3
    for delivery in failing:
        tries = [r for r in hook.requests if r.delivery_id == delivery]
        assert [r.answered for r in tries] == [500, 200], "retried after the 500"
        assert tries[0].body == tries[1].body, "the very same body"
    log = await city.data(DELIVERIES, {"w": made["webhook"]["id"]})
    nodes = [e["node"] for e in log["webhookDeliveries"]["edges"]]
    assert {n["status"] for n in nodes} == {"DELIVERED"} and len(nodes) == 8
    retried = [n for n in nodes if n["deliveryId"] in failing]
    assert [a["statusCode"] for a in retried[0]["attemptLog"]] == [500, 200]
    assert all(n["attempts"] == 1 for n in nodes if n["deliveryId"] not in failing)


async def test_the_circuit_breaker_pauses_a_failing_endpoint_until_resumed(api):
    client = await api()
    await own_the_outbox()
    city = await client.signed_in("city_admin")
    clock = [datetime.now(UTC)]
    policy = DeliveryPolicy(backoff_seconds=0, jitter=0, failure_threshold=3,
                            cooldown_seconds=600, timeout_seconds=5)  # fmt: skip
    sender = WebhookSender(policy, now=lambda: clock[0])
    async with receiver() as hook:
        made = await register(city, hook.url("/down"), None, ["case.REPORT"])
        endpoint_id = int(GlobalID.from_id(made["webhook"]["id"]).node_id)
        hook.answer = lambda path, delivery, nth: 503
        resident = await client.signed_in("resident_xinhong")
        for i in range(5):
            await report(resident, title=f"熔断{i}")
        relay = OutboxRelay(client.runtime.host, Broker())
        while await relay.run_once():
            pass
        for _ in range(5):
            await sender.run_once()
        assert len(hook.requests) == 3, "three failures open the breaker"
        endpoint = await WebhookEndpoint.get(id=endpoint_id)
        assert endpoint.paused_until == clock[0] + timedelta(seconds=600)
        view = await city.data("query($id: ID!) { node(id: $id) { ... on Webhook { paused consecutiveFailures } } }",
                               {"id": made["webhook"]["id"]})  # fmt: skip
        assert view["node"] == {"paused": True, "consecutiveFailures": 3}

        # After the cool-down one probe goes out; it fails, so the breaker opens again, longer.
        clock[0] += timedelta(seconds=601)
        await sender.run_once()
        assert len(hook.requests) == 4
        endpoint = await WebhookEndpoint.get(id=endpoint_id)
        assert endpoint.paused_until == clock[0] + timedelta(seconds=1200)

        # The endpoint recovers; an admin resumes it and everything waiting goes out.
        hook.answer = lambda path, delivery, nth: 200
        resumed = await city.data("mutation($id: ID!) { resumeWebhook(webhookId: $id) { paused } }",
                                  {"id": made["webhook"]["id"]})  # fmt: skip
        assert resumed["resumeWebhook"]["paused"] is False
        for _ in range(3):
            await sender.run_once()
    assert len({r.delivery_id for r in hook.accepted("/down")}) == 5
    assert await WebhookDelivery.filter(endpoint_id=endpoint_id, status="DELIVERED").count() == 5


async def test_a_given_up_delivery_is_resent_by_an_admin_with_its_id(api):
    client = await api()
    await own_the_outbox()
    admin = await client.signed_in("gongnong_admin")
    gongnong = await District.get(code="gongnong")
    sender = WebhookSender(DeliveryPolicy(backoff_seconds=0, jitter=0, max_attempts=2,
                                          failure_threshold=100, timeout_seconds=5))  # fmt: skip
    async with receiver() as hook:
        made = await register(admin, hook.url("/flaky"), gid("District", gongnong.id))
        hook.secrets["/flaky"] = made["secret"]
        hook.answer = lambda path, delivery, nth: 500
        await report(await client.signed_in("resident_xinhong"), title="重发")
        await drain(OutboxRelay(client.runtime.host, Broker()), sender)
        failed = await admin.data(DELIVERIES, {"w": made["webhook"]["id"], "s": "FAILED"})
        [node] = [e["node"] for e in failed["webhookDeliveries"]["edges"]]
        assert node["attempts"] == 2 and node["lastStatusCode"] == 500
        hook.answer = lambda path, delivery, nth: 200
        resent = await admin.data(
            "mutation($id: ID!) { resendWebhookDelivery(deliveryId: $id) { status deliveryId } }",
            {"id": node["id"]},
        )
        assert resent["resendWebhookDelivery"] == {
            "status": "PENDING",
            "deliveryId": node["deliveryId"],
        }
        await sender.run_once()
    assert [r.answered for r in hook.requests] == [500, 500, 200]
    assert {r.delivery_id for r in hook.requests} == {node["deliveryId"]}
    attempts = await WebhookAttempt.filter(delivery__delivery_id=node["deliveryId"]).order_by("id")
    assert [(a.number, a.resent) for a in attempts] == [(1, False), (2, False), (3, True)]


async def test_registration_is_checked(api):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    nanshan = await District.get(code="nanshan")
    bad_url = await admin.post(REGISTER, {"i": {"url": "ftp://x", "eventTypes": ["case.*"]}})
    assert codes(bad_url) == ["BAD_USER_INPUT"]
    bad_type = await admin.post(
        REGISTER, {"i": {"url": "https://x.test/h", "eventTypes": ["case.EXPLODE"]}}
    )
    assert codes(bad_type) == ["BAD_USER_INPUT"]
    assert "case.ESCALATE" in bad_type["errors"][0]["extensions"]["known"]
    elsewhere = await admin.post(REGISTER, {"i": {"url": "https://x.test/h", "eventTypes": ["case.*"],
                                                  "placeId": gid("District", nanshan.id)}})  # fmt: skip
    assert codes(elsewhere) == ["FORBIDDEN"]
    city_wide = await admin.post(
        REGISTER, {"i": {"url": "https://x.test/h", "eventTypes": ["case.*"]}}
    )
    assert codes(city_wide) == ["FORBIDDEN"], "a district admin cannot subscribe the whole city"
    worker = await client.signed_in("xinhong_worker")
    assert codes(
        await worker.post(REGISTER, {"i": {"url": "https://x.test/h", "eventTypes": ["case.*"]}})
    ) == ["FORBIDDEN"]
    types = await worker.data("{ webhookEventTypes }")
    assert types["webhookEventTypes"][:2] == ["case.*", "case.REPORT"]


def test_signatures_verify_and_refuse_tampering():
    body, secret, now = b'{"a":1}', "s3cret", 1_800_000_000
    signed = signature(secret, now, body)
    assert signed.startswith("sha256=") and len(signed) == 71
    assert verify(secret, str(now), body, signed, now=now + 10)
    assert not verify(secret, str(now), body + b" ", signed, now=now)
    assert not verify("other", str(now), body, signed, now=now)
    assert not verify(secret, str(now), body, signed, now=now + 301), "too old: a replay"
    assert not verify(secret, "soon", body, signed, now=now)
