"""The city's standard one-stop catalogue: read from ``standard_catalogue.toml`` (checked, with
every problem named by file and key) and seeded into ``catalogue_item`` by code.

Seeding is an upsert: a missing item is created, an item whose text differs from the file is
brought back to it (its ``version`` goes up), an equal one is left alone, so seeding twice
changes nothing. Items city admins added are kept, and whether an item is ``active`` stays
theirs to decide: the file never retires or revives an item.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.stations.models import CatalogueItem

STANDARD_CATALOGUE = Path(__file__).with_name("standard_catalogue.toml")

CATEGORIES: dict[str, str] = {
    "COMMUNITY_AFFAIRS": "社区事务",
    "GOVERNMENT_AFFAIRS": "政务服务",
    "PROPERTY_AFFAIRS": "物业事务",
}
"""The three categories of the catalogue, with their Chinese names."""

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_REQUIRED = ("code", "category", "name", "materials", "time_limit_days", "doorstep")
_KEYS = frozenset({*_REQUIRED, "description"})
MAX_TIME_LIMIT_DAYS = 365


class CatalogueError(Exception):
    """A catalogue file that cannot be used. ``problems`` are ``(key, message)`` pairs, the key
    in TOML terms (``items[3].materials``)."""

    def __init__(self, path: Path | str, problems: Sequence[tuple[str, str]]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        lines = [f"{self.path}: {key}: {message}" if key else f"{self.path}: {message}"
                 for key, message in self.problems]  # fmt: skip
        super().__init__("invalid catalogue\n  " + "\n  ".join(lines))


@dataclass(frozen=True)
class CatalogueEntry:
    """One item of the standard catalogue as the file states it."""

    code: str
    category: str
    name: str
    description: str
    materials: tuple[str, ...]
    time_limit_days: int
    doorstep: bool

    def columns(self) -> dict[str, Any]:
        """The ``catalogue_item`` columns this entry sets."""
        return {
            "code": self.code,
            "category": self.category,
            "name": self.name,
            "description": self.description,
            "materials": list(self.materials),
            "time_limit_days": self.time_limit_days,
            "doorstep": self.doorstep,
        }


def read_standard_catalogue(path: Path = STANDARD_CATALOGUE) -> list[CatalogueEntry]:
    """The entries of a catalogue file in file order, or :class:`CatalogueError` listing every
    problem found (unknown or missing keys, bad codes, duplicate codes or names, ...)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(path, [("", f"cannot read the file: {exc.strerror}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(path, [("", f"not valid TOML: {exc}")]) from None
    problems: list[tuple[str, str]] = []
    extra = sorted(set(data) - {"items"})
    if extra:
        problems.append(("", f"unknown top-level key(s): {', '.join(extra)}"))
    items = data.get("items")
    if not isinstance(items, list) or not items:
        problems.append(("items", "expected a non-empty array of [[items]] tables"))
        raise CatalogueError(path, problems)
    entries: list[CatalogueEntry] = []
    first_of_code: dict[str, int] = {}
    first_of_name: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if not isinstance(item, dict):
            problems.append((where, "expected a table"))
            continue
        entry, found = _entry(where, item)
        problems += found
        if entry is None:
            continue
        for seen, value, what in ((first_of_code, entry.code, "code"),
                                  (first_of_name, entry.name, "name")):  # fmt: skip
            if value in seen:
                problems.append((f"{where}.{what}", f"{value!r} repeats items[{seen[value]}]"))
            else:
                seen[value] = index
        entries.append(entry)
    if problems:
        raise CatalogueError(path, problems)
    return entries


def _entry(where: str, item: dict[str, Any]) -> tuple[CatalogueEntry | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        problems.append((where, f"unknown key(s): {', '.join(unknown)}"))
    missing = [key for key in _REQUIRED if key not in item]
    if missing:
        problems.append((where, f"missing key(s): {', '.join(missing)}"))
        return None, problems

    def bad(key: str, message: str) -> None:
        problems.append((f"{where}.{key}", message))

    code, category, name = item["code"], item["category"], item["name"]
    description, materials = item.get("description", ""), item["materials"]
    days, doorstep = item["time_limit_days"], item["doorstep"]
    if not isinstance(code, str) or not _CODE.match(code):
        bad("code", "expected lower_snake_case ascii (a-z, 0-9, _), 1-64 characters")
    if category not in CATEGORIES:
        bad("category", f"expected one of {', '.join(CATEGORIES)}, not {category!r}")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        bad("name", "expected a name of 1-100 characters")
    if not isinstance(description, str):
        bad("description", "expected a string")
    if (
        not isinstance(materials, list)
        or not materials
        or not all(isinstance(m, str) and m.strip() for m in materials)
    ):
        bad("materials", "expected a non-empty list of non-empty strings")
    elif len(set(materials)) != len(materials):
        bad("materials", "a material is listed twice")
    if isinstance(days, bool) or not isinstance(days, int):
        bad("time_limit_days", "expected a whole number of days")
    elif not 1 <= days <= MAX_TIME_LIMIT_DAYS:
        bad("time_limit_days", f"expected 1 to {MAX_TIME_LIMIT_DAYS} days, not {days}")
    if not isinstance(doorstep, bool):
        bad("doorstep", "expected true or false")
    if problems:
        return None, problems
    entry = CatalogueEntry(
        code=code,
        category=category,
        name=name.strip(),
        description=description.strip(),
        materials=tuple(m.strip() for m in materials),
        time_limit_days=days,
        doorstep=doorstep,
    )
    return entry, problems


async def seed_catalogue(entries: Sequence[CatalogueEntry]) -> int:
    """Upsert ``entries`` into ``catalogue_item`` by code; returns how many rows were created.
    Rows that already match are not written, so a second run changes nothing."""
    codes = [entry.code for entry in entries]
    if len(set(codes)) != len(codes):
        raise ValueError("seed_catalogue: the entries repeat a code")
    async with in_transaction():
        stored = {row.code: row for row in await CatalogueItem.filter(code__in=codes)}
        created = [CatalogueItem(**e.columns()) for e in entries if e.code not in stored]
        for entry in entries:
            row = stored.get(entry.code)
            if row is None:
                continue
            changes = {k: v for k, v in entry.columns().items() if getattr(row, k) != v}
            if changes:
                await CatalogueItem.filter(id=row.id).update(
                    **changes, updated_at=datetime.now(UTC), version=F("version") + 1
                )
        if created:
            await CatalogueItem.bulk_create(created)
    return len(created)
