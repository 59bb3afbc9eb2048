"""Sending deliveries: signed POSTs, retried with back-off, every attempt logged, and a circuit
breaker that pauses an endpoint after consecutive failures.

Several processes may run a sender: each claims the deliveries it sends with a lease (a
conditional UPDATE), so none is sent twice at once. Deliveries of one endpoint are sent one
after another, endpoints in parallel. An endpoint that failed ``failure_threshold`` times in a
row is paused for ``cooldown`` (doubling each time it trips again, up to ``cooldown_max``);
after the pause one delivery probes it: a success closes the breaker, a failure opens it again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.expressions import F, Q

from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from core.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
)

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("hemei.webhooks")

PENDING, DELIVERED, FAILED = "PENDING", "DELIVERED", "FAILED"


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard a delivery is tried."""

    timeout_seconds: float = 10
    max_attempts: int = 10
    """Attempts before a delivery is given up (FAILED; an admin may re-send it)."""
    backoff_seconds: float = 10
    """Wait after the first failure; it doubles after each further one."""
    backoff_max_seconds: float = 3600
    jitter: float = 0.1
    """Each wait is stretched by up to this share, at random, so retries do not stampede."""
    failure_threshold: int = 5
    """Consecutive failed attempts that pause an endpoint."""
    cooldown_seconds: float = 60
    cooldown_max_seconds: float = 3600
    lease_seconds: float = 60
    batch: int = 100

    def backoff(self, failures: int) -> timedelta:
        wait = min(self.backoff_max_seconds, self.backoff_seconds * 2 ** max(failures - 1, 0))
        return timedelta(seconds=wait * (1 + random.random() * self.jitter))

    def cooldown(self, trips: int) -> timedelta:
        return timedelta(
            seconds=min(self.cooldown_max_seconds, self.cooldown_seconds * 2 ** max(trips, 0))
        )


class WebhookSender:
    def __init__(
        self,
        policy: DeliveryPolicy | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.policy = policy or DeliveryPolicy()
        self.now = now
        self.transport = transport
        self.wake = asyncio.Event()

    async def run_once(self) -> int:
        """Send the deliveries that are due; returns how many were attempted."""
        now = self.now()
        open_endpoints = await WebhookEndpoint.filter(
            Q(paused_until=None) | Q(paused_until__lte=now), active=True
        ).values("id", "url", "secret")
        if not open_endpoints:
            return 0
        by_id = {e["id"]: e for e in open_endpoints}
        due = (
            await WebhookDelivery.filter(status=PENDING, endpoint_id__in=list(by_id))
            .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
            .order_by("id")
            .limit(self.policy.batch)
            .values("id", "endpoint_id", "next_attempt_at")
        )
        claimed: dict[int, list[int]] = {}
        lease = now + timedelta(seconds=self.policy.lease_seconds)
        for row in due:
            mine = Q(next_attempt_at=None) | Q(next_attempt_at=row["next_attempt_at"])
            if await WebhookDelivery.filter(Q(id=row["id"]) & mine, status=PENDING).update(
                next_attempt_at=lease
            ):
                claimed.setdefault(row["endpoint_id"], []).append(row["id"])
        import httpx  # here, not at start-up: a server without webhooks never loads it (18 MB)

        async with httpx.AsyncClient(
            transport=self.transport, timeout=self.policy.timeout_seconds
        ) as client:
            await asyncio.gather(
                *(self._endpoint(client, by_id[e], ids) for e, ids in claimed.items())
            )
        return sum(len(ids) for ids in claimed.values())

    async def _endpoint(
        self, client: httpx.AsyncClient, endpoint: dict[str, Any], ids: list[int]
    ) -> None:
        for index, delivery_id in enumerate(ids):
            if not await self._attempt(client, endpoint, delivery_id):
                paused = await WebhookEndpoint.filter(id=endpoint["id"]).values_list(
                    "paused_until", flat=True
                )
                if paused and paused[0] is not None:
                    # The breaker opened: the rest wait for the pause to end.
                    await WebhookDelivery.filter(id__in=ids[index + 1 :], status=PENDING).update(
                        next_attempt_at=paused[0]
                    )
                    return

    async def _attempt(
        self, client: httpx.AsyncClient, endpoint: dict[str, Any], delivery_key: int
    ) -> bool:
        delivery = await WebhookDelivery.get(id=delivery_key)
        started = self.now()
        timestamp = int(started.timestamp())
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Hemei-Webhooks/1",
            DELIVERY_HEADER: delivery.delivery_id,
            EVENT_HEADER: delivery.event_type,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(endpoint["secret"], timestamp, body),
        }
        import httpx

        clock = time.perf_counter()
        status: int | None = None
        error: str | None = None
        try:
            response = await client.post(endpoint["url"], content=body, headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
        duration = int((time.perf_counter() - clock) * 1000)
        number = delivery.attempts + 1
        await WebhookAttempt.create(
            delivery_id=delivery.id, number=number, started_at=started, duration_ms=duration,
            status_code=status, error=error,
            resent=delivery.attempts_from > 0 and number == delivery.attempts_from + 1,
        )  # fmt: skip
        now = self.now()
        if error is None:
            await WebhookDelivery.filter(id=delivery.id).update(
                status=DELIVERED, attempts=number, delivered_at=now, next_attempt_at=None,
                last_status_code=status, last_error=None,
            )  # fmt: skip
            await WebhookEndpoint.filter(id=endpoint["id"]).update(
                consecutive_failures=0, breaker_trips=0, paused_until=None, last_success_at=now
            )
            return True
        failures = number - delivery.attempts_from
        gave_up = failures >= self.policy.max_attempts
        await WebhookDelivery.filter(id=delivery.id).update(
            status=FAILED if gave_up else PENDING, attempts=number,
            next_attempt_at=None if gave_up else now + self.policy.backoff(failures),
            last_status_code=status, last_error=error,
        )  # fmt: skip
        if gave_up:
            log.warning("webhook delivery %s given up after %d attempts", delivery.id, failures)
        await self._failed(endpoint["id"], now)
        return False

    async def _failed(self, endpoint_id: int, now: datetime) -> None:
        await WebhookEndpoint.filter(id=endpoint_id).update(
            consecutive_failures=F("consecutive_failures") + 1, last_failure_at=now
        )
        row = await WebhookEndpoint.get(id=endpoint_id)
        if row.consecutive_failures >= self.policy.failure_threshold:
            until = now + self.policy.cooldown(row.breaker_trips)
            await WebhookEndpoint.filter(id=endpoint_id).update(
                paused_until=until, breaker_trips=row.breaker_trips + 1
            )
            log.warning(
                "webhook endpoint %s paused until %s after %d failures in a row",
                endpoint_id, until.isoformat(), row.consecutive_failures,
            )  # fmt: skip

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Send until ``stop`` is set, every ``interval`` seconds or when woken."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("webhook round failed; retrying")
            self.wake.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=interval)
