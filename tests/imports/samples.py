"""The sample registers shipped in ``core/imports/samples/`` and the workbook with three
planted bad rows in ``tests/imports/data/``, as rows: ``python -m tests.imports.samples``
writes the files again (a test checks that the committed files hold exactly these rows).

The sample adds 育才街道 to 工农区 of the demo tree, with two communities, four grids, six
compounds, their residents and cadres; the districts sheet repeats the demo's eight districts
unchanged, so importing it into a demo database creates the new rows and changes nothing else.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from core.imports.sheets import SHEETS
from core.people.validation import id_check_character

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_WORKBOOK = ROOT / "core" / "imports" / "samples" / "hegang_registers.xlsx"
SAMPLE_CSV = ROOT / "core" / "imports" / "samples" / "居民.csv"
BAD_WORKBOOK = ROOT / "tests" / "imports" / "data" / "three_bad_rows.xlsx"

DISTRICTS = [("xingshan", "兴山区"), ("xiangyang", "向阳区"), ("gongnong", "工农区"),
             ("nanshan", "南山区"), ("xingan", "兴安区"), ("dongshan", "东山区"),
             ("luobei", "萝北县"), ("suibin", "绥滨县")]  # fmt: skip
DEPARTMENTS = [("zhujian", "住建局"), ("chengguan", "城管局"), ("gongre", "供热办"),
               ("shuiwu", "水务局"), ("yingji", "应急管理局"), ("shichang", "市场监管局"),
               ("weijian", "卫健委")]  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "秀英", "志强", "淑珍", "海燕", "立新", "玉兰", "文博", "丽娟", "国栋")


def id_number(serial: int, region: str = "230403") -> str:
    born = date(1950, 1, 1) + timedelta(days=serial * 397 % 25_000)  # distinct below 25,000
    body = f"{region}{born:%Y%m%d}{800 + serial % 200:03d}"
    return body + id_check_character(body)


def _box(west: float, south: float, size: float = 0.004) -> str:
    east, north = round(west + size, 6), round(south + size, 6)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def registers() -> dict[str, list[list[Any]]]:
    """Each register's rows, headers first (the Chinese headers offices use)."""
    headers = {s.kind: [c.header + ("*" if c.required else "") for c in s.columns] for s in SHEETS}
    grids = [("yucai-a", "yucai-a-g1", "育才一社区第1网格", 130.180, 47.300),
             ("yucai-a", "yucai-a-g2", "育才一社区第2网格", 130.185, 47.300),
             ("yucai-b", "yucai-b-g1", "育才二社区第1网格", 130.180, 47.305),
             ("yucai-b", "yucai-b-g2", "育才二社区第2网格", 130.185, 47.305)]  # fmt: skip
    compounds = []
    for number, (_, grid, _, west, south) in enumerate(grids):
        for part in range(1 + number % 2 + (number == 0)):
            managed = (number + part) % 3 != 0
            compounds.append(["gongnong", grid, f"{grid}-c{part + 1}",
                              ("书香", "育才", "学府", "文苑", "桃李", "博雅", "翰林")[len(compounds)]
                              + "小区", "有" if managed else "无",
                              "鹤岗市育才物业服务有限公司" if managed else "",
                              _box(round(west + 0.0005 + part * 0.0018, 6),
                                   round(south + 0.0005, 6), 0.0015)])  # fmt: skip
    residents = [
        [SURNAMES[i % 20] + GIVEN[i % 10], id_number(i), f"139{i:08d}", "gongnong",
         compounds[i % len(compounds)][2]]
        for i in range(30)
    ]  # fmt: skip
    cadres = [
        [SURNAMES[(i + 7) % 20] + GIVEN[(i + 3) % 10], id_number(100 + i), f"158{i:08d}", post,
         department, "gongnong", place]
        for i, (post, department, place) in enumerate([
            ("网格员", "zhujian", "yucai-a-g1"), ("网格员", "chengguan", "yucai-a-g2"),
            ("网格员", "gongre", "yucai-b-g1"), ("网格员", "shuiwu", "yucai-b-g2"),
            ("社区工作者", "", "yucai-a"), ("街道干部", "", "yucai")])
    ]  # fmt: skip
    return {
        "districts": [headers["districts"], *[[c, n] for c, n in DISTRICTS]],
        "streets": [headers["streets"], ["gongnong", "yucai", "育才街道"]],
        "communities": [headers["communities"],
                        ["gongnong", "yucai", "yucai-a", "育才一社区", 130.1845, 47.3025],
                        ["gongnong", "yucai", "yucai-b", "育才二社区", 130.1845, 47.3075]],
        "grids": [headers["grids"], *[["gongnong", c, g, n, _box(w, s)]
                                      for c, g, n, w, s in grids]],
        "compounds": [headers["compounds"], *compounds],
        "departments": [headers["departments"], *[[c, n] for c, n in DEPARTMENTS]],
        "residents": [headers["residents"], *residents],
        "cadres": [headers["cadres"], *cadres],
    }  # fmt: skip


def bad_registers() -> tuple[dict[str, list[list[Any]]], list[tuple[str, int, str]]]:
    """The sample with three planted bad rows, and where they are (sheet, row, header)."""
    rows = registers()
    rows["grids"][2][1] = "yucai-c"  # 社区代码 of a community that exists nowhere
    rows["compounds"][3][4] = "不清楚"  # 有无物业 neither 有 nor 无
    rows["residents"][5][1] = rows["residents"][5][1][:17] + (
        "0" if rows["residents"][5][1][17] != "0" else "1"
    )  # a wrong check character
    return rows, [("网格", 3, "社区代码"), ("小区", 4, "有无物业"), ("居民", 6, "身份证号")]


def workbook(rows: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["Hemei 导入样例：每个工作表一个名册，第一行为表头，带 * 的列必填。"])
    for spec in SHEETS:
        sheet = book.create_sheet(spec.title)
        for line in rows[spec.kind]:
            sheet.append(line)
        for cell in sheet["B"] if spec.kind in ("residents", "cadres") else ():
            cell.number_format = "@"  # ID numbers as text, or Excel rounds them
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def residents_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in registers()["residents"]:
        writer.writerow(line)
    return out.getvalue().encode("utf-8-sig")


def main() -> None:
    SAMPLE_WORKBOOK.write_bytes(workbook(registers()))
    SAMPLE_CSV.write_bytes(residents_csv())
    BAD_WORKBOOK.write_bytes(workbook(bad_registers()[0]))
    for path in (SAMPLE_WORKBOOK, SAMPLE_CSV, BAD_WORKBOOK):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
