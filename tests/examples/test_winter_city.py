"""The outside example plugin (examples/winter_city): a package of its own, installed with pip
from its folder (tests/run.sh does), found through its entry point, listed by `hemei plugins`,
in the schema, conforming, and switched on in one district of its demo config. Its own tests
run in their own pytest process (tests/run.sh runs them)."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest

from core.plugins.discovery import installed_plugins
from core.plugins.host import build_plugin_host
from schema.builder import build_schema
from tests.support.server import clean_env, hemei

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "winter_city"
NAME = "winter_city"


@pytest.fixture(scope="module")
def installed() -> str:
    if installed_plugins().get(NAME) is None:
        pytest.skip(f"install the example first: pip install -e {EXAMPLE.relative_to(ROOT)}")
    return NAME


def test_it_is_listed_and_in_the_schema(installed, tmp_path):
    listed = hemei("plugins", cwd=tmp_path)
    [line] = [row for row in listed.stdout.splitlines() if row.startswith(NAME)]
    assert "hemei-winter-city" in line.split()
    schema = build_schema(build_plugin_host([NAME])).schema.as_str()
    assert "winterReports(" in schema and "winterSummary: WinterSummary" in schema
    assert "reportWinterProblem(" in schema


async def test_it_conforms(installed, scratch_database_url, tmp_path):
    done = hemei(
        "plugin", "check", NAME, "--database-url", scratch_database_url,
        cwd=tmp_path, env=clean_env(), timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"=> {NAME} conforms" in done.stdout


def test_its_demo_config_is_the_demo_with_winter_city_on_in_luobei():
    core = tomllib.loads((ROOT / "core" / "demo" / "hemei.demo.toml").read_text(encoding="utf-8"))
    example = tomllib.loads((EXAMPLE / "hemei.demo.toml").read_text(encoding="utf-8"))
    assert example["plugins"]["load"] == [*core["plugins"]["load"], NAME]
    luobei = example["districts"]["luobei"]
    assert luobei["modules"] == [*core["districts"]["luobei"]["modules"], NAME]
    assert set(luobei.pop("settings")) == {NAME}
    on = [code for code, d in example["districts"].items() if NAME in d["modules"]]
    assert on == ["luobei"], "on in one demo district"
    example["plugins"]["load"].remove(NAME)
    luobei["modules"].remove(NAME)
    assert example["database"]["url"] != core["database"]["url"], "a demo database of its own"
    example["database"] = core["database"]
    assert example == core, "otherwise the same as the demo config"


def test_its_demo_loads_reports_in_luobei(installed, tmp_path):
    text = (EXAMPLE / "hemei.demo.toml").read_text(encoding="utf-8")
    config = tmp_path / "hemei.toml"
    config.write_text(
        text.replace("sqlite://data/hemei-winter.sqlite3", f"sqlite://{tmp_path / 'demo.db'}"),
        encoding="utf-8",
    )
    done = hemei("demo", "--config", str(config), "--no-serve", cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with sqlite3.connect(tmp_path / "demo.db") as db:
        rows = db.execute(
            "SELECT d.code, count(*) FROM winter_city_winter_report r "
            "JOIN district d ON d.id = r.district_id GROUP BY d.code"
        ).fetchall()
    assert dict(rows).keys() == {"luobei"} and dict(rows)["luobei"] > 0
