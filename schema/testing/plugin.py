"""The test kit's pytest plugin (entry point ``pytest11``: ``hemei``): fixtures for testing
a Hemei plugin through the real app (:mod:`schema.testing.fixtures`). Nothing runs unless a test
asks for a fixture.

A plugin's ``pyproject.toml`` names what to load and runs every test on one event loop (the
database and the ORM live for the whole session)::

    [tool.pytest.ini_options]
    hemei_plugins = ["my_plugin"]
    asyncio_mode = "auto"
    asyncio_default_fixture_loop_scope = "session"
    asyncio_default_test_loop_scope = "session"

``HEMEI_TEST_DATABASE=postgres`` runs the same tests on PostgreSQL.
"""

from __future__ import annotations

import importlib.util

import pytest

INI_PLUGINS = "hemei_plugins"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        INI_PLUGINS,
        "Hemei plugins the test kit loads (entry-point names), e.g. ['my_plugin']",
        type="linelist",
        default=[],
    )


def pytest_configure(config: pytest.Config) -> None:
    # The fixtures need pytest-asyncio (a test extra): without it, Hemei's own install must
    # not break an unrelated pytest run.
    if importlib.util.find_spec("pytest_asyncio") is not None:
        from schema.testing import fixtures

        config.pluginmanager.register(fixtures, "hemei-testkit-fixtures")
