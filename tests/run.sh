#!/usr/bin/env bash
# Set up and run Hemei's whole test suite: a virtualenv in .venv with Hemei and its test tools,
# then ruff, mypy, and pytest once on SQLite and once on PostgreSQL. (Tortoise caches dialect SQL
# on model classes, so each database gets its own pytest process.) Tests that need PostgreSQL
# are skipped, with the reason, when none is reachable at $HEMEI_TEST_POSTGRES_URL
# (default postgres://postgres@127.0.0.1:5432/postgres). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --editable '.[test]'
# The outside example plugin, installed from its folder as an integrator would.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --editable examples/winter_city

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy

echo "== pytest on SQLite"
HEMEI_TEST_DATABASE=sqlite .venv/bin/python -m pytest "$@"
echo "== pytest on PostgreSQL"
HEMEI_TEST_DATABASE=postgres .venv/bin/python -m pytest "$@"
echo "== the example plugin's own tests (SQLite, then PostgreSQL)"
HEMEI_TEST_DATABASE=sqlite .venv/bin/python -m pytest -q examples/winter_city
HEMEI_TEST_DATABASE=postgres .venv/bin/python -m pytest -q examples/winter_city
