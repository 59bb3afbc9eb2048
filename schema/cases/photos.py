"""Case photos: upload through the GraphQL multipart request spec, read back through
``/photos/{id}`` by those who may see the case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from strawberry.file_uploads import Upload
from strawberry.types import Info

from core.access.tokens import TokenService
from core.access.viewer import Viewer, load_viewer
from core.cases import models
from core.cases.machine import Level
from core.cases.photos import PhotoStore, check_size, sniff
from core.cases.rules import CASE_SCOPE, HANDLERS, OVERSIGHT, is_reporter
from core.cases.services import case_row
from core.errors import BadUserInput, Forbidden, NotFound
from schema.access.permissions import IsAuthenticated
from schema.context import Context, bearer
from schema.ids import key_of

MAX_PHOTOS = 9


@strawberry.type(description="A photo of a case.")
class CasePhoto:
    id: strawberry.ID = strawberry.field(description="The photo's id.")
    url: str = strawberry.field(
        description="Where to fetch it (send your token): only those who may see the case may."
    )
    content_type: str = strawberry.field(description="image/jpeg, image/png or image/webp.")
    size: int = strawberry.field(description="Bytes.")
    created_at: datetime = strawberry.field(description="When it was uploaded (UTC).")


def photo_type(row: dict[str, Any]) -> CasePhoto:
    return CasePhoto(
        id=strawberry.ID(str(row["id"])), url=f"/photos/{row['id']}",
        content_type=row["content_type"], size=row["size"], created_at=row["created_at"],
    )  # fmt: skip


async def photos_of(case_id: int) -> list[CasePhoto]:
    rows = (
        await models.CasePhoto.filter(case_id=case_id)
        .order_by("id")
        .values("id", "content_type", "size", "created_at")
    )
    return [photo_type(row) for row in rows]


async def store_photos(
    context: Context, case_id: int, uploads: Sequence[Upload], viewer: Viewer | None
) -> int:
    """Check and keep the uploads of one case; returns how many were stored."""
    if len(uploads) > MAX_PHOTOS:
        raise BadUserInput(f"At most {MAX_PHOTOS} photos at a time.", argument="photos")
    assert context.photos is not None
    limit = context.activation.config.cases.photo_max_bytes
    for upload in uploads:
        data = await upload.read(limit + 1)  # type: ignore[attr-defined]  # Starlette UploadFile
        check_size(data, limit)
        content_type, extension = sniff(data)
        key = await context.photos.save(data, extension)
        await models.CasePhoto.create(
            case_id=case_id, key=key, content_type=content_type, size=len(data),
            uploaded_by_id=viewer.account_id if viewer else None,
        )  # fmt: skip
    return len(uploads)


@strawberry.type
class PhotoMutation:
    @strawberry.mutation(
        description="Add photos to a case (the multipart request spec): for its reporter, its "
        "handlers at the current level and administrators. JPEG, PNG or WebP, each at most "
        "`[cases] photo_max_bytes`.",
        permission_classes=[IsAuthenticated],
    )
    async def add_case_photos(
        self, info: Info, case_id: strawberry.ID, photos: list[Upload]
    ) -> list[CasePhoto]:
        context: Context = info.context
        case = await models.Case.filter(id=key_of(case_id, "Case", what="case")).first()
        row = await case_row(case) if case else None
        viewer = context.viewer
        if case is None or row is None or not CASE_SCOPE.admits(viewer, row):
            raise NotFound("No such case.")
        grant = HANDLERS[Level(case.level)].covering_grant(viewer, row) or OVERSIGHT.covering_grant(
            viewer, row
        )
        if grant is None and not is_reporter(viewer, row):
            raise Forbidden("Only the reporter, the handlers and administrators add photos.")
        if grant is not None:
            context.note.used(grant)
        count = await store_photos(context, case.id, photos, viewer)
        context.note.about(case_id, case.district_id, photos=count)
        return await photos_of(case.id)


def photo_route(tokens: TokenService, store: PhotoStore) -> Any:
    """``GET /photos/{id}``: the photo for a viewer who may see its case; 404 for anyone else
    (a photo of a case you may not see does not exist for you)."""

    async def serve(request: Request) -> Response:
        token = bearer(request.headers.get("authorization"))
        account = tokens.account_id(token) if token else None
        viewer = await load_viewer(account) if account is not None else None
        try:
            photo_id = int(request.path_params["photo_id"])
        except ValueError:
            return Response(status_code=404)
        photo = await models.CasePhoto.filter(id=photo_id).first()
        case = await models.Case.filter(id=photo.case_id).first() if photo else None
        if photo is None or case is None or not CASE_SCOPE.admits(viewer, await case_row(case)):
            return Response(status_code=404)
        data = await store.load(photo.key)
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type=photo.content_type,
                        headers={"Cache-Control": "private, max-age=3600"})  # fmt: skip

    return serve
