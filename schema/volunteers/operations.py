"""Root fields of work orders: listing them, and every step from a request to a confirmation."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info
from tortoise.expressions import Q

from core.access.viewer import Grant
from core.volunteers.models import WorkOrder as WorkOrderRow
from core.volunteers.orders import WorkOrderKind, WorkOrderStatus
from core.volunteers.photos import PhotoStage
from core.volunteers.rules import WORK_ORDER_SCOPE
from core.volunteers.services import RepairRequest, StaffOrder, WorkOrderService
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated
from schema.context import Context
from schema.ids import global_id, key_of
from schema.loaders import by_id
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection
from schema.volunteers.photos import checked_photos
from schema.volunteers.types import WORK_ORDER, WorkOrder


def service(context: Context) -> WorkOrderService:
    return WorkOrderService(store=context.photos)


@strawberry.input(description="A repair at your own home.")
class RequestRepairInput:
    kind: WorkOrderKind = strawberry.field(description="What is to be done.")
    title: str = strawberry.field(description="Short title, 1–200 characters.")
    description: str = strawberry.field(default="", description="What is wrong (≤ 2000).")
    compound_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The compound (default: your home compound); it must be in your home "
        "community.",
    )
    address: str = strawberry.field(
        default="", description="Building, unit and flat (≤ 300 characters)."
    )


@strawberry.input(description="A work order opened by staff: from a case, or at a place.")
class CreateWorkOrderInput:
    kind: WorkOrderKind = strawberry.field(description="What is to be done.")
    title: str = strawberry.field(description="Short title, 1–200 characters.")
    description: str = strawberry.field(default="", description="What is to be done (≤ 2000).")
    case_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The open case it comes from: its place and reporter become the work "
        "order's (then leave out the community and the compound). For whoever may handle the "
        "case now.",
    )
    community_id: strawberry.ID | None = strawberry.field(
        default=None, description="Without a case: the community (or give the compound)."
    )
    compound_id: strawberry.ID | None = strawberry.field(
        default=None, description="Without a case: the compound."
    )
    address: str = strawberry.field(
        default="", description="Free-text address (≤ 300; default: the case's)."
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Assign it at once to this active team of the community (for community "
        "workers and those above).",
    )


OrderId = Annotated[strawberry.ID, strawberry.argument(description="The work order.")]
Version = Annotated[
    int, strawberry.argument(description="The work order's `version` when you read it.")
]
Photos = Annotated[
    list[Upload] | None,
    strawberry.argument(description="Photos (multipart request spec): JPEG, PNG or WebP, ≤ 9."),
]


@strawberry.type
class WorkOrderQuery:
    @strawberry.field(
        description="Work orders you may see, newest first: those you asked for, those of "
        "teams you are in, and those at places you serve.",
        permission_classes=[IsAuthenticated],
    )
    async def work_orders(
        self,
        info: Info,
        status: Annotated[
            WorkOrderStatus | None, strawberry.argument(description="Only this status.")
        ] = None,
        team_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this team's.")
        ] = None,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
    ) -> Connection[WorkOrder]:
        filters = []
        if status is not None:
            filters.append(Q(status=WorkOrderStatus(status).value))
        if team_id is not None:
            filters.append(Q(team_id=key_of(team_id, "VolunteerTeam", what="volunteer team")))
        return await scoped_connection(
            info, WORK_ORDER, WORK_ORDER_SCOPE, first, after, *filters, newest_first=True
        )


@strawberry.type
class WorkOrderMutation:
    @strawberry.mutation(
        description="Ask for a repair at your own home (anyone signed in with a home on record).",
        permission_classes=[IsAuthenticated],
    )
    async def request_repair(
        self,
        info: Info,
        input: Annotated[
            RequestRepairInput,
            strawberry.argument(description="What needs repairing, and where at home."),
        ],
    ) -> WorkOrder:
        context: Context = info.context
        request = RepairRequest(
            kind=input.kind,
            title=input.title,
            description=input.description,
            compound_id=key_of(input.compound_id, "Compound", what="compound")
            if input.compound_id
            else None,
            address=input.address,
        )
        order = await service(context).request_repair(context.viewer, request)
        return await _done(context, order, None, kind=order.kind, source=order.source)

    @strawberry.mutation(
        description="Open a work order as staff: from a case (for whoever may handle it now) or "
        "at a community or compound (for its grid and community workers and those above).",
        permission_classes=[IsAuthenticated],
    )
    async def create_work_order(
        self,
        info: Info,
        input: Annotated[
            CreateWorkOrderInput,
            strawberry.argument(description="The work, and its case or place."),
        ],
    ) -> WorkOrder:
        context: Context = info.context
        draft = StaffOrder(
            kind=input.kind,
            title=input.title,
            description=input.description,
            case_id=_key(input.case_id, "Case", "case"),
            community_id=_key(input.community_id, "Community", "community"),
            compound_id=_key(input.compound_id, "Compound", "compound"),
            address=input.address,
            team_id=_key(input.team_id, "VolunteerTeam", "volunteer team"),
        )
        order, grant = await service(context).open(context.viewer, draft)
        return await _done(context, order, grant, kind=order.kind, source=order.source)

    @strawberry.mutation(
        description="Assign a work order (REQUESTED, or ASSIGNED to another team) to an active "
        "team of its community: for community workers and those above.",
        permission_classes=[IsAuthenticated],
    )
    async def assign_work_order(
        self,
        info: Info,
        work_order_id: OrderId,
        version: Version,
        team_id: Annotated[
            strawberry.ID, strawberry.argument(description="An active team of its community.")
        ],
    ) -> WorkOrder:
        context: Context = info.context
        team = key_of(team_id, "VolunteerTeam", what="volunteer team")
        order, grant = await service(context).assign(
            context.viewer, _order(work_order_id), version, team
        )
        return await _done(context, order, grant, status=order.status)

    @strawberry.mutation(
        description="Add photos taken before or after the job (the multipart request spec): "
        "for members of the assigned team while it is ASSIGNED.",
        permission_classes=[IsAuthenticated],
    )
    async def add_work_order_photos(
        self,
        info: Info,
        work_order_id: OrderId,
        stage: Annotated[PhotoStage, strawberry.argument(description="BEFORE or AFTER the job.")],
        photos: Annotated[
            list[Upload],
            strawberry.argument(description="JPEG, PNG or WebP, ≤ 9, each ≤ photo_max_bytes."),
        ],
    ) -> WorkOrder:
        context: Context = info.context
        checked = await checked_photos(context, photos, PhotoStage(stage), "photos")
        order = await service(context).add_photos(context.viewer, _order(work_order_id), checked)
        return await _done(context, order, None, stage=stage.value, photos=len(checked))

    @strawberry.mutation(
        description="Mark the job DONE: for members of the assigned team. It needs at least "
        "one BEFORE and one AFTER photo, stored earlier or sent here.",
        permission_classes=[IsAuthenticated],
    )
    async def complete_work_order(
        self,
        info: Info,
        work_order_id: OrderId,
        version: Version,
        note: Annotated[
            str, strawberry.argument(description="What was done (≤ 2000 characters).")
        ] = "",
        before_photos: Photos = None,
        after_photos: Photos = None,
    ) -> WorkOrder:
        context: Context = info.context
        photos = await checked_photos(context, before_photos, PhotoStage.BEFORE, "beforePhotos")
        photos += await checked_photos(context, after_photos, PhotoStage.AFTER, "afterPhotos")
        order = await service(context).complete(
            context.viewer, _order(work_order_id), version, note, photos
        )
        return await _done(context, order, None, status=order.status, photos=len(photos))

    @strawberry.mutation(
        description="Confirm a DONE work order, saying whether you are satisfied: for who asked "
        "for it (community workers and those above when nobody did).",
        permission_classes=[IsAuthenticated],
    )
    async def confirm_work_order(
        self,
        info: Info,
        work_order_id: OrderId,
        version: Version,
        satisfied: Annotated[
            bool, strawberry.argument(description="Whether the job was done well.")
        ],
        feedback: Annotated[
            str, strawberry.argument(description="What you want to say (≤ 2000 characters).")
        ] = "",
    ) -> WorkOrder:
        context: Context = info.context
        order, grant = await service(context).confirm(
            context.viewer, _order(work_order_id), version, satisfied, feedback
        )
        return await _done(context, order, grant, status=order.status, satisfied=satisfied)

    @strawberry.mutation(
        description="Cancel a work order: by who asked for it while it is REQUESTED, by "
        "community workers and those above before it is DONE.",
        permission_classes=[IsAuthenticated],
    )
    async def cancel_work_order(
        self,
        info: Info,
        work_order_id: OrderId,
        version: Version,
        reason: Annotated[str, strawberry.argument(description="Why (1–500 characters).")],
    ) -> WorkOrder:
        context: Context = info.context
        order, grant = await service(context).cancel(
            context.viewer, _order(work_order_id), version, reason
        )
        return await _done(context, order, grant, status=order.status)


def _key(value: strawberry.ID | None, type_name: str, what: str) -> int | None:
    return key_of(value, type_name, what=what) if value else None


def _order(work_order_id: strawberry.ID) -> int:
    return key_of(work_order_id, "WorkOrder", what="work order")


async def _done(
    context: Context, order: WorkOrderRow, grant: Grant | None, **summary: object
) -> WorkOrder:
    """Tell the audit log what the mutation did, and answer the work order as it is now."""
    if grant is not None:
        context.note.used(grant)
    context.note.about(global_id("WorkOrder", order.id), order.district_id, **summary)
    found = await by_id(context, WORK_ORDER).load(order.id)
    assert found is not None
    return found
