"""Keep each report's status in step with its case (idempotent: an event carries the state
after the change, so a repeat changes nothing)."""

from __future__ import annotations

from datetime import UTC, datetime

from core import DomainEvent

from winter_city.models import WinterReport

STATUS = {"RESOLVED": "RESOLVED", "CLOSED": "CLOSED", "REJECTED": "CLOSED"}


async def follow(event: DomainEvent) -> None:
    status = STATUS.get(str(event.payload.get("status")), "OPEN")
    changes: dict[str, object] = {"status": status}
    if status == "RESOLVED":
        changes["resolved_at"] = event.created_at or datetime.now(UTC)
    await WinterReport.filter(case_id=event.case_id).update(**changes)
