"""The outbox relay: delivers case events to plugins (``on_case_event``), subscriptions and
webhooks (as deliveries that :mod:`core.webhooks.sender` sends).

Events are written in the transaction of the change they describe, so none is lost and none
describes a change that was rolled back. The relay claims due events with a conditional
UPDATE (a lease), so several processes can run it at once without delivering one event twice
at the same time. Delivery is at least once: a plugin that raises gets the event again later
(with growing back-off, logged each time), and the case change it reacts to stays.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from core.activation import Activation
from core.cases.models import CaseEvent
from core.events.broker import Broker, DomainEvent
from core.plugins.barrier import contained
from core.plugins.host import PluginHost
from core.webhooks.fanout import enqueue as enqueue_webhooks

log = logging.getLogger("hemei.events")

LEASE = timedelta(seconds=30)
MAX_BACKOFF = timedelta(minutes=10)


class OutboxRelay:
    def __init__(
        self,
        host: PluginHost,
        broker: Broker,
        *,
        batch: int = 100,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        activation: Callable[[], Activation] | None = None,
    ) -> None:
        """``activation`` gives the module switches in force at delivery (the app passes the
        runtime's); plugins that ask for it get ``None`` from a relay built without one."""
        self.host, self.broker, self.batch, self.now = host, broker, batch, now
        self.activation = activation
        self.wake = asyncio.Event()

    async def run_once(self) -> int:
        """Deliver the events that are due; returns how many were attempted."""
        now = self.now()
        due = (
            await CaseEvent.filter(delivered_at=None)
            .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
            .order_by("id").limit(self.batch)
            .values("id", "case_id", "district_id", "kind", "payload", "created_at", "attempts",
                    "next_attempt_at")
        )  # fmt: skip
        attempted = 0
        for row in due:
            lease = Q(next_attempt_at=None) | Q(next_attempt_at=row["next_attempt_at"])
            claimed = await CaseEvent.filter(Q(id=row["id"]) & lease, delivered_at=None).update(
                next_attempt_at=now + LEASE
            )
            if not claimed:
                continue  # another process has it
            attempted += 1
            event = DomainEvent(row["id"], row["case_id"], row["district_id"], row["kind"],
                                row["payload"], row["created_at"])  # fmt: skip
            if row["attempts"] == 0:
                await self.broker.publish(event)
            await self._deliver(event, row["attempts"], now)
        return attempted

    async def _deliver(self, event: DomainEvent, attempts: int, now: datetime) -> None:
        errors = []
        try:
            # Webhook deliveries are made once per endpoint and event (a unique key), so a
            # retry of the event for a failing plugin adds none.
            await enqueue_webhooks(event)
        except Exception as exc:
            errors.append(f"webhooks: {type(exc).__name__}: {exc}")
            log.exception("webhook deliveries of case event %s could not be made", event.id)
        impls = self.host.manager.hook.on_case_event.get_hookimpls()
        offered = {"event": event, "activation": self.activation() if self.activation else None}
        for impl in impls:
            try:
                # contained: a plugin's SystemExit must not end the relay (or the process)
                with contained(impl.plugin_name, "on_case_event"):
                    result = impl.function(**{name: offered[name] for name in impl.argnames})
                    if inspect.isawaitable(result):
                        await result
            except Exception as exc:
                errors.append(f"{impl.plugin_name}: {type(exc).__name__}: {exc}")
                log.exception("plugin %s failed on case event %s", impl.plugin_name, event.id)
        if not errors:
            await CaseEvent.filter(id=event.id).update(delivered_at=now, attempts=attempts + 1)
            return
        backoff = min(MAX_BACKOFF, timedelta(seconds=2 ** min(attempts + 1, 10)))
        await CaseEvent.filter(id=event.id).update(
            attempts=attempts + 1,
            next_attempt_at=now + backoff,
            last_error="; ".join(errors)[:2000],
        )

    async def run(self, stop: asyncio.Event, interval: float = 0.5) -> None:
        """Deliver until ``stop`` is set, polling every ``interval`` seconds (or when woken)."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox relay round failed; retrying")
            self.wake.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=interval)
