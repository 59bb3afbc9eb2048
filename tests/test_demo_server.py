"""The README's first command, end to end: `hemei demo` in its own process serves the demo,
and edits of its config file take effect within 2 seconds without a restart."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support.server import clean_env, free_port, hemei, running

ROOT = Path(__file__).resolve().parent.parent
MODULES = "{ districts { code name modules { name enabled source } } }"


def on(district: dict) -> list[str]:
    return [m["name"] for m in district["modules"] if m["enabled"]]


@pytest.fixture
def demo_server(tmp_path, scratch_database_url):
    env = clean_env(HEMEI_DATABASE_URL=scratch_database_url)
    with running(["demo"], tmp_path, env, free_port()) as base:
        yield base, tmp_path / "data" / "hemei.toml"


def query(base: str) -> dict:
    response = httpx.post(f"{base}/graphql", json={"query": MODULES}, timeout=10)
    body = response.json()
    assert "errors" not in body, body
    return {d["code"]: d for d in body["data"]["districts"]}


def test_demo_serves_districts_and_applies_config_edits_live(demo_server, capsys):
    base, config = demo_server
    districts = query(base)
    assert len(districts) == 8
    assert districts["gongnong"]["name"] == "工农区"
    assert on(districts["gongnong"]) == ["elderly_canteen", "four_thirty_classroom"]
    assert on(districts["suibin"]) == []
    assert len({tuple(on(d)) for d in districts.values()}) == 8, "every district differs"
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok", "database": "ok"}
    assert "graphiql" in httpx.get(f"{base}/graphql", headers={"Accept": "text/html"}).text.lower()

    text = config.read_text(encoding="utf-8")
    edited = text.replace(
        'name = "绥滨县"\nmodules = []', 'name = "绥滨县"\nmodules = ["medical_teams"]'
    )
    assert edited != text
    config.write_text(edited, encoding="utf-8")
    start = time.monotonic()
    while on(query(base)["suibin"]) != ["medical_teams"]:
        assert time.monotonic() - start < 2.0, "the edit did not apply within 2 s"
        time.sleep(0.05)
    elapsed = time.monotonic() - start
    with capsys.disabled():
        print(f"\nconfig edit applied by the running server after {elapsed:.2f} s")
    assert query(base)["suibin"]["modules"][3]["source"] == "districts.suibin.modules"

    config.write_text(
        edited.replace('modules = ["medical_teams"]', 'modules = ["medical_teamz"]'),
        encoding="utf-8",
    )
    time.sleep(1.5)
    assert on(query(base)["suibin"]) == ["medical_teams"], "a broken edit changes nothing"


def test_cli_reports_a_bad_config_with_file_and_key(tmp_path):
    config = tmp_path / "hemei.toml"
    config.write_text(
        '[plugins]\nload = ["elderly_canteen"]\n[districts.a]\nname = "A"\nmodules = ["canteen"]\n',
        encoding="utf-8",
    )
    result = hemei("serve", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 1
    assert (
        f"{config}: districts.a.modules[0]: unknown module 'canteen' (loaded: elderly_canteen)"
        in result.stderr
    )


def test_cli_plugins_lists_versions_and_districts(tmp_path):
    from schema.cli import DEMO_CONFIG

    result = hemei("plugins", "--config", str(DEMO_CONFIG), cwd=tmp_path, check=True)
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "0.1.0" in lines["elderly_canteen"] and "yes" in lines["elderly_canteen"]
    assert "xingshan, gongnong, nanshan, dongshan" in lines["elderly_canteen"]
    assert "gongnong (part)" in lines["new_employment_stations"]


def test_cli_db_upgrade_then_schema_export(tmp_path, scratch_database_url):
    env = clean_env(HEMEI_DATABASE_URL=scratch_database_url)
    config = tmp_path / "hemei.toml"
    config.write_text('[plugins]\nload = ["medical_teams"]\n', encoding="utf-8")
    for _ in range(2):  # a second upgrade finds nothing to do and succeeds
        upgraded = hemei("db", "upgrade", "--config", str(config), cwd=tmp_path, env=env)
        assert upgraded.returncode == 0, upgraded.stderr
        assert "Database is up to date." in upgraded.stdout
    exported = hemei(
        "schema", "export", "--config", str(config), "-o", "-", cwd=tmp_path, env=env, check=True
    )
    assert "type Query {" in exported.stdout and "districts: [District!]!" in exported.stdout


def test_serve_refuses_a_database_without_migrations(tmp_path, scratch_database_url):
    env = clean_env(HEMEI_DATABASE_URL=scratch_database_url)
    config = tmp_path / "hemei.toml"
    config.write_text(f"[server]\nport = {free_port()}\n", encoding="utf-8")
    result = hemei("serve", "--config", str(config), cwd=tmp_path, env=env)
    assert result.returncode != 0
    core_migrations = sorted(p.stem for p in (ROOT / "core" / "migrations").glob("0*.py"))
    names = ", ".join(f"core.{m}" for m in core_migrations)
    assert (
        f"the database lacks {len(core_migrations)} migration(s) ({names}): "
        "run `hemei db upgrade` first"
    ) in (result.stdout + result.stderr)


def test_cli_catalogue_load_seeds_the_standard_catalogue_once(tmp_path, scratch_database_url):
    env = clean_env(HEMEI_DATABASE_URL=scratch_database_url)
    config = tmp_path / "hemei.toml"
    config.write_text("", encoding="utf-8")
    refused = hemei("catalogue", "load", "--config", str(config), cwd=tmp_path, env=env)
    assert refused.returncode != 0 and "run `hemei db upgrade` first" in refused.stderr
    hemei("db", "upgrade", "--config", str(config), cwd=tmp_path, env=env, check=True)
    first = hemei("catalogue", "load", "--config", str(config), cwd=tmp_path, env=env, check=True)
    assert "57 items read, 57 new." in first.stdout
    again = hemei("catalogue", "load", "--config", str(config), cwd=tmp_path, env=env, check=True)
    assert "57 items read, 0 new." in again.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[[items]]\ncode = "Bad Code"\n', encoding="utf-8")
    broken = hemei(
        "catalogue", "load", "--config", str(config), "--file", str(bad), cwd=tmp_path, env=env
    )
    assert broken.returncode != 0 and "items[0]" in broken.stderr
