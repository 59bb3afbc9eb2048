"""``importRegisters``: the spreadsheet import of ``hemei import``, for administrators, with the
file sent by the GraphQL multipart request spec (as photos are)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from core.access.viewer import Grant
from core.errors import BadUserInput, Forbidden
from core.imports import KINDS, ImportReport, Problem, import_registers
from core.regions.models import District
from schema.access.permissions import IsAuthenticated
from schema.context import Context
from schema.ids import global_id

MAX_BYTES = 20 * 1024 * 1024
"""Largest file accepted: about 200,000 rows of residents."""


@strawberry.type(description="A row of an import with a problem, or skipped.")
class ImportProblem:
    sheet: str = strawberry.field(description="The sheet (or CSV file) name.")
    row: int = strawberry.field(description="The row number as the spreadsheet shows it.")
    column: str | None = strawberry.field(description="The column's header, if one is at fault.")
    message: str = strawberry.field(
        description="What is wrong (never repeats an ID-card or phone number)."
    )


@strawberry.type(description="What an import did, or would have done, to one register.")
class ImportSheet:
    kind: str = strawberry.field(
        description="districts, streets, communities, grids, compounds, departments, "
        "residents or cadres."
    )
    sheet: str = strawberry.field(description="The sheet's name in the file.")
    rows: int = strawberry.field(description="Rows read.")
    created: int = strawberry.field(description="Rows new to the database.")
    updated: int = strawberry.field(description="Rows that changed existing ones.")
    unchanged: int = strawberry.field(description="Rows equal to what the database holds.")
    skipped: int = strawberry.field(
        description="Rows not written with validRowsOnly: their own problems, or a parent's."
    )


@strawberry.type(description="The outcome of an import: every bad row and why, and the counts.")
class ImportResult:
    ok: bool = strawberry.field(description="Whether every row passed its checks.")
    written: bool = strawberry.field(description="Whether anything was written.")
    dry_run: bool = strawberry.field(description="Whether this was a dry run.")
    problems: list[ImportProblem] = strawberry.field(description="Rows with problems.")
    skipped: list[ImportProblem] = strawberry.field(
        description="Rows without problems of their own that were not written because they "
        "need a row with problems (validRowsOnly)."
    )
    sheets: list[ImportSheet] = strawberry.field(description="Counts per register.")
    ignored_sheets: list[str] = strawberry.field(
        description="Sheets of the workbook that are no register (notes, say)."
    )


def _problems(rows: list[Problem]) -> list[ImportProblem]:
    return [ImportProblem(sheet=p.sheet, row=p.row, column=p.column, message=p.message)
            for p in rows]  # fmt: skip


def _result(report: ImportReport) -> ImportResult:
    return ImportResult(
        ok=report.ok, written=report.written, dry_run=report.dry_run,
        problems=_problems(report.problems), skipped=_problems(report.skipped),
        sheets=[ImportSheet(kind=s.kind, sheet=s.sheet, rows=s.rows, created=s.created,
                            updated=s.updated, unchanged=s.unchanged, skipped=s.skipped)
                for s in report.sheets],
        ignored_sheets=report.ignored_sheets,
    )  # fmt: skip


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import registers from a spreadsheet (the multipart request spec): an "
        ".xlsx workbook with one sheet per register (区县 街道 社区 网格 小区 单位 居民 干部) or a "
        ".csv file of one. Every row is checked first; nothing is written unless all pass "
        "(or validRowsOnly). Rows are matched by place codes and ID-card numbers: importing "
        "again updates, never duplicates. City admins import anything; district admins the "
        "rows of their districts (no districts, departments or department-wide posts). At "
        "most 20 MiB.",
        permission_classes=[IsAuthenticated],
    )
    async def import_registers(
        self,
        info: Info,
        file: Annotated[Upload, strawberry.argument(description="The .xlsx or .csv file.")],
        kind: Annotated[str | None, strawberry.argument(
            description="The register a CSV file holds, when its name and headers do not "
            "tell: " + ", ".join(KINDS) + ".")] = None,
        dry_run: Annotated[bool, strawberry.argument(
            description="Check and report only; write nothing.")] = False,
        valid_rows_only: Annotated[bool, strawberry.argument(
            description="Write the rows without problems even when others have some.")] = False,
    ) -> ImportResult:  # fmt: skip
        context: Context = info.context
        viewer = context.viewer
        grants = viewer.with_role("CITY_ADMIN", "DISTRICT_ADMIN") if viewer else []
        city = next((g for g in grants if g.level == "city"), None)
        admins: list[Grant] = [g for g in grants if g.level == "district"]
        if city is None and not admins:
            raise Forbidden("Registers are imported by city and district administrators.")
        districts = None
        if city is None:
            ids = [g.district_id for g in admins]
            codes = await District.filter(id__in=ids).values_list("code", flat=True)
            districts = {str(code) for code in codes}
        data = await file.read(MAX_BYTES + 1)  # type: ignore[attr-defined]  # Starlette UploadFile
        if len(data) > MAX_BYTES:
            raise BadUserInput("The file is larger than 20 MiB: split it.", argument="file")
        name = getattr(file, "filename", "") or ""
        report = await import_registers(
            data, name, kind=kind, districts=districts, dry_run=dry_run,
            valid_rows_only=valid_rows_only,
        )  # fmt: skip
        grant = city or admins[0]
        context.note.used(grant)
        context.note.about(
            global_id("District", grant.district_id) if grant.district_id else None,
            grant.district_id, written=report.written, problems=len(report.problems),
            **{s.kind: {"created": s.created, "updated": s.updated} for s in report.sheets},
        )  # fmt: skip
        return _result(report)
