"""Reading a workbook (.xlsx) or a CSV file into sheets of rows keyed by column.

Cells keep the type the spreadsheet gave them (a code typed as a number is an ``int``), so
that the checks can tell an ID number Excel turned into a number (and rounded) from text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from core.errors import BadUserInput
from core.imports.sheets import SHEETS, SheetSpec, normalise

__all__ = ["RawSheet", "read_file"]

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class RawSheet:
    """One register as read: ``rows`` are (row number in the file, values by column key)."""

    spec: SheetSpec
    name: str
    header_row: int
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Required headers the sheet lacks."""
    unknown: list[str] = field(default_factory=list)
    """Headers that are no column of the register (ignored)."""


@dataclass
class ReadFile:
    sheets: list[RawSheet]
    ignored: list[str]
    """Sheets of a workbook that are no register (a page of notes, say)."""


def _headers(spec: SheetSpec) -> dict[str, str]:
    names = {normalise(c.header): c.key for c in spec.columns}
    names.update({normalise(c.key): c.key for c in spec.columns})
    return names


def _sheet(spec: SheetSpec, name: str, lines: list[tuple[int, list[Any]]]) -> RawSheet | None:
    """The sheet from its non-empty lines, the first being the header row."""
    if not lines:
        return None
    header_row, header = lines[0]
    names = _headers(spec)
    keys = [names.get(normalise(h)) for h in header]
    found = RawSheet(spec, name, header_row)
    found.unknown = [str(h) for h, k in zip(header, keys, strict=True) if k is None and h]
    found.missing = [c.header for c in spec.columns if c.required and c.key not in keys]
    for number, values in lines[1:]:
        row = {k: v for k, v in zip(keys, values, strict=False) if k is not None}
        found.rows.append((number, row))
    return found


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _spec_named(name: str) -> SheetSpec | None:
    wanted = normalise(name)
    return next((s for s in SHEETS if wanted in (normalise(s.title), s.kind)), None)


def _guess(header: list[Any], filename: str) -> SheetSpec:
    """The register a CSV file holds: named in its file name, or whose headers fit best."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for spec in SHEETS:
        if spec.title in stem or normalise(stem) == spec.kind:
            return spec
    given = {normalise(h) for h in header if h}

    def fit(spec: SheetSpec) -> tuple[bool, int, int]:
        names = _headers(spec)
        keys = {names[h] for h in given if h in names}
        required = all(c.key in keys for c in spec.columns if c.required)
        return required, -len(given - set(names)), len(keys)

    best = max(SHEETS, key=fit)
    if not fit(best)[0]:
        raise BadUserInput(
            "Cannot tell which register this CSV file holds from its headers: name the file "
            "after it (居民.csv) or give the kind.",
            argument="kind",
        )
    return best


def read_file(data: bytes, filename: str = "", kind: str | None = None) -> ReadFile:
    """The registers in ``data`` (.xlsx by its bytes, CSV otherwise); BAD_USER_INPUT when the
    file cannot be read at all."""
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    return _read_csv(data, filename, kind)


def _read_xlsx(data: bytes) -> ReadFile:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BadUserInput(f"The workbook cannot be read ({type(exc).__name__}).") from None
    sheets, ignored = [], []
    try:
        for worksheet in book.worksheets:
            spec = _spec_named(worksheet.title)
            if spec is None:
                ignored.append(worksheet.title)
                continue
            lines = [
                (number, list(values))
                for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
                if not _blank(list(values))
            ]
            if (sheet := _sheet(spec, worksheet.title, lines)) is not None:
                sheets.append(sheet)
    finally:
        book.close()
    order = {s.kind: i for i, s in enumerate(SHEETS)}
    return ReadFile(sorted(sheets, key=lambda s: order[s.spec.kind]), ignored)


def _read_csv(data: bytes, filename: str, kind: str | None) -> ReadFile:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BadUserInput("The CSV file is neither UTF-8 nor GBK text.")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    lines = [
        (number, list(values))
        for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        if not _blank(list(values))
    ]
    if not lines:
        raise BadUserInput("The CSV file is empty.")
    if kind is not None:
        spec = next((s for s in SHEETS if kind in (s.kind, s.title)), None)
        if spec is None:
            raise BadUserInput(
                f"Unknown register {kind!r}.", argument="kind", known=[s.kind for s in SHEETS]
            )
    else:
        spec = _guess(lines[0][1], filename)
    sheet = _sheet(spec, filename.rsplit("/", 1)[-1] or spec.title, lines)
    assert sheet is not None
    return ReadFile([sheet], [])
