"""Figures of the one-stop services at a place over a period ("handled at the doorstep")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q

from core.stations.models import ServiceApplication


@dataclass(frozen=True)
class ServiceFigures:
    received: int
    done: int
    rejected: int
    withdrawn: int
    open: int
    at_doorstep: int
    doorstep_rate: float | None
    """Of the applications done, the share handled at the applicant home."""
    on_time_rate: float | None
    """Of the applications done, the share finished within the item time limit."""
    average_hours_to_finish: float | None
    by_category: dict[str, int]
    by_item: dict[str, int]


async def service_figures(scope: Q, start: datetime, end: datetime) -> ServiceFigures:
    """Applications received in [start, end) within ``scope`` and what became of them."""
    rows = await ServiceApplication.filter(
        scope, created_at__gte=start, created_at__lt=end
    ).values(
        "status", "at_doorstep", "created_at", "finished_at", "item__category", "item__code",
        "item__time_limit_days",
    )  # fmt: skip
    done = [r for r in rows if r["status"] == "DONE"]
    by_category: dict[str, int] = {}
    by_item: dict[str, int] = {}
    for r in rows:
        by_category[r["item__category"]] = by_category.get(r["item__category"], 0) + 1
        by_item[r["item__code"]] = by_item.get(r["item__code"], 0) + 1
    hours = [(r["finished_at"] - r["created_at"]).total_seconds() / 3600 for r in done]
    on_time = [
        r for r in done
        if r["finished_at"] - r["created_at"]
        <= timedelta(days=max(r["item__time_limit_days"], 1))
    ]  # fmt: skip
    doorstep = sum(1 for r in done if r["at_doorstep"])
    return ServiceFigures(
        received=len(rows),
        done=len(done),
        rejected=sum(1 for r in rows if r["status"] == "REJECTED"),
        withdrawn=sum(1 for r in rows if r["status"] == "WITHDRAWN"),
        open=sum(1 for r in rows if r["status"] in ("SUBMITTED", "ACCEPTED")),
        at_doorstep=doorstep,
        doorstep_rate=doorstep / len(done) if done else None,
        on_time_rate=len(on_time) / len(done) if done else None,
        average_hours_to_finish=sum(hours) / len(hours) if hours else None,
        by_category=by_category,
        by_item=by_item,
    )
