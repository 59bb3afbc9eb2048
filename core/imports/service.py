"""Import registers from a spreadsheet: read, check every row, then write all of it or
nothing (or, when asked, only the rows without problems), in one transaction.

A second import of the same file changes nothing: rows are found by their natural keys (place
codes within their district, ID-card numbers for people) and updated in place. An import
never deletes: a place or person missing from the file stays, and so do role grants.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from core.imports.checking import Plan, Planned, Problem, check
from core.imports.reading import read_file
from core.imports.sheets import SHEETS
from core.imports.writing import write
from core.progress import SILENT, Progress

__all__ = ["ImportReport", "SheetCounts", "import_registers"]


@dataclass(frozen=True)
class SheetCounts:
    """What an import did (or, when nothing was written, would have done) to one register."""

    kind: str
    sheet: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int


@dataclass
class ImportReport:
    """The outcome: every row with problems and why, per register counts, whether anything
    was written."""

    problems: list[Problem]
    sheets: list[SheetCounts]
    written: bool
    dry_run: bool
    skipped: list[Problem] = field(default_factory=list)
    """Rows without problems of their own that were not written: they need a row that has
    problems (with ``valid_rows_only``)."""
    ignored_sheets: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _split(plan: Plan) -> tuple[list[Planned], list[Problem]]:
    """The rows that can be written, and the rows skipped because they need a bad one."""
    blocked = set(plan.bad)
    rows: list[Planned] = []
    skipped: list[Problem] = []
    for spec in SHEETS:
        for planned in plan.rows.get(spec.kind, []):
            if planned.depends is not None and planned.depends in blocked:
                blocked.add((planned.kind, planned.key))
                parent_sheet = plan.sheet_names.get(planned.depends[0], planned.depends[0])
                skipped.append(Problem(plan.sheet_names[planned.kind], planned.row, None,
                                       f"needs {planned.depends[1][-1]!r} of sheet "
                                       f"{parent_sheet}, which has problems"))  # fmt: skip
                continue
            rows.append(planned)
    return rows, skipped


async def import_registers(
    data: bytes,
    filename: str = "",
    *,
    kind: str | None = None,
    districts: set[str] | None = None,
    dry_run: bool = False,
    valid_rows_only: bool = False,
    progress: Progress = SILENT,
) -> ImportReport:
    """Import the registers in ``data`` (.xlsx, or .csv of one register: ``kind`` names it
    when neither the file name nor the headers tell). ``districts``: the district codes the
    importer administers (``None``: the whole city); rows elsewhere are problems. Nothing is
    written with ``dry_run``, nor when a row has problems unless ``valid_rows_only``.
    BAD_USER_INPUT when the file cannot be read at all."""
    read = read_file(data, filename, kind)
    progress.phase("reading", 1)
    progress.advance()
    async with in_transaction():
        plan = await check(read.sheets, districts=districts, progress=progress)
        rows, skipped = _split(plan)
        write_now = not dry_run and (not plan.problems or valid_rows_only)
        if write_now:
            await write(rows, progress)
    if plan.problems and not valid_rows_only:
        skipped = []
    counts = []
    for sheet in read.sheets:
        kind_rows = [r for r in rows if r.kind == sheet.spec.kind]
        change = Counter(r.change for r in kind_rows)
        bad = sum(1 for p in plan.problems if p.sheet == sheet.name and p.row != sheet.header_row)
        counts.append(SheetCounts(
            kind=sheet.spec.kind, sheet=sheet.name, rows=len(sheet.rows),
            created=change["create"], updated=change["update"], unchanged=change["same"],
            skipped=bad + sum(1 for p in skipped if p.sheet == sheet.name)
            if valid_rows_only else 0,
        ))  # fmt: skip
    return ImportReport(plan.problems, counts, write_now, dry_run, skipped, read.ignored)
