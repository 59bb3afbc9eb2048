"""`hemei plugin new` makes a package that installs with pip and passes its own tests straight
away (the issue's done-when, in this virtualenv: installed with --no-deps, uninstalled after)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from schema.scaffold import ScaffoldError, check_name, create, files
from tests.support.server import hemei

PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_a_new_plugin_installs_and_passes_its_own_tests(tmp_path):
    name = f"scaffolded_{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    made = hemei("plugin", "new", name, "--directory", str(tmp_path), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    root = tmp_path / name
    installed = run(*PIP, "install", "--no-deps", "--quiet", "--editable", str(root), cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    try:
        listed = hemei("plugins", cwd=tmp_path)
        assert name in listed.stdout, listed.stdout
        tests = run(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=root)
        assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-2000:]
        assert "6 passed" in tests.stdout
        lint = run(sys.executable, "-m", "ruff", "check", ".", cwd=root)
        assert lint.returncode == 0, lint.stdout
    finally:
        removed = run(*PIP, "uninstall", "--yes", "--quiet", f"hemei-{name.replace('_', '-')}",
                      cwd=tmp_path)  # fmt: skip
        assert removed.returncode == 0, removed.stderr
    elapsed = time.monotonic() - started
    print(f"scaffold, install, its tests and uninstall: {elapsed:.1f} s")
    assert elapsed < 120


def test_the_package_has_every_part(tmp_path):
    root = create("snow_watch", tmp_path, schema_file=False)
    parts = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert parts >= {
        "pyproject.toml", "README.md", "tests/test_snow_watch.py",
        "snow_watch/__init__.py", "snow_watch/models.py", "snow_watch/settings.py",
        "snow_watch/types.py", "snow_watch/queries.py", "snow_watch/mutations.py",
        "snow_watch/figures.py", "snow_watch/roles.py", "snow_watch/authorization.toml",
        "snow_watch/migrations/__init__.py", "snow_watch/migrations/0001_initial.py",
    }  # fmt: skip
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points."hemei.plugins"]\nsnow_watch = "snow_watch"' in pyproject
    assert not any("{{" in text for text in files(check_name("snow_watch")).values())


@pytest.mark.parametrize("bad", ["Snow", "snow-watch", "2snow", "class", "core", "snow__x"])
def test_names_that_cannot_be_plugins_are_refused(bad, tmp_path):
    with pytest.raises(ScaffoldError):
        create(bad, tmp_path)
