"""Hemei's test kit, for the tests of a plugin (not for plugin code).

Installed with Hemei as a pytest plugin (entry point ``pytest11``), so a plugin's test suite
gets these fixtures without a conftest (each is documented in :mod:`schema.testing.plugin`):

``hemei_plugins``
    the plugins the tests load (default: the ``hemei_plugins`` ini option).
``hemei_database``
    a new database for the run (SQLite, or PostgreSQL with ``HEMEI_TEST_DATABASE=postgres``),
    migrated with core's and the plugins' migrations, with the demo region tree and people;
    the ORM is started.
``hemei_config``
    a :class:`Config` to shape per test: the plugins on in 工农区 and 南山区, off in 兴山区.
``hemei_app`` / ``hemei_client``
    the real ASGI app serving a config, and a :class:`Client` for its ``/graphql``.
``hemei_users``
    :class:`Users`: people with roles at given places, signed in; the demo logins.
``hemei_places``
    :class:`Places`: the demo region tree, and where the plugins are on or off.
``hemei_statements``
    :class:`Statements`: count SQL statements, and assert that a list costs the same number of
    statements for few rows and for many (no N+1).
``hemei_conformance``
    run ``hemei plugin check`` on the test database and get the :class:`Report`.

Use them as in ``hemei plugin new``'s tests, or ``examples/winter_city/tests``.
"""

from __future__ import annotations

from schema.conformance import Check, Report, Status
from schema.testing.client import Client, GraphQLErrors, codes
from schema.testing.config import OFF_DISTRICTS, ON_DISTRICTS, Config
from schema.testing.database import Database, fresh_database
from schema.testing.people import Places, User, Users
from schema.testing.statements import Statements

__all__ = [
    "OFF_DISTRICTS",
    "ON_DISTRICTS",
    "Check",
    "Client",
    "Config",
    "Database",
    "GraphQLErrors",
    "Places",
    "Report",
    "Statements",
    "Status",
    "User",
    "Users",
    "codes",
    "fresh_database",
]
