"""The test kit works as an integrator uses it: a project of their own whose pyproject names the
plugins, tests that take the fixtures, run by pytest in a process of its own (the kit starts its
own ORM, which must not meet this suite's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PYPROJECT = """
[tool.pytest.ini_options]
hemei_plugins = ["elderly_canteen"]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "session"
asyncio_default_test_loop_scope = "session"
filterwarnings = ["error", "ignore::DeprecationWarning:tortoise.*", "ignore::ResourceWarning"]
"""

TESTS = """
from schema.testing import Config, codes

MODULES = "{ districts { code modules { name enabled } } }"


async def test_app_client_and_switches(hemei_client, hemei_users, hemei_config):
    admin = await hemei_users.demo("city_admin")
    districts = {d["code"]: d for d in (await admin.data(MODULES))["districts"]}
    assert {"name": "elderly_canteen", "enabled": True} in districts["gongnong"]["modules"]
    assert {"name": "elderly_canteen", "enabled": False} in districts["xingshan"]["modules"]
    anonymous = await hemei_client.post("{ me { username } }")
    assert anonymous["data"]["me"] is None or codes(anonymous) == ["UNAUTHENTICATED"]


async def test_a_config_of_its_own(hemei_app, hemei_users, hemei_config):
    client = await hemei_app(hemei_config.off("gongnong").on("xingshan"))
    admin = await client.signed_in("city_admin")
    districts = {d["code"]: d for d in (await admin.data(MODULES))["districts"]}
    assert {"name": "elderly_canteen", "enabled": False} in districts["gongnong"]["modules"]
    assert {"name": "elderly_canteen", "enabled": True} in districts["xingshan"]["modules"]
    text = Config(["elderly_canteen"]).settings("gongnong", "elderly_canteen", booking_cutoff="08:00").text()
    assert 'booking_cutoff = "08:00"' in text
    await hemei_app(text)


async def test_users_with_roles_at_places(hemei_users, hemei_places):
    community = await hemei_places.community("gongnong")
    worker = await hemei_users.make(("COMMUNITY_WORKER", community), ("CANTEEN_STAFF", community))
    me = await worker.client.data("{ me { grants { role level } } }")
    roles = {(g["role"], g["level"]) for g in me["me"]["grants"]}
    assert roles == {("COMMUNITY_WORKER", "community"), ("CANTEEN_STAFF", "community")}
    resident = await hemei_users.resident(await hemei_places.on())
    assert resident.person.home_district_id == (await hemei_places.district("gongnong")).id


async def test_statements_are_counted(hemei_users, hemei_statements):
    admin = await hemei_users.demo("city_admin")
    with hemei_statements.count() as log:
        await admin.data(MODULES)
    assert log.count >= 1
    rows = []

    async def grow(n):
        rows.extend(range(n))

    async def run():
        await admin.data("{ districts { code } }")

    assert await hemei_statements.assert_flat(run, grow) >= 1


async def test_conformance(hemei_conformance):
    report = await hemei_conformance()
    assert report.ok, report.text()
"""


def test_fixtures_in_a_project_of_its_own(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "test_kit.py").write_text(TESTS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_kit.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "5 passed" in done.stdout
