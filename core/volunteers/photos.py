"""Before/after photos of work orders: checked uploads in, rows and stored bytes out.

Uploads are checked by their bytes (``core.cases.photos.sniff``) before a service sees them;
here they are counted against what a work order already keeps and then stored, after every
other check of the step that brings them has passed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from core.access.viewer import Viewer
from core.cases.photos import PhotoStore
from core.errors import BadUserInput
from core.volunteers.models import WorkOrderPhoto

MAX_PHOTOS_PER_STAGE = 20
"""Photos a work order keeps of each stage, at most."""


class PhotoStage(StrEnum):
    """When a photo of a work order was taken."""

    BEFORE = "BEFORE"
    AFTER = "AFTER"


@dataclass
class NewPhoto:
    """An uploaded photo already checked by its bytes."""

    stage: PhotoStage
    data: bytes
    content_type: str
    extension: str


async def photo_counts(order_id: int) -> dict[PhotoStage, int]:
    """How many photos of each stage the work order keeps."""
    stages = await WorkOrderPhoto.filter(work_order_id=order_id).values_list("stage", flat=True)
    counts = dict.fromkeys(PhotoStage, 0)
    for stage in stages:
        counts[PhotoStage(str(stage))] += 1
    return counts


def check_room(stored: dict[PhotoStage, int], photos: Sequence[NewPhoto]) -> None:
    for stage in PhotoStage:
        if stored[stage] + sum(p.stage == stage for p in photos) > MAX_PHOTOS_PER_STAGE:
            raise BadUserInput(
                f"A work order keeps at most {MAX_PHOTOS_PER_STAGE} {stage} photos.",
                argument="photos",
                max=MAX_PHOTOS_PER_STAGE,
            )


async def store_photos(
    store: PhotoStore | None, order_id: int, photos: Sequence[NewPhoto], viewer: Viewer | None
) -> None:
    """Keep the bytes in ``store`` and a row per photo."""
    if photos and store is None:
        raise RuntimeError("no photo store configured")
    for photo in photos:
        assert store is not None
        key = await store.save(photo.data, photo.extension)
        await WorkOrderPhoto.create(
            work_order_id=order_id,
            stage=photo.stage.value,
            key=key,
            content_type=photo.content_type,
            size=len(photo.data),
            uploaded_by_id=viewer.account_id if viewer else None,
        )
