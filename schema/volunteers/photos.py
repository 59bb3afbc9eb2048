"""Work-order photos: uploads through the GraphQL multipart request spec, checked by their bytes
like case photos, and read back through ``/work-order-photos/{id}`` by those who may see the
work order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader
from strawberry.file_uploads import Upload

from core.access.tokens import TokenService
from core.access.viewer import load_viewer
from core.cases.photos import PhotoStore, check_size, sniff
from core.errors import BadUserInput
from core.volunteers import models
from core.volunteers.photos import NewPhoto, PhotoStage
from core.volunteers.rules import WORK_ORDER_SCOPE
from core.volunteers.services import work_order_row
from schema.context import Context, bearer

MAX_PHOTOS = 9
"""Photos of one stage in one request, at most."""

strawberry.enum(PhotoStage, name="WorkOrderPhotoStage", description="When a photo was taken.")


@strawberry.type(description="A photo of a work order, taken before or after the job.")
class WorkOrderPhoto:
    id: strawberry.ID = strawberry.field(description="The photo's id.")
    stage: PhotoStage = strawberry.field(description="BEFORE or AFTER the job.")
    url: str = strawberry.field(
        description="Where to fetch it (send your token): only those who may see the work "
        "order may."
    )
    content_type: str = strawberry.field(description="image/jpeg, image/png or image/webp.")
    size: int = strawberry.field(description="Bytes.")
    created_at: datetime = strawberry.field(description="When it was uploaded (UTC).")


def photo_type(row: dict[str, Any]) -> WorkOrderPhoto:
    return WorkOrderPhoto(
        id=strawberry.ID(str(row["id"])),
        stage=PhotoStage(row["stage"]),
        url=f"/work-order-photos/{row['id']}",
        content_type=row["content_type"],
        size=row["size"],
        created_at=row["created_at"],
    )


def photos_by_order(context: Context) -> DataLoader[int, list[WorkOrderPhoto]]:
    """The photos of many work orders, oldest first, in one statement."""

    async def load(ids: Sequence[int]) -> list[list[WorkOrderPhoto]]:
        rows = (
            await models.WorkOrderPhoto.filter(work_order_id__in=list(ids))
            .order_by("id")
            .values("id", "work_order_id", "stage", "content_type", "size", "created_at")
        )
        found: dict[int, list[WorkOrderPhoto]] = {i: [] for i in ids}
        for row in rows:
            found[row["work_order_id"]].append(photo_type(row))
        return [found[i] for i in ids]

    return context.loader("work_order_photos", lambda: DataLoader(load))


async def checked_photos(
    context: Context, uploads: Sequence[Upload] | None, stage: PhotoStage, argument: str
) -> list[NewPhoto]:
    """Read and check uploads (JPEG, PNG or WebP by their bytes, at most ``[cases]
    photo_max_bytes`` each) without keeping anything: storing waits until every check passed."""
    uploads = uploads or []
    if len(uploads) > MAX_PHOTOS:
        raise BadUserInput(f"At most {MAX_PHOTOS} photos at a time.", argument=argument)
    limit = context.activation.config.cases.photo_max_bytes
    checked = []
    for upload in uploads:
        data = await upload.read(limit + 1)  # type: ignore[attr-defined]  # Starlette UploadFile
        try:
            check_size(data, limit)
            content_type, extension = sniff(data)
        except BadUserInput as error:
            error.details["argument"] = argument
            raise
        checked.append(NewPhoto(stage, data, content_type, extension))
    return checked


def work_order_photo_route(tokens: TokenService, store: PhotoStore) -> Any:
    """``GET /work-order-photos/{id}``: the photo for a viewer who may see its work order; 404
    for anyone else (a photo of a work order you may not see does not exist for you)."""

    async def serve(request: Request) -> Response:
        token = bearer(request.headers.get("authorization"))
        account = tokens.account_id(token) if token else None
        viewer = await load_viewer(account) if account is not None else None
        try:
            photo_id = int(request.path_params["photo_id"])
        except ValueError:
            return Response(status_code=404)
        photo = await models.WorkOrderPhoto.filter(id=photo_id).first()
        order = await models.WorkOrder.filter(id=photo.work_order_id).first() if photo else None
        if (
            photo is None
            or order is None
            or not WORK_ORDER_SCOPE.admits(viewer, await work_order_row(order))
        ):
            return Response(status_code=404)
        data = await store.load(photo.key)
        if data is None:
            return Response(status_code=404)
        return Response(
            data, media_type=photo.content_type, headers={"Cache-Control": "private, max-age=3600"}
        )

    return serve
