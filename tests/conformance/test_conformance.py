"""The conformance check: each rule finds what it is for, the kernel plugin is checked live on
the test database, and the built-in modules conform (``hemei plugin check`` on a new database
of the run's kind)."""

from __future__ import annotations

from pathlib import Path

import pytest

from schema.cli import builtin_plugin_names
from schema.conformance import Check, Report, Status, check_plugin
from tests.support.distributions import installed
from tests.support.server import clean_env, hemei

ROOT = Path(__file__).resolve().parent.parent.parent
KERNEL_SCHEMA = ROOT / "tests" / "kernel_plugin" / "schema.graphql"


def statuses(report: Report, check: Check) -> dict[str, Status]:
    return {f.subject: f.status for f in report.of(check)}


def failed(report: Report, check: Check) -> set[str]:
    return {f.subject for f in report.of(check) if f.status is Status.FAIL}


async def test_the_kernel_plugin_is_checked_live(orm, kernel_plugin):
    report = await check_plugin(kernel_plugin)
    assert failed(report, Check.FIRST_CAP) == {
        "Community.kernelNotices",
        "Query.kernelAllNotices",
    }, "its two lists without first or a declared size"
    assert {f.check for f in report.failures} == {Check.FIRST_CAP}, report.text()
    gate = statuses(report, Check.MODULE_GATE)
    assert gate["Community.kernelNotices"] is Status.PASS  # MODULE_DISABLED where off
    assert gate["node(id: KernelNotice)"] is Status.PASS
    assert gate["Query.kernelNotices"] is Status.PASS  # lists leave the off district out
    n_plus_one = statuses(report, Check.N_PLUS_ONE)
    assert n_plus_one["Query.kernelNotices"] is Status.PASS
    assert n_plus_one["Community.kernelNotices"] is Status.PASS
    for check in (Check.AUTHORIZATION, Check.DESCRIPTIONS, Check.SETTINGS, Check.MIGRATIONS):
        assert [f.status for f in report.of(check)] == [Status.PASS], (check, report.text())
    assert report.of(Check.BREAKING_CHANGES)[0].message == "the schema matches the file"


async def test_a_query_per_item_is_found(orm, kernel_plugin, tmp_path):
    with installed(tmp_path, "hemei-slow", {"slow": "tests.conformance.plugins:Slow"}):
        report = await check_plugin("slow", schema_file=KERNEL_SCHEMA)
    [finding] = report.of(Check.N_PLUS_ONE)
    assert (finding.subject, finding.status) == ("Query.slowNotices", Status.FAIL)
    assert "a query per item" in finding.message
    assert statuses(report, Check.MODULE_GATE)["Query.slowNotices"] is Status.PASS


async def test_static_rules_name_what_is_missing(tmp_path):
    with installed(tmp_path, "hemei-sloppy", {"sloppy": "tests.conformance.plugins:Sloppy"}):
        report = await check_plugin("sloppy", live=False)
    assert failed(report, Check.FIRST_CAP) == {"Query.sloppyItems"}
    assert failed(report, Check.DESCRIPTIONS) == {
        "SloppyItem",
        "SloppyItem.label",
        "Query.sloppyItems",
    }
    assert failed(report, Check.AUTHORIZATION) == {"SchemaContribution.authorization"}
    assert failed(report, Check.SETTINGS) == {"colour"}
    [no_file] = report.of(Check.BREAKING_CHANGES)
    assert no_file.status is Status.FAIL and "hemei plugin schema sloppy" in no_file.message
    assert "=> sloppy 7 failure(s)" in report.text()


async def test_breaking_changes_against_the_committed_file_are_reported(kernel_plugin, tmp_path):
    committed = KERNEL_SCHEMA.read_text(encoding="utf-8")
    older = tmp_path / "schema.graphql"
    older.write_text(
        committed.replace(
            "  kernelVersion: String!\n",
            "  kernelVersion: String!\n\n  kernelRetired(n: Int!): Int\n",
        ).replace("  title: String!\n", "  title: String!\n  pinned: Boolean!\n"),
        encoding="utf-8",
    )
    report = await check_plugin(kernel_plugin, live=False, schema_file=older)
    messages = {f.message for f in report.of(Check.BREAKING_CHANGES)}
    assert messages == {
        "Field Query.kernelRetired was removed.",
        "Field KernelNotice.pinned was removed.",
    }

    newer = tmp_path / "newer.graphql"
    field = '\n  """A sync root field, to prove sync resolvers are gated too."""\n  kernelVersion: String!\n'
    assert field in committed
    newer.write_text(committed.replace(field, "\n"), encoding="utf-8")
    report = await check_plugin(kernel_plugin, live=False, schema_file=newer)
    [finding] = report.of(Check.BREAKING_CHANGES)
    assert finding.status is Status.PASS and "behind additions" in finding.message


@pytest.mark.parametrize("name", builtin_plugin_names())
async def test_builtin_module_conforms(name, scratch_database_url, tmp_path):
    if not (ROOT / "plugins" / name / "schema.graphql").exists():
        pytest.skip(f"{name} has no committed schema.graphql yet (`hemei plugin schema {name}`)")
    done = hemei(
        "plugin", "check", name, "--database-url", scratch_database_url,
        cwd=tmp_path, env=clean_env(), timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"=> {name} conforms" in done.stdout
