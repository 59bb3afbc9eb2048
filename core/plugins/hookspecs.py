"""Every hook a Hemei plugin can implement. One module, typed, each hook documented.

Vocabulary: ``register_<things>()`` hooks return data for core to wire and are called once at
start-up, for every loaded plugin, whether or not any district switches the plugin on (one
schema serves every district). ``load_demo_data`` is called by ``hemei demo``. A hook may gain
arguments in a later version, never lose one: implement only the arguments you use.

Implement hooks in your plugin module with ``@hookimpl`` from ``core``::

    from core import hookimpl


    @hookimpl
    def register_settings():
        return CanteenSettings
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from pydantic import BaseModel

    from core.activation import Activation
    from core.cases.categories import CaseCategory
    from core.events.broker import DomainEvent
    from core.plugins.contributions import DemoContext, ModelApp, RoleSpec
    from core.stats.figures import FigureSpec

PROJECT = "hemei"
ENTRY_POINT_GROUP = "hemei.plugins"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a function of a plugin module as the implementation of the hook of the same name:
``@hookimpl def register_settings(): ...``."""


@hookspec
def register_models() -> ModelApp | None:
    """Declare the plugin's database models: one Tortoise app.

    Return a :class:`core.ModelApp` whose ``label`` is the plugin's name, whose ``modules``
    hold the model classes, and whose ``migrations`` package holds the migrations that
    ``hemei db makemigrations`` writes and ``hemei db upgrade`` applies. Tables without an
    explicit ``Meta.table`` are named ``<label>_<model>``. Refer to core models as
    ``"core.Community"``. Called once at start-up; models are loaded whether or not a district
    switches the module on, so data survives switching a module off and on again.
    """


@hookspec
def register_settings() -> type[BaseModel] | None:
    """Declare the plugin's per-district settings as a pydantic model.

    Every field must have a default: a district that switches the module on without a
    ``[districts.D.settings.PLUGIN]`` table gets the defaults. Values from the config file are
    validated against the model at start-up and on every reload; a bad value is reported with
    the file and the key. Read the settings in force at a place with
    ``activation.settings(plugin, place)``.
    """


@hookspec
def register_graphql() -> object | None:
    """Contribute to the GraphQL schema: return a ``schema.SchemaContribution``.

    It lists the plugin's strawberry types, root query/mutation/subscription fields and fields
    added to core types, and declares for each of its types how an object finds its place in
    the region tree. The schema builder refuses a type or field name that another plugin (or
    core) already declared, naming both, and gates every contributed field: where the module
    is off, the field answers ``MODULE_DISABLED`` and lists leave those places out.
    """


@hookspec
def register_roles() -> Sequence[RoleSpec] | None:
    """Declare roles the plugin adds (canteen staff, tutor, doctor...).

    Role names are unique across core and every plugin; a clash stops start-up naming both
    plugins.
    """


@hookspec
def register_case_categories() -> Sequence[CaseCategory] | None:
    """Add case categories (a canteen's food-safety complaints, a clinic's follow-ups...).

    Return :class:`core.CaseCategory` objects: a code unique across core and every plugin (a
    clash stops start-up naming both), Chinese and English names, and the codes of the
    departments a case of the category is routed to at DEPARTMENT level, lead first. Cases of
    a plugin's category stay in the catalogue, and in the data, when a district switches the
    module off.
    """


@hookspec
def register_figures() -> Sequence[FigureSpec] | None:
    """Add dashboard figures (meals served, children in after-school care, clinic visits...).

    Return :class:`core.FigureSpec` objects whose ``key`` starts with the plugin's name and a
    dot (``elderly_canteen.meals_served``), with Chinese and English labels, a definition for
    dashboard readers, a unit, and ``compute(place, start, end)``: an async function answering
    the figure for a :class:`core.PlaceScope` over [start, end), by SQL aggregation
    (``place.q(...)`` filters any table that stores place ids), or ``None`` where it does not
    apply. ``module`` is set to the plugin's name by the host: the figure shows only on the
    dashboards of places where the module is on (city-wide: summed over those districts).
    A ``compute`` that raises (``SystemExit`` included) shows no value, logged; the rest of
    the dashboard is served.
    """


@hookspec
def register_routes() -> Sequence[object] | None:
    """Add HTTP routes beside the GraphQL API (plugin API 1.1): an Open311 endpoint, a
    webhook receiver, a file download.

    Return Starlette routes (``Route``, ``WebSocketRoute``, ``Mount``); they are mounted under
    ``/plugins/<plugin>/``, so ``Route("/open311/v2/services.json", ...)`` answers at
    ``/plugins/<plugin>/open311/v2/services.json``. Routes serve every district: a handler gets
    ``schema.RouteContext.of(request)`` (the viewer from a bearer token, the module switches
    and settings in force, core's case service, an audited transaction) and checks the switch
    at the place a request concerns. Called once at start-up; anything else than routes stops
    start-up naming the plugin.
    """


@hookspec
def on_case_event(event: DomainEvent, activation: Activation | None) -> Awaitable[None] | None:
    """React to something that happened to a case (reported, accepted, escalated, resolved...).

    ``event`` names the case, its district, the ``kind`` (``REPORT`` or a case action) and a
    small payload (level and status after the change); ``core.case_facts`` reads more about the
    case. Called by the outbox relay after the change was committed, at least once: an
    implementation that raises (anything, ``SystemExit`` included) gets the event again later
    (the failure is logged and never undoes the case change), so make it idempotent (a unique
    key in your tables). May be ``async def``. Called for every loaded plugin; ``activation``
    holds the module switches and settings in force when the event is delivered
    (``activation.state(plugin, place)``, ``activation.settings(plugin, place)``): check the
    switch at the case's place if the reaction depends on it. ``activation`` is ``None`` only
    from a relay built without a config (some kernel tests). Take only the arguments you use.
    """


@hookspec
def load_demo_data(demo: DemoContext) -> Awaitable[None] | None:
    """Add the plugin's demo data after ``hemei demo`` created the region tree.

    ``demo`` holds the districts, streets, communities, grids and compounds just created, the
    module switches in force and a seeded random. May be ``async def``. Called only when the
    demo database is new, and for every loaded plugin (load data where the module is on).
    ``demo.scale`` is ``town`` (keep it quick) or ``city`` (``hemei demo --scale city``: the
    article's numbers, bulk inserts, ``demo.fake`` for names and addresses, ``demo.progress``
    for long phases, ``demo.add_cases`` for cases with a history on the ladder).
    """
