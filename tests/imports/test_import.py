"""Importing registers from spreadsheets: every bad row reported and nothing written, or all of
it; idempotent re-imports by natural keys; CSV in UTF-8 or GBK; district admins kept to their
districts; the same through the ``importRegisters`` mutation and ``hemei import``.

Imports that write run inside a transaction that is rolled back: the shared test database
keeps the demo tree other tests count on."""

from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from tortoise.transactions import in_transaction

from core.access.models import AuditRecord, RoleGrant
from core.imports import import_registers
from core.imports.sheets import SHEETS
from core.people.models import Person
from core.regions.models import Community, Compound, District, Grid, Street
from tests.access.probes import Probe, reference_targets
from tests.imports import samples
from tests.imports.probes import upload
from tests.support.server import clean_env, hemei

MODELS = (District, Street, Community, Grid, Compound, Person, RoleGrant)


class _Rollback(Exception):
    """Raised to undo a test's import."""


async def _counts() -> list[int]:
    return [await model.all().count() for model in MODELS]


async def rolled_back(work: Callable[[], Awaitable[Any]]) -> None:
    """Run ``work`` in a transaction, then roll it back; the database must be as before."""
    before = await _counts()
    with pytest.raises(_Rollback):
        async with in_transaction():
            await work()
            raise _Rollback
    assert await _counts() == before


def sample() -> bytes:
    return samples.SAMPLE_WORKBOOK.read_bytes()


async def test_three_planted_bad_rows_are_reported_exactly_and_nothing_is_written(orm):
    before = await _counts()
    report = await import_registers(samples.BAD_WORKBOOK.read_bytes(), "three_bad_rows.xlsx")
    _, planted = samples.bad_registers()
    assert [(p.sheet, p.row, p.column) for p in report.problems] == planted
    assert [p.message for p in report.problems] == [
        "'yucai-c' in district 'gongnong' is neither in the database nor in the file",
        "'不清楚': write 有 or 无",
        "is not a valid 18-character resident ID",
    ]
    assert not report.written and not report.ok
    assert await _counts() == before
    assert report.ignored_sheets == ["说明"]


async def test_the_sample_imports_then_imports_again_without_duplicates(orm):
    async def work() -> None:
        before = await _counts()
        first = await import_registers(sample(), "hegang_registers.xlsx")
        assert first.ok and first.written
        created = {s.kind: s.created for s in first.sheets}
        assert created == {"districts": 0, "streets": 1, "communities": 2, "grids": 4,
                           "compounds": 7, "departments": 0, "residents": 30,
                           "cadres": 6}  # fmt: skip
        assert {s.kind: s.unchanged for s in first.sheets}["districts"] == 8
        after = await _counts()
        assert [b - a for a, b in zip(before, after, strict=True)] == [0, 1, 2, 4, 7, 36, 6]

        again = await import_registers(sample(), "hegang_registers.xlsx")
        assert again.ok and all(s.created == s.updated == 0 for s in again.sheets)
        assert await _counts() == after, "a second import duplicates nothing"

        compound = await Compound.get(code="yucai-a-g1-c1")
        street = await Street.get(code="yucai")
        assert (compound.district_id, compound.street_id) == (street.district_id, street.id)
        assert compound.has_property_management is False
        resident = await Person.get(id_number=samples.id_number(0))
        assert (resident.home_compound_id, resident.home_street_id) == (compound.id, street.id)
        grant = await RoleGrant.get(
            person_id=(await Person.get(id_number=samples.id_number(100))).id
        )
        grid = await Grid.get(code="yucai-a-g1")
        assert (grant.role, grant.level, grant.grid_id, grant.community_id) == (
            "GRID_WORKER", "grid", grid.id, grid.community_id)  # fmt: skip

        rows = samples.registers()
        rows["residents"][1][0] = "王建军"  # renamed
        rows["compounds"][1][3] = "书香门第小区"
        changed = await import_registers(samples.workbook(rows), "edited.xlsx")
        counts = {s.kind: (s.created, s.updated) for s in changed.sheets}
        assert counts["residents"] == (0, 1) and counts["compounds"] == (0, 1)
        assert (await Person.get(id_number=samples.id_number(0))).name == "王建军"
        renamed = await Person.get(id_number=samples.id_number(0))
        assert renamed.version == 2 and renamed.updated_at > renamed.created_at
        assert await _counts() == after

    await rolled_back(work)


async def test_valid_rows_only_writes_the_rest_and_skips_what_needs_a_bad_row(orm):
    async def work() -> None:
        report = await import_registers(
            samples.BAD_WORKBOOK.read_bytes(), "three_bad_rows.xlsx", valid_rows_only=True
        )
        assert report.written and len(report.problems) == 3
        # The bad grid yucai-a-g2 holds two compounds (rows 4-5 of 小区, row 4 being bad
        # itself), their residents and a grid worker: all skipped, saying why.
        skipped = {(p.sheet, p.row) for p in report.skipped}
        assert ("小区", 5) in skipped and ("干部", 3) in skipped
        assert all("which has problems" in p.message for p in report.skipped)
        assert not await Grid.exists(code="yucai-a-g2")
        assert await Grid.exists(code="yucai-a-g1")
        assert not await Person.exists(id_number=samples.registers()["residents"][3][1])
        assert await Person.exists(id_number=samples.registers()["residents"][1][1])
        by_kind = {s.kind: s for s in report.sheets}
        assert by_kind["grids"].created == 3 and by_kind["grids"].skipped == 1

    await rolled_back(work)


async def test_dry_run_writes_nothing_and_says_what_it_would_do(orm):
    before = await _counts()
    report = await import_registers(sample(), "hegang_registers.xlsx", dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert {s.kind: s.created for s in report.sheets}["residents"] == 30
    assert await _counts() == before


async def test_csv_in_utf8_or_gbk_is_recognised_by_name_or_headers(orm):
    async def work() -> None:
        data = samples.SAMPLE_CSV.read_bytes()
        for name, body in (("居民.csv", data),
                           ("export.csv", data.decode("utf-8-sig").encode("gb18030"))):  # fmt: skip
            report = await import_registers(body, name, valid_rows_only=True)
            assert [s.kind for s in report.sheets] == ["residents"]
            # Their compounds are not in the database: every row says so.
            assert len(report.problems) == 30
            assert report.problems[0].message.endswith("is neither in the database nor in the file")

    await rolled_back(work)


async def test_row_checks_name_the_column_and_never_repeat_personal_data(orm):
    rows = samples.registers()
    number, phone = rows["residents"][1][1], "12345"
    rows["residents"][1][2] = phone
    rows["residents"][2][1] = 230403195001018007  # typed as a number: Excel rounds it
    rows["residents"][3][4] = ""
    rows["residents"].append(list(rows["residents"][1]))  # the same person twice
    rows["grids"][1][4] = '{"type": "Point", "coordinates": [130.1, 47.3]}'
    rows["communities"][1][4] = 200
    rows["streets"].append(["gongnong", "育 才", "育才二街道"])
    report = await import_registers(samples.workbook(rows), "x.xlsx")
    found = {(p.sheet, p.row, p.column): p.message for p in report.problems}
    assert found == {
        ("街道", 3, "街道代码"): "'育 才' is no code: letters, digits, - or _, at most 64",
        ("社区", 2, "中心经度"): "200.0 is outside -180..180",
        ("网格", 2, "边界"): "is not a valid GeoJSON Polygon",
        ("居民", 2, "手机号"): "is not an 11-digit mobile number",
        ("居民", 3, "身份证号"): "is stored as a number, which loses digits: format the column "
        "as text",
        ("居民", 4, "小区代码"): "is empty",
        ("居民", 32, None): "repeats row 2 (the same key)",
    }
    assert not any(number in message or phone in message for message in found.values())


async def test_a_district_admin_imports_only_rows_of_their_districts(orm):
    report = await import_registers(sample(), "hegang_registers.xlsx", districts={"nanshan"})
    sheets = {p.sheet for p in report.problems}
    assert sheets == {"区县", "街道", "社区", "网格", "小区", "单位", "居民", "干部"}
    assert "only city administrators import districts" in {p.message for p in report.problems}
    assert any(p.message == "'gongnong' is not a district you administer" for p in report.problems)
    assert not report.written


async def test_a_sheet_without_a_required_column_is_one_problem(orm):
    rows = samples.registers()
    rows["streets"] = [[cell for i, cell in enumerate(line) if i != 2] for line in rows["streets"]]
    report = await import_registers(samples.workbook(rows), "x.xlsx")
    assert [(p.sheet, p.row, p.message) for p in report.problems] == [
        ("街道", 1, "missing column(s): 名称")
    ]


def test_the_committed_samples_hold_the_generated_rows():
    expected = samples.registers()
    book = load_workbook(io.BytesIO(sample()), read_only=True)
    for spec in SHEETS:
        read = [list(row) for row in book[spec.title].iter_rows(values_only=True)]
        wanted = [[None if cell == "" else cell for cell in line] for line in expected[spec.kind]]
        assert read == wanted, spec.kind
    assert samples.SAMPLE_CSV.read_bytes() == samples.residents_csv()
    assert samples.BAD_WORKBOOK.exists()


# ---------------------------------------------------------------- through the API


@pytest.fixture
async def admins(api) -> AsyncIterator[dict[str, Probe]]:
    client = await api()
    targets = await reference_targets()
    yield {
        name: Probe(await client.signed_in(name), None, targets)
        for name in ("city_admin", "gongnong_admin", "xinhong_worker")
    }


QUERY = (
    "mutation($f: Upload!) { importRegisters(file: $f) { ok written "
    "problems { sheet row column message } sheets { kind created } ignoredSheets } }"
)


async def test_the_mutation_reports_the_planted_rows_and_writes_nothing(orm, admins):
    before = await _counts()
    body = await upload(
        admins["city_admin"], "three_bad_rows.xlsx", samples.BAD_WORKBOOK.read_bytes(), QUERY
    )
    result = body["data"]["importRegisters"]
    assert not result["ok"] and not result["written"]
    _, planted = samples.bad_registers()
    assert [(p["sheet"], p["row"], p["column"]) for p in result["problems"]] == planted
    assert result["ignoredSheets"] == ["说明"]
    assert await _counts() == before
    record = await AuditRecord.filter(action="importRegisters").order_by("-id").first()
    assert record is not None and record.summary["written"] is False
    assert record.summary["problems"] == 3 and record.role == "CITY_ADMIN"


async def test_the_mutation_is_for_administrators(orm, admins):
    body = await upload(admins["xinhong_worker"], "x.xlsx", sample(), QUERY)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await upload(admins["gongnong_admin"], "x.xlsx", sample(), QUERY)
    result = body["data"]["importRegisters"]
    assert not result["written"]
    assert {p["message"] for p in result["problems"]} == {
        "only city administrators import districts",
        "only city administrators import departments",
    }


async def test_an_unreadable_file_is_bad_user_input(orm, admins):
    body = await upload(admins["city_admin"], "x.xlsx", b"PK\x03\x04 not a workbook", QUERY)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# ---------------------------------------------------------------- the command and a big file


def test_hemei_import_reports_rows_and_exits_1(tmp_path, scratch_database_url):
    env = clean_env(HEMEI_DATABASE_URL=scratch_database_url)
    config = tmp_path / "hemei.toml"
    config.write_text("", encoding="utf-8")
    hemei("db", "upgrade", "--config", str(config), cwd=tmp_path, env=env, check=True)
    result = hemei("import", "--config", str(config), str(samples.BAD_WORKBOOK), cwd=tmp_path,
                   env=env)  # fmt: skip
    assert result.returncode == 1
    assert "网格 row 3: 社区代码: 'yucai-c' in district 'gongnong'" in result.stderr
    assert "3 row(s) with problems: nothing written." in result.stdout
    # On an empty database the districts come from the file: the whole sample imports.
    done = hemei("import", "--config", str(config), str(samples.SAMPLE_WORKBOOK), cwd=tmp_path,
                 env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "区县 (districts): 8 rows, 8 new" in done.stdout and "Written." in done.stdout
    assert "单位 (departments): 7 rows, 7 new" in done.stdout
    again = hemei("import", "--config", str(config), str(samples.SAMPLE_CSV), cwd=tmp_path,
                  env=env)  # fmt: skip
    assert "居民.csv (residents): 30 rows, 0 new, 0 changed, 30 unchanged" in again.stdout


async def test_ten_thousand_residents(orm, capsys):
    compound = await Compound.filter(district_id=(await District.get(code="gongnong")).id).first()
    assert compound is not None
    lines = ["姓名,身份证号,手机号,区县代码,小区代码"]
    lines += [f"居民{i},{samples.id_number(i, '230498')},139{i:08d},gongnong,{compound.code}"
              for i in range(10_000)]  # fmt: skip
    data = ("\n".join(lines) + "\n").encode()

    async def work() -> None:
        started = time.perf_counter()
        first = await import_registers(data, "居民.csv")
        written = time.perf_counter() - started
        assert first.ok and first.sheets[0].created == 10_000
        started = time.perf_counter()
        again = await import_registers(data, "居民.csv")
        checked = time.perf_counter() - started
        assert again.sheets[0].unchanged == 10_000
        with capsys.disabled():
            print(f"\n10,000 residents: imported in {written:.1f} s, re-imported (no change) "
                  f"in {checked:.1f} s")  # fmt: skip

    await rolled_back(work)


async def test_a_district_admin_cannot_rewrite_people_of_another_district(orm):
    gongnong = await District.get(code="gongnong")
    someone = await Person.filter(home_district_id=gongnong.id, id_number__isnull=False).first()
    nanshan = await Compound.filter(district_id=(await District.get(code="nanshan")).id).first()
    assert someone is not None and nanshan is not None
    data = f"姓名,身份证号,区县代码,小区代码\n冒名,{someone.id_number},nanshan,{nanshan.code}\n"
    report = await import_registers(data.encode(), "居民.csv", districts={"nanshan"})
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "身份证号", "the person lives in a district you do not administer")
    ]
    assert (await Person.get(id=someone.id)).name == someone.name
