"""Bulk inserts for the city-scale demo: many rows a statement, progress told per batch, and
the new ids read back in insertion order (``bulk_create`` does not set ids on every backend)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, cast

from tortoise.models import Model

from core.progress import SILENT, Progress

BATCH = 1000
M = TypeVar("M", bound=Model)


async def insert(model: type[Model], rows: Sequence[Model], progress: Progress = SILENT) -> None:
    """Insert ``rows`` in batches, advancing ``progress`` by each batch's size."""
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        await model.bulk_create(list(batch))
        progress.advance(len(batch))


async def insert_ids(
    model: type[Model], rows: Sequence[Model], progress: Progress = SILENT
) -> list[int]:
    """Insert ``rows`` and return their ids in order. The demo writes alone, in one
    transaction, so the new rows are exactly those past the highest id before."""
    last = await model.all().order_by("-id").limit(1).values_list("id", flat=True)
    await insert(model, rows, progress)
    newer = model.filter(id__gt=last[0] if last else 0).order_by("id")
    ids = cast(list[int], await newer.values_list("id", flat=True))
    assert len(ids) == len(rows), f"{model.__name__}: inserted {len(rows)}, read {len(ids)}"
    for row, new_id in zip(rows, ids, strict=True):
        row.id = new_id
    return ids
