"""Checking every row of an import before anything is written.

Each row is checked on its own (required cells, codes, numbers, ID-card and mobile numbers,
GeoJSON outlines) and against the rest: its parent must be in the database or in the file, its
key may appear once, and an existing place keeps its parent (an import adds and updates; it
does not move places, whose descendants copy their ancestors' ids). A row is then planned as
new, changed or unchanged, compared with what the database holds under its key.

Problems name the sheet, the row number as the spreadsheet shows it, the column's header and
what is wrong, never the personal value itself (ID-card and phone numbers are personal data).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from core.access.models import RoleGrant
from core.imports.reading import RawSheet
from core.imports.sheets import SHEETS, SheetSpec
from core.people.models import Department, Person
from core.people.validation import id_number_is_valid
from core.progress import SILENT, Progress
from core.regions.models import Community, Compound, District, Grid, Street

__all__ = ["Plan", "Planned", "Problem", "check"]

CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PHONE = re.compile(r"^1[3-9]\d{9}$")
YES = {"有", "是", "yes", "y", "true", "1"}
NO = {"无", "否", "no", "n", "false", "0", ""}
ROLES = {  # header value → (role, level of the post)
    "网格员": ("GRID_WORKER", "grid"), "grid_worker": ("GRID_WORKER", "grid"),
    "社区工作者": ("COMMUNITY_WORKER", "community"),
    "community_worker": ("COMMUNITY_WORKER", "community"),
    "街道干部": ("STREET_OFFICER", "street"), "street_officer": ("STREET_OFFICER", "street"),
    "部门干部": ("DEPARTMENT_OFFICER", "department"),
    "department_officer": ("DEPARTMENT_OFFICER", "department"),
}  # fmt: skip
PARENT = {"streets": ("districts", "district"), "communities": ("streets", "street"),
          "grids": ("communities", "community"), "compounds": ("grids", "grid"),
          "residents": ("compounds", "compound")}  # fmt: skip

Change = Literal["create", "update", "same"]
Key = tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row (``row`` 0: the sheet itself)."""

    sheet: str
    row: int
    column: str | None
    message: str


@dataclass
class Planned:
    """A row that passed its checks, and what writing it would do."""

    kind: str
    row: int
    key: Key
    values: dict[str, Any]
    change: Change
    existing: int | None = None
    depends: tuple[str, Key] | None = None
    """The row of the file (kind, key) it needs, if its parent comes from the file."""


@dataclass
class Plan:
    rows: dict[str, list[Planned]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad: set[tuple[str, Key]] = field(default_factory=set)
    """(kind, key) of rows with problems: rows that need them cannot be written either."""
    sheet_names: dict[str, str] = field(default_factory=dict)


class _RowError(Exception):
    def __init__(self, column: str | None, message: str) -> None:
        self.column, self.message = column, message


def text(value: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Known:
    """What the database holds, by natural key."""

    districts: dict[Key, dict[str, Any]] = field(default_factory=dict)
    streets: dict[Key, dict[str, Any]] = field(default_factory=dict)
    communities: dict[Key, dict[str, Any]] = field(default_factory=dict)
    grids: dict[Key, dict[str, Any]] = field(default_factory=dict)
    compounds: dict[Key, dict[str, Any]] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)
    department_rows: dict[Key, dict[str, Any]] = field(default_factory=dict)
    district_codes: dict[int, str] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    grants: set[tuple[Any, ...]] = field(default_factory=set)


async def _known(sheets: list[RawSheet]) -> _Known:
    known = _Known()
    code_of = dict(await District.all().values_list("id", "code"))
    known.district_codes = code_of
    known.districts = {(r["code"],): r for r in await District.all().values("id", "code", "name")}
    streets = await Street.all().values("id", "code", "name", "district_id")
    street_code = {r["id"]: r["code"] for r in streets}
    known.streets = {(code_of[r["district_id"]], r["code"]): r for r in streets}
    communities = await Community.all().values("id", "code", "name", "district_id", "street_id",
                                               "centre_lon", "centre_lat")  # fmt: skip
    community_code = {r["id"]: r["code"] for r in communities}
    for r in communities:
        r["street"] = street_code[r["street_id"]]
        known.communities[code_of[r["district_id"]], r["code"]] = r
    grids = await Grid.all().values("id", "code", "name", "district_id", "community_id",
                                    "boundary")  # fmt: skip
    grid_code = {r["id"]: r["code"] for r in grids}
    for r in grids:
        r["community"] = community_code[r["community_id"]]
        known.grids[code_of[r["district_id"]], r["code"]] = r
    for r in await Compound.all().values("id", "code", "name", "district_id", "grid_id",
                                         "boundary", "has_property_management",
                                         "property_company"):  # fmt: skip
        r["grid"] = grid_code[r["grid_id"]]
        known.compounds[code_of[r["district_id"]], r["code"]] = r
    for r in await Department.all().values("id", "code", "name"):
        known.departments[r["code"]] = r["id"]
        known.department_rows[(r["code"],)] = r
    numbers = sorted({
        text(row.get("id_number")).upper()
        for sheet in sheets if sheet.spec.kind in ("residents", "cadres")
        for _, row in sheet.rows
    } - {""})  # fmt: skip
    for start in range(0, len(numbers), 1000):
        for r in await Person.filter(id_number__in=numbers[start : start + 1000]).values(
            "id",
            "id_number",
            "name",
            "phone",
            "home_compound_id",
            "home_district_id",
            "department_id",
        ):
            known.people[r["id_number"]] = r
    ids = [p["id"] for p in known.people.values()]
    for start in range(0, len(ids), 1000):
        known.grants |= set(
            await RoleGrant.filter(person_id__in=ids[start : start + 1000]).values_list(
                "person_id", "role", "level", "grid_id", "community_id", "street_id",
                "department_id",
            )
        )  # fmt: skip
    return known


async def check(
    sheets: list[RawSheet], *, districts: set[str] | None = None, progress: Progress = SILENT
) -> Plan:
    """Check every row; ``districts``: the district codes the importer administers (``None``:
    the whole city)."""
    known = await _known(sheets)
    plan = Plan(sheet_names={s.spec.kind: s.name for s in sheets})
    declared: dict[str, dict[Key, int]] = {s.kind: {} for s in SHEETS}
    for sheet in sheets:
        for number, row in sheet.rows:
            key = _key(sheet.spec, row)
            if all(key):
                declared[sheet.spec.kind].setdefault(key, number)
    progress.phase("checking rows", sum(len(s.rows) for s in sheets))
    for sheet in sheets:
        kind, planned = sheet.spec.kind, plan.rows.setdefault(sheet.spec.kind, [])
        if sheet.missing:
            missing = f"missing column(s): {', '.join(sheet.missing)}"
            plan.problems.append(Problem(sheet.name, sheet.header_row, None, missing))
            plan.bad |= {(kind, k) for k in declared[kind]}
            progress.advance(len(sheet.rows))
            continue
        seen: dict[Key, int] = {}
        for number, row in sheet.rows:
            key = _key(sheet.spec, row)
            try:
                if key in seen:
                    raise _RowError(None, f"repeats row {seen[key]} (the same key)")
                seen[key] = number
                planned.append(_checked(sheet.spec, number, row, key, known, declared, districts))
            except _RowError as exc:
                header = sheet.spec.header_of(exc.column) if exc.column else None
                plan.problems.append(Problem(sheet.name, number, header, exc.message))
                plan.bad.add((kind, key))
            progress.advance()
    return plan


def _key(spec: SheetSpec, row: dict[str, Any]) -> Key:
    return tuple(text(row.get(k)).upper() if k == "id_number" else text(row.get(k))
                 for k in spec.key)  # fmt: skip


def _required(row: dict[str, Any], column: str) -> str:
    value = text(row.get(column))
    if not value:
        raise _RowError(column, "is empty")
    return value


def _code(row: dict[str, Any], column: str) -> str:
    value = _required(row, column)
    if not CODE.match(value):
        raise _RowError(column, f"{value!r} is no code: letters, digits, - or _, at most 64")
    return value


def _name(row: dict[str, Any], column: str = "name", limit: int = 100) -> str:
    value = _required(row, column)
    if len(value) > limit:
        raise _RowError(column, f"is longer than {limit} characters")
    return value


def _number(row: dict[str, Any], column: str, low: float, high: float) -> float | None:
    value = row.get(column)
    if text(value) == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # a cell: text or a number
    except (TypeError, ValueError):
        raise _RowError(column, f"{text(value)!r} is not a number") from None
    if not low <= number <= high:
        raise _RowError(column, f"{number} is outside {low}..{high}")
    return number


def _boundary(row: dict[str, Any]) -> dict[str, Any] | None:
    raw = text(row.get("boundary"))
    if not raw:
        return None
    from shapely.geometry import shape

    try:
        geometry = json.loads(raw)
        polygon = shape(geometry)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise _RowError("boundary", "is not GeoJSON") from None
    if geometry.get("type") != "Polygon" or not polygon.is_valid or polygon.area <= 0:
        raise _RowError("boundary", "is not a valid GeoJSON Polygon")
    if not all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in polygon.exterior.coords):
        raise _RowError("boundary", "has a point outside longitude/latitude ranges")
    return dict(geometry)


def _district(code: str, districts: set[str] | None) -> None:
    if districts is not None and code not in districts:
        raise _RowError("district", f"{code!r} is not a district you administer")


def _parent(
    kind: str, key: Key, column: str, known: dict[Key, dict[str, Any]],
    declared: dict[str, dict[Key, int]],
) -> tuple[str, Key] | None:  # fmt: skip
    """The parent's row in the file, ``None`` when it is in the database; an error when
    neither holds it."""
    if key in declared[kind]:
        return kind, key
    if key in known:
        return None
    where = f" in district {key[0]!r}" if len(key) > 1 else ""
    raise _RowError(column, f"{key[-1]!r}{where} is neither in the database nor in the file")


def _moved(existing: dict[str, Any] | None, column: str, parent: str, field_: str) -> None:
    if existing is not None and existing[field_] != parent:
        raise _RowError(column, f"the place belongs to {existing[field_]!r}; an import does "
                                f"not move places (move it in the app)")  # fmt: skip


def _id(existing: dict[str, Any] | None) -> int | None:
    return None if existing is None else int(existing["id"])


def _change(
    existing: dict[str, Any] | None, values: dict[str, Any], fields: dict[str, str]
) -> Change:
    if existing is None:
        return "create"
    same = all(existing[column] == values[key] for key, column in fields.items())
    return "same" if same else "update"


def _checked(
    spec: SheetSpec, number: int, row: dict[str, Any], key: Key, known: _Known,
    declared: dict[str, dict[Key, int]], districts: set[str] | None,
) -> Planned:  # fmt: skip
    kind = spec.kind
    if kind in ("districts", "departments"):
        if districts is not None:
            raise _RowError(None, f"only city administrators import {kind}")
        values = {"code": _code(row, "code"), "name": _name(row)}
        existing = (known.districts if kind == "districts" else known.department_rows).get(key)
        return Planned(kind, number, key, values, _change(existing, values, {"name": "name"}),
                       _id(existing))  # fmt: skip
    if kind in ("streets", "communities", "grids", "compounds"):
        return _place(spec, number, row, key, known, declared, districts)
    if kind == "residents":
        return _resident(number, row, key, known, declared, districts)
    return _cadre(number, row, key, known, declared, districts)


def _place(
    spec: SheetSpec, number: int, row: dict[str, Any], key: Key, known: _Known,
    declared: dict[str, dict[Key, int]], districts: set[str] | None,
) -> Planned:  # fmt: skip
    kind = spec.kind
    district = _code(row, "district")
    _district(district, districts)
    parent_kind, parent_column = PARENT[kind]
    if kind == "streets":
        depends = _parent("districts", (district,), "district", known.districts, declared)
    else:
        parent_key = (district, _code(row, parent_column))
        depends = _parent(parent_kind, parent_key, parent_column,
                          getattr(known, parent_kind), declared)  # fmt: skip
    values: dict[str, Any] = {"district": district, "code": _code(row, "code"),
                              "name": _name(row)}  # fmt: skip
    compare = {"name": "name"}
    existing = getattr(known, kind).get(key)
    if kind == "communities":
        values["street"] = text(row.get("street"))
        _moved(existing, "street", values["street"], "street")
        values["lon"] = _number(row, "lon", -180, 180)
        values["lat"] = _number(row, "lat", -90, 90)
        if (values["lon"] is None) != (values["lat"] is None):
            raise _RowError("lat" if values["lat"] is None else "lon",
                            "give both longitude and latitude, or neither")  # fmt: skip
        compare |= {"lon": "centre_lon", "lat": "centre_lat"}
    elif kind == "grids":
        values["community"] = text(row.get("community"))
        _moved(existing, "community", values["community"], "community")
        values["boundary"] = _boundary(row)
        compare["boundary"] = "boundary"
    elif kind == "compounds":
        values["grid"] = text(row.get("grid"))
        _moved(existing, "grid", values["grid"], "grid")
        managed = text(row.get("managed")).lower()
        if managed not in YES | NO:
            raise _RowError("managed", f"{managed!r}: write 有 or 无")
        values["managed"] = managed in YES
        values["company"] = text(row.get("company")) or None
        if values["company"] and not values["managed"]:
            raise _RowError("company", "a compound without property management has no company")
        if values["company"] and len(values["company"]) > 200:
            raise _RowError("company", "is longer than 200 characters")
        values["boundary"] = _boundary(row)
        compare |= {"managed": "has_property_management", "company": "property_company",
                    "boundary": "boundary"}  # fmt: skip
    return Planned(kind, number, key, values, _change(existing, values, compare),
                   _id(existing), depends)  # fmt: skip


def _person(
    row: dict[str, Any], known: _Known, districts: set[str] | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    raw = row.get("id_number")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise _RowError("id_number", "is stored as a number, which loses digits: format the "
                                     "column as text")  # fmt: skip
    number = _required(row, "id_number").upper()
    if not id_number_is_valid(number):
        raise _RowError("id_number", "is not a valid 18-character resident ID")
    phone = text(row.get("phone")).replace(" ", "").replace("-", "") or None
    if phone is not None and not PHONE.match(phone):
        raise _RowError("phone", "is not an 11-digit mobile number")
    values = {"name": _name(row), "id_number": number, "phone": phone}
    existing = known.people.get(number)
    home = existing and existing["home_district_id"]
    if districts is not None and home and known.district_codes.get(home) not in districts:
        raise _RowError("id_number", "the person lives in a district you do not administer")
    return values, existing


def _resident(
    number: int, row: dict[str, Any], key: Key, known: _Known,
    declared: dict[str, dict[Key, int]], districts: set[str] | None,
) -> Planned:  # fmt: skip
    values, existing = _person(row, known, districts)
    district = _code(row, "district")
    _district(district, districts)
    compound = (district, _code(row, "compound"))
    depends = _parent("compounds", compound, "compound", known.compounds, declared)
    values["compound"] = compound
    change: Change = "create"
    if existing is not None:
        home = known.compounds.get(compound)
        same = (existing["name"], existing["phone"]) == (values["name"], values["phone"])
        change = (
            "same" if same and home and existing["home_compound_id"] == home["id"] else "update"
        )
    return Planned("residents", number, key, values, change,
                   _id(existing), depends)  # fmt: skip


def _cadre(
    number: int, row: dict[str, Any], key: Key, known: _Known,
    declared: dict[str, dict[Key, int]], districts: set[str] | None,
) -> Planned:  # fmt: skip
    values, existing = _person(row, known, districts)
    role_text = text(row.get("role"))
    if role_text.lower() not in ROLES:
        raise _RowError("role", f"{role_text!r}: write 网格员, 社区工作者, 街道干部 or 部门干部")
    role, level = ROLES[role_text.lower()]
    department = text(row.get("department")) or None
    depends = None
    if department is not None:
        depends = _parent("departments", (department,), "department",
                          known.department_rows, declared)  # fmt: skip
    if level == "department":
        if department is None:
            raise _RowError("department", "is empty (a 部门干部 serves a department)")
        if districts is not None:
            raise _RowError("role", "department-wide posts are granted by city administrators")
        place: Key = (department,)
    else:
        district = _code(row, "district")
        _district(district, districts)
        place = (district, _code(row, "place"))
        kind = {"grid": "grids", "community": "communities", "street": "streets"}[level]
        depends = _parent(kind, place, "place", getattr(known, kind), declared) or depends
    values |= {"role": role, "level": level, "department": department, "place": place}
    change: Change = "create"
    if existing is not None:
        same = (existing["name"], existing["phone"]) == (values["name"], values["phone"]) and (
            department is None or known.departments.get(department) == existing["department_id"]
        )
        change = "same" if same and _has_grant(known, existing["id"], values) else "update"
    return Planned("cadres", number, key, values, change, _id(existing), depends)


def _has_grant(known: _Known, person_id: int, values: dict[str, Any]) -> bool:
    level, place = values["level"], values["place"]
    if level == "department":
        return (person_id, values["role"], level, None, None, None,
                known.departments.get(place[0])) in known.grants  # fmt: skip
    rows = {"grid": known.grids, "community": known.communities, "street": known.streets}[level]
    found = rows.get(place)
    if found is None:
        return False
    ids = {"grid": (found["id"], None, None), "community": (None, found["id"], None),
           "street": (None, None, found["id"])}[level]  # fmt: skip
    return any(
        g[:3] == (person_id, values["role"], level) and g[3 + i] == ids[i]
        for g in known.grants
        for i in range(3)
        if ids[i] is not None
    )
