"""``crash_test``: a plugin that crashes on demand in a resolver (sync and async, on the root,
on a core type and on its own type, and in a mutation after it wrote), in its case-event hook and in its dashboard figure, with
an ordinary exception or with ``SystemExit``, ``KeyboardInterrupt`` or a ``BaseException`` of
its own. Installed per test through an entry point (``tests.faults.crashing_plugin``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import strawberry

from core import FigureSpec, Offering, PlaceScope, Unit, hookimpl
from schema import SchemaContribution

NAME = "crash_test"
HEMEI_PLUGIN_API = ">=1,<2"


class PluginMeltdown(BaseException):
    """A plugin's own ``BaseException``, which ``except Exception`` lets through."""


CRASHES: dict[str, Callable[[], BaseException]] = {
    "error": lambda: RuntimeError("password=hunter2 in /srv/hemei/crash.py"),
    "exit": lambda: SystemExit(3),
    "interrupt": KeyboardInterrupt,
    "meltdown": lambda: PluginMeltdown("the reactor"),
}
CRASH_ON: dict[str, str | None] = {"event": None, "figure": None}
"""What the hook and the figure raise next (a key of ``CRASHES``), None for nothing."""
EVENTS: list[Any] = []


def crash(kind: str) -> None:
    raise CRASHES[kind]()


@strawberry.type(description="A thing of the crash test plugin.")
class CrashThing:
    name: str = strawberry.field(description="Its name.")

    @strawberry.field(description="Raises the crash named by `kind`.")
    async def crash(self, kind: str) -> str | None:
        crash(kind)
        return None


@strawberry.type
class CrashQuery:
    @strawberry.field(description="Raises the crash named by `kind` (a plain resolver).")
    def crash_sync(self, kind: str) -> str | None:
        crash(kind)
        return None

    @strawberry.field(description="Raises the crash named by `kind` (an async resolver).")
    async def crash_async(self, kind: str) -> str | None:
        crash(kind)
        return None

    @strawberry.field(description="Two things whose `crash` field raises.")
    def crash_things(self) -> list[CrashThing] | None:
        return [CrashThing(name="a"), CrashThing(name="b")]


@strawberry.type
class CrashMutation:
    @strawberry.mutation(description="Writes a row, then raises the crash named by `kind`.")
    async def crash_after_writing(self, kind: str) -> str | None:
        await Offering.create(owner=NAME, kind="crash", title="written before the crash")
        crash(kind)
        return None


@strawberry.type
class DistrictCrash:
    @strawberry.field(description="Raises the crash named by `kind`, on a core type.")
    async def crash_here(self, kind: str) -> str | None:
        crash(kind)
        return None


class CrashingPlugin:
    HEMEI_PLUGIN_API = HEMEI_PLUGIN_API

    @hookimpl
    def register_graphql() -> SchemaContribution:  # type: ignore[misc]  # hooks are plain functions
        return SchemaContribution(
            query=CrashQuery,
            mutation=CrashMutation,
            type_fields={"District": DistrictCrash},
            types=[CrashThing],
        )

    @hookimpl
    def on_case_event(event: Any) -> None:
        if kind := CRASH_ON["event"]:
            crash(kind)
        EVENTS.append(event)

    @hookimpl
    def register_figures() -> list[FigureSpec]:  # type: ignore[misc]
        return [FigureSpec(f"{NAME}.boom", "爆炸", "Boom", "Crashes on demand.", Unit.COUNT, _boom)]


async def _boom(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    if kind := CRASH_ON["figure"]:
        crash(kind)
    return 1.0
