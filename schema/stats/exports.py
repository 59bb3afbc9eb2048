"""Downloads of dashboards and assessments as .xlsx workbooks (openpyxl).

``GET /exports/stats.xlsx?place=<District|Street|Community|Grid id, or city>&period=2026Q3``
and ``GET /exports/assessment.xlsx?quarter=2026Q3[&place=<District|Street|Community id>]``,
with the same ``Authorization: Bearer`` token as the API and the same permissions as the
``stats`` field and the ``assessmentResults`` query: a refused download answers 403 (or 401
without a valid token) with a JSON error carrying the same code as GraphQL would.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise.expressions import Q

from core.access.viewer import Viewer, load_viewer
from core.assessment.models import AssessmentResult
from core.assessment.quarters import Quarter
from core.assessment.rules import RESULT_SCOPE
from core.assessment.scoring import WorkerFigures
from core.errors import HemeiError, NotFound, Unauthenticated
from core.people.directory import names_of
from core.regions.models import Community
from core.runtime import Runtime
from core.stats.dashboard import applicable, compute
from core.stats.periods import period_bounds
from core.stats.scope import PlaceScope
from schema.context import bearer
from schema.ids import key_of, type_name_of

if TYPE_CHECKING:
    from openpyxl import Workbook

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEVELS = {"District": "district", "Street": "street", "Community": "community", "Grid": "grid"}
STATS_HEADER = [
    "指标键 key",
    "指标",
    "Figure",
    "数值 value",
    "单位 unit",
    "模块 module",
    "定义 definition",
]
ASSESSMENT_HEADER = ["季度", "姓名", "社区", "颜色", "得分", "经办案件", "办结率", "按时办结率",
                     "满意度", "投诉", "规则版本", "申诉"]  # fmt: skip


def _new_workbook() -> Workbook:
    # openpyxl is ~26 MB imported: loaded with the first download, not by every server.
    from openpyxl import Workbook

    return Workbook()


def stats_workbook(title: str, rows: list[list[Any]]) -> bytes:
    from openpyxl.styles import Font

    book = _new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "统计"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(STATS_HEADER)
    for row in rows:
        sheet.append(row)
    return _bytes(book)


def _bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _download(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type=CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "private, no-store"},
    )  # fmt: skip


def _refused(error: HemeiError) -> JSONResponse:
    status = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404}.get(error.code.value, 400)
    return JSONResponse({"error": error.message, "code": error.code.value}, status_code=status)


async def _viewer(runtime: Runtime, request: Request) -> Viewer:
    token = bearer(request.headers.get("authorization"))
    account = runtime.tokens.account_id(token) if token else None
    viewer = await load_viewer(account) if account is not None else None
    if viewer is None:
        raise Unauthenticated("Send a valid access token (Authorization: Bearer ...).")
    return viewer


def stats_route(runtime: Runtime) -> Any:
    from schema.stats.operations import check_viewer_of

    async def serve(request: Request) -> Response:
        try:
            viewer = await _viewer(runtime, request)
            place = request.query_params.get("place", "city")
            zone = runtime.activation.config.city.time_zone
            if place == "city":
                scope = PlaceScope("city", time_zone=zone)
            else:
                kind = type_name_of(place, what="place")
                if kind not in LEVELS:
                    raise NotFound("No such place.")
                scope = PlaceScope(LEVELS[kind], key_of(place, kind, what="place"), time_zone=zone)
            await check_viewer_of(viewer, scope)
            period = request.query_params.get("period", "")
            activation = runtime.activation
            start, end = period_bounds(period, activation.config.city.time_zone)
            figures = [spec for _, spec in runtime.host.figures.values()]
            values = await compute(await applicable(figures, scope, activation), start, end)
        except HemeiError as error:
            return _refused(error)
        rows = [[v.spec.key, v.spec.label, v.spec.label_en, v.value, v.spec.unit.value,
                 v.spec.module or "", v.spec.definition] for v in values]  # fmt: skip
        title = f"{scope.level} {scope.id or ''} {period}".strip()
        return _download(stats_workbook(title, rows), f"stats-{scope.level}-{period}.xlsx")

    return serve


def assessment_route(runtime: Runtime) -> Any:
    async def serve(request: Request) -> Response:
        try:
            viewer = await _viewer(runtime, request)
            quarter = Quarter.parse(request.query_params.get("quarter", ""))
            rows = AssessmentResult.filter(RESULT_SCOPE.q(viewer), quarter=quarter.name)
            if place := request.query_params.get("place"):
                kind = type_name_of(place, what="place")
                if kind not in ("District", "Street", "Community"):
                    raise NotFound("No such place.")
                lookup: dict[str, Any] = {f"{LEVELS[kind]}_id": key_of(place, kind, what="place")}
                rows = rows.filter(Q(**lookup))
            found = await rows.order_by("score", "id").values(
                "person_id", "community_id", "colour", "score", "figures", "rubric__digest", "id"
            )
        except HemeiError as error:
            return _refused(error)
        names = await names_of(r["person_id"] for r in found)
        communities = dict(await Community.filter(
            id__in={r["community_id"] for r in found}).values_list("id", "name"))  # fmt: skip
        appealed = set(await _appealed([r["id"] for r in found]))
        book = _new_workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = quarter.name
        sheet.append(ASSESSMENT_HEADER)
        for r in found:
            f = WorkerFigures(**(r["figures"] or {}))
            sheet.append([
                quarter.name, names.get(r["person_id"], ""), communities.get(r["community_id"], ""),
                r["colour"], r["score"], f.handled, f.completion_rate, f.on_time_rate,
                f.satisfaction, f.complaints, r["rubric__digest"][:12],
                "是" if r["id"] in appealed else "",
            ])  # fmt: skip
        return _download(_bytes(book), f"assessment-{quarter.name}.xlsx")

    return serve


async def _appealed(result_ids: list[int]) -> list[int]:
    from core.assessment.models import AssessmentAppeal

    rows = await AssessmentAppeal.filter(result_id__in=result_ids).values("result_id")
    return [row["result_id"] for row in rows]
