"""The registers offices keep, as sheets: which columns each has, under which headers.

A workbook has one sheet per register, named in Chinese (区县, 街道, 社区, 网格, 小区, 单位,
居民, 干部) or in English (districts, streets, ...); a CSV file holds one register, recognised by
its headers. Headers are matched without spaces, a trailing ``*`` (offices mark required
columns so) or case; the English keys work as headers too. Places are named by their codes, each
unique within its district: that is how a row finds its parent and how a second import finds
the rows of the first (the natural keys). People are found by their ID-card number.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "SHEETS", "Column", "SheetSpec", "sheet_for"]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """The columns that find an existing row (its natural key)."""

    def header_of(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)


def _c(key: str, header: str, help: str, required: bool = False) -> Column:
    return Column(key, header, required, help)


_DISTRICT = _c("district", "区县代码", "Code of the district (as in the config file).", True)
_NAME = _c("name", "名称", "Name, e.g. 红旗街道.", True)
_BOUNDARY = _c(
    "boundary", "边界", "GeoJSON Polygon, longitude before latitude (WGS84); may be empty."
)
_PERSON = (
    _c("name", "姓名", "Full name.", True),
    _c("id_number", "身份证号", "18-character resident ID (the person's key).", True),
    _c("phone", "手机号", "11-digit mobile number; may be empty."),
)

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("districts", "区县", (
        _c("code", "区县代码", "Code, lower-case letters, digits, - or _.", True), _NAME,
    ), ("code",)),
    SheetSpec("streets", "街道", (
        _DISTRICT, _c("code", "街道代码", "Code, unique in the district.", True), _NAME,
    ), ("district", "code")),
    SheetSpec("communities", "社区", (
        _DISTRICT, _c("street", "街道代码", "Code of its street.", True),
        _c("code", "社区代码", "Code, unique in the district.", True), _NAME,
        _c("lon", "中心经度", "Longitude of its centre; may be empty."),
        _c("lat", "中心纬度", "Latitude of its centre; may be empty."),
    ), ("district", "code")),
    SheetSpec("grids", "网格", (
        _DISTRICT, _c("community", "社区代码", "Code of its community.", True),
        _c("code", "网格代码", "Code, unique in the district.", True), _NAME, _BOUNDARY,
    ), ("district", "code")),
    SheetSpec("compounds", "小区", (
        _DISTRICT, _c("grid", "网格代码", "Code of its grid.", True),
        _c("code", "小区代码", "Code, unique in the district.", True), _NAME,
        _c("managed", "有无物业", "有 or 无 (also 是/否, yes/no); empty: 无."),
        _c("company", "物业公司", "The property company, when it has one."), _BOUNDARY,
    ), ("district", "code")),
    SheetSpec("departments", "单位", (
        _c("code", "单位代码", "Code of a city department (住建局 zhujian, ...).", True), _NAME,
    ), ("code",)),
    SheetSpec("residents", "居民", (
        *_PERSON, _DISTRICT, _c("compound", "小区代码", "Code of the compound they live in.", True),
    ), ("id_number",)),
    SheetSpec("cadres", "干部", (
        *_PERSON,
        _c("role", "岗位", "网格员, 社区工作者, 街道干部 or 部门干部 (or the role names "
           "GRID_WORKER, COMMUNITY_WORKER, STREET_OFFICER, DEPARTMENT_OFFICER).", True),
        _c("department", "单位代码", "Code of their department (needed for 部门干部)."),
        _c("district", "区县代码", "District of the post (not for 部门干部)."),
        _c("place", "任职地代码", "Code of the grid, community or street of the post."),
    ), ("id_number",)),
)  # fmt: skip
"""In the order they are checked and written: a row's parent comes first."""

KINDS = tuple(s.kind for s in SHEETS)


def sheet_for(kind: str) -> SheetSpec:
    return next(s for s in SHEETS if s.kind == kind)


def normalise(header: object) -> str:
    text = "" if header is None else str(header)
    return text.strip().rstrip("*＊").strip().lower().replace(" ", "").replace("_", "")
