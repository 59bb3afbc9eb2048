"""Root fields of cases: listing and reading, reporting and acting on the ladder."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info
from tortoise.expressions import Q

from core.cases.duplicates import MAX_DUPLICATES, nearby_open_ids
from core.cases.machine import Action, Level, Status
from core.cases.rules import CASE_SCOPE
from core.cases.services import CaseService, Report, Step
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated
from schema.cases.photos import store_photos
from schema.cases.types import CASE, Case, CaseCategory, category_type
from schema.context import Context
from schema.ids import global_id, key_of
from schema.limits import cost
from schema.loaders import by_id
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection


def service(context: Context) -> CaseService:
    return CaseService(context.activation.config.cases, context.categories)


@strawberry.input(description="A problem to report, and where it is.")
class ReportCaseInput:
    title: str = strawberry.field(description="Short title.")
    category: str = strawberry.field(description="A category code (see `caseCategories`).")
    description: str = strawberry.field(default="", description="What is wrong.")
    source: str = strawberry.field(
        default="RESIDENT",
        description="RESIDENT or SNAPSHOT for anyone; GRID_PATROL for the grid's workers; "
        "HOTLINE_12345 or PETITION for administrators.",
    )
    compound_id: strawberry.ID | None = strawberry.field(default=None, description="The compound.")
    grid_id: strawberry.ID | None = strawberry.field(default=None, description="Or the grid.")
    lon: float | None = strawberry.field(default=None, description="Or a point: longitude.")
    lat: float | None = strawberry.field(default=None, description="And latitude.")
    address: str = strawberry.field(default="", description="Free-text address.")
    anonymous: bool = strawberry.field(
        default=False, description="Hide the reporter from everyone but themself and admins."
    )


@strawberry.input(description="An action on a case, with the version you saw.")
class ActOnCaseInput:
    case_id: strawberry.ID = strawberry.field(description="The case.")
    version: int = strawberry.field(description="The case's `version` when you read it.")
    action: Action = strawberry.field(description="What to do (see `allowedActions`).")
    note: str = strawberry.field(default="", description="A note for the timeline.")
    rating: int | None = strawberry.field(default=None, description="For RATE: 1–5.")
    departments: list[str] | None = strawberry.field(
        default=None,
        description="For ESCALATE to DEPARTMENT: department codes, the lead first (default: "
        "the category's).",
    )
    participants: list[str] | None = strawberry.field(
        default=None, description="For CONSULT: who took part in the meeting."
    )
    decision: str = strawberry.field(default="", description="For CONSULT: what was decided.")
    duplicate_of: strawberry.ID | None = strawberry.field(
        default=None, description="For REJECT: the case this one repeats (see possibleDuplicates)."
    )


@strawberry.input(description="随手拍: a problem seen on the road, from a phone, safe to retry.")
class SnapReportInput:
    idempotency_key: str = strawberry.field(
        description="Made once per report by the app (a UUID): sending it again with the same "
        "report returns the case made the first time; with another report it is CONFLICT."
    )
    category: str = strawberry.field(description="A category code.")
    lon: float = strawberry.field(description="Where the photo was taken: longitude.")
    lat: float = strawberry.field(description="And latitude.")
    description: str = strawberry.field(default="", description="What is wrong.")
    title: str | None = strawberry.field(default=None, description="Default: the category's name.")
    photos: list[Upload] | None = strawberry.field(
        default=None, description="Photos (multipart request spec); kept on the first send only."
    )


@strawberry.type(description="The case a snap-and-report made (or made before, on a retry).")
class SnapReportPayload:
    case: Case = strawberry.field(description="The case.")
    created: bool = strawberry.field(
        description="False when this was a retry of an earlier report."
    )
    possible_duplicates: list[Case] = strawberry.field(
        description="Open cases of the same category close by, nearest first (at most 20).",
        metadata=cost(size=MAX_DUPLICATES),
    )


@strawberry.type
class CaseQuery:
    @strawberry.field(
        description="Cases you may see, newest first, optionally of one status, level or category.",
        permission_classes=[IsAuthenticated],
    )
    async def cases(
        self,
        info: Info,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
        status: Status | None = None,
        level: Level | None = None,
        category: str | None = None,
    ) -> Connection[Case]:
        filters = [
            Q(**{k: v.value if hasattr(v, "value") else v})
            for k, v in (("status", status), ("level", level), ("category", category))
            if v
        ]
        return await scoped_connection(
            info, CASE, CASE_SCOPE, first, after, *filters, newest_first=True
        )

    @strawberry.field(description="The catalogue of case categories.")
    def case_categories(self, info: Info) -> list[CaseCategory]:
        return [category_type(c) for c in info.context.categories.values()]


@strawberry.type
class CaseMutation:
    @strawberry.mutation(
        description="Report a problem. It goes to the grid of its place and to that grid's "
        "worker on duty.",
        permission_classes=[IsAuthenticated],
    )
    async def report_case(self, info: Info, input: ReportCaseInput) -> Case:
        context: Context = info.context
        report = Report(
            title=input.title,
            category=input.category,
            description=input.description,
            source=input.source,
            address=input.address,
            anonymous=input.anonymous,
            lon=input.lon,
            lat=input.lat,
            compound_id=key_of(input.compound_id, "Compound", what="compound")
            if input.compound_id
            else None,
            grid_id=key_of(input.grid_id, "Grid", what="grid") if input.grid_id else None,
        )
        case, grant = await service(context).report(context.viewer, report)
        if grant is not None:
            context.note.used(grant)
        context.note.about(
            global_id("Case", case.id), case.district_id, category=case.category, source=case.source
        )
        return await _fresh(context, case.id)

    @strawberry.mutation(
        description="Hand an open GRID-level case to another grid worker of its community: for "
        "the community's workers and those above. Carries the version you read.",
        permission_classes=[IsAuthenticated],
    )
    async def reassign_case(
        self,
        info: Info,
        case_id: strawberry.ID,
        version: int,
        worker_id: strawberry.ID,
        note: str = "",
    ) -> Case:
        context: Context = info.context
        case, grant = await service(context).reassign(
            context.viewer, key_of(case_id, "Case", what="case"), version,
            key_of(worker_id, "Person", what="person"), note,
        )  # fmt: skip
        context.note.used(grant)
        context.note.about(case_id, case.district_id)
        return await _fresh(context, case.id)

    @strawberry.mutation(
        description="随手拍 from a phone: a photo's place and a category make a case in the grid "
        "that contains the point; retries with the same idempotency key are safe.",
        permission_classes=[IsAuthenticated],
    )
    async def snap_report(self, info: Info, input: SnapReportInput) -> SnapReportPayload:
        context: Context = info.context
        category = context.categories.get(input.category)
        report = Report(
            title=input.title or (f"{category.name}（随手拍）" if category else "随手拍"),
            category=input.category,
            description=input.description,
            source="SNAPSHOT",
            lon=input.lon,
            lat=input.lat,
            idempotency_key=input.idempotency_key,
        )
        case, created = await service(context).report_once(context.viewer, report)
        if created and input.photos:
            await store_photos(context, case.id, input.photos, context.viewer)
        context.note.about(
            global_id("Case", case.id), case.district_id, category=case.category, created=created
        )
        fresh = await _fresh(context, case.id)
        near = [await _fresh(context, i) for i in (await nearby_open_ids(case))[:20]]
        return SnapReportPayload(case=fresh, created=created, possible_duplicates=near)

    @strawberry.mutation(
        description="Move a case along the ladder: accept, start, escalate, consult, resolve, "
        "reject, rate or close. An action not possible now answers BAD_USER_INPUT with the "
        "possible ones in `extensions.allowed`; a stale `version` answers CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def act_on_case(self, info: Info, input: ActOnCaseInput) -> Case:
        context: Context = info.context
        step = Step(
            action=input.action,
            version=input.version,
            note=input.note,
            rating=input.rating,
            departments=input.departments,
            participants=input.participants or [],
            decision=input.decision,
            duplicate_of=key_of(input.duplicate_of, "Case", what="case")
            if input.duplicate_of
            else None,
        )
        case_id = key_of(input.case_id, "Case", what="case")
        case, grant = await service(context).act(context.viewer, case_id, step)
        if grant is not None:
            context.note.used(grant)
        context.note.about(
            input.case_id,
            case.district_id,
            action=step.action.value,
            level=case.level,
            status=case.status,
        )
        return await _fresh(context, case.id)


async def _fresh(context: Context, case_id: int) -> Case:
    found = await by_id(context, CASE).load(case_id)
    assert found is not None
    return found
