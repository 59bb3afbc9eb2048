"""A changed config file takes effect without a restart; a bad one changes nothing."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import time
from pathlib import Path

import pytest

from core.activation import Place
from core.runtime import Runtime, start_runtime
from tests.support.configs import TEST_CONFIG

STATE = '{ district(code: "xingshan") { modules { name enabled source } } }'


def runtime_at(tmp_path: Path, text: str = TEST_CONFIG) -> Runtime:
    path = tmp_path / "hemei.toml"
    path.write_text(text, encoding="utf-8")
    return start_runtime(path)


def switch_on_xingshan(text: str = TEST_CONFIG) -> str:
    return text.replace(
        'name = "兴山区"\nmodules = []', 'name = "兴山区"\nmodules = ["kernel_test"]'
    )


def test_reload_applies_a_valid_change_and_tells_listeners(tmp_path, kernel_plugin):
    runtime = runtime_at(tmp_path)
    seen = []
    runtime.listeners.append(seen.append)
    old = runtime.activation
    runtime.path.write_text(switch_on_xingshan(), encoding="utf-8")
    assert runtime.reload() is True
    assert runtime.activation is not old and seen == [runtime.activation]
    assert runtime.activation.switches("kernel_test").districts_on >= {"xingshan"}
    assert runtime.reload() is False, "an unchanged file is not reloaded again"


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda t: t + "\n[districts.broken\n", "not valid TOML"),
        (
            lambda t: t.replace("modules = []", 'modules = ["no_such_module"]'),
            "unknown module 'no_such_module'",
        ),
        (
            lambda t: re.sub(r"^load = .*$", 'load = ["kernel_test"]', t, count=1, flags=re.M),
            "plugins: changing it needs a restart",
        ),
        (
            lambda t: '[database]\nurl = "sqlite://other.db"\n' + t,
            "database: changing it needs a restart",
        ),
    ],
)
def test_a_bad_edit_is_refused_logged_and_changes_nothing(
    tmp_path, kernel_plugin, caplog, edit, reason
):
    runtime = runtime_at(tmp_path)
    old = runtime.activation
    runtime.path.write_text(edit(TEST_CONFIG), encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="hemei.config"):
        assert runtime.reload() is False
    assert runtime.activation is old
    assert "config reload refused, the previous config stays in force" in caplog.text
    assert reason in caplog.text


def test_a_deleted_file_is_refused(tmp_path, kernel_plugin, caplog):
    runtime = runtime_at(tmp_path)
    old = runtime.activation
    runtime.path.unlink()
    assert runtime.reload() is False and runtime.activation is old
    assert "cannot read" in caplog.text


async def _until(condition, within: float) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > within:
            raise AssertionError(f"not within {within} s")
        await asyncio.sleep(0.02)
    return time.monotonic() - start


async def test_file_watch_applies_an_edit_within_two_seconds(tmp_path, kernel_plugin):
    runtime = runtime_at(tmp_path)
    old = runtime.activation
    stop = asyncio.Event()
    watcher = asyncio.create_task(runtime.watch(stop))
    await asyncio.sleep(0.3)  # let the watcher start
    try:
        runtime.path.write_text(switch_on_xingshan(), encoding="utf-8")
        elapsed = await _until(lambda: runtime.activation is not old, within=2.0)
        assert elapsed < 2.0
        # An editor that writes a new file and renames it over the old one.
        replaced = runtime.activation
        tmp = runtime.path.with_suffix(".tmp")
        tmp.write_text(TEST_CONFIG, encoding="utf-8")
        os.replace(tmp, runtime.path)
        await _until(lambda: runtime.activation is not replaced, within=2.0)
        assert "xingshan" not in runtime.activation.switches("kernel_test").districts_on
    finally:
        stop.set()
        await asyncio.wait_for(watcher, 5)


async def test_sighup_reloads(tmp_path, kernel_plugin):
    runtime = runtime_at(tmp_path)
    old = runtime.activation
    stop = asyncio.Event()
    watcher = asyncio.create_task(runtime.watch(stop, files=False))
    await asyncio.sleep(0.05)
    try:
        runtime.path.write_text(switch_on_xingshan(), encoding="utf-8")
        await asyncio.sleep(0.3)
        assert runtime.activation is old, "without file watching only SIGHUP reloads"
        os.kill(os.getpid(), signal.SIGHUP)
        await _until(lambda: runtime.activation is not old, within=2.0)
    finally:
        stop.set()
        await asyncio.wait_for(watcher, 5)


async def test_graphql_answer_changes_after_reload_and_requests_keep_their_snapshot(api):
    client = await api()
    before = await client.data(STATE)
    assert {m["enabled"] for m in before["district"]["modules"]} == {False}
    snapshot = client.runtime.activation
    client.runtime.path.write_text(switch_on_xingshan(), encoding="utf-8")
    assert client.runtime.reload()
    after = await client.data(STATE)
    kernel = next(m for m in after["district"]["modules"] if m["name"] == "kernel_test")
    assert kernel == {
        "name": "kernel_test",
        "enabled": True,
        "source": "districts.xingshan.modules",
    }
    # A request that started before the reload reads the snapshot it took.
    assert snapshot.state("kernel_test", Place("xingshan")).enabled is False
