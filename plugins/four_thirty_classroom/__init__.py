"""Module ``four_thirty_classroom`` (四点半课堂): after-school care from 16:30.

Classrooms at communities and schools with their staff and volunteer tutors; tutors' background
checks (a tutor is scheduled only once theirs passed); terms whose sessions are generated from a
weekly pattern minus holidays; children registered by their guardians with the adults who may
pick them up (a minor's data, seen only by the guardian and the classroom's staff and tutors,
every staff read recorded); enrolment through the core booking engine; check-in on arrival and
check-out only to an authorised adult, anyone else refused with an alert for the staff;
lectures and activities in schools and communities (精品党课进校园, 护航成长, 小手拉大手) with
their beneficiaries; figures. See ``plugins/four_thirty_classroom/README.md``.
"""

from __future__ import annotations

from core import DemoContext, FigureSpec, ModelApp, RoleSpec, hookimpl
from plugins.four_thirty_classroom.places import NAME
from plugins.four_thirty_classroom.settings import ClassroomSettings
from schema import SchemaContribution

HEMEI_PLUGIN_API = ">=1,<2"
"""The plugin API versions this module works with (``core.PLUGIN_API_VERSION``)."""

__all__ = ["NAME"]


@hookimpl
def register_models() -> ModelApp:
    return ModelApp(
        label=NAME,
        modules=("plugins.four_thirty_classroom.models",),
        migrations="plugins.four_thirty_classroom.migrations",
    )


@hookimpl
def register_settings() -> type[ClassroomSettings]:
    return ClassroomSettings


@hookimpl
def register_roles() -> list[RoleSpec]:
    from plugins.four_thirty_classroom.rules import ROLES

    return list(ROLES)


@hookimpl
def register_figures() -> list[FigureSpec]:
    from plugins.four_thirty_classroom.dashboard import FIGURES

    return FIGURES


@hookimpl
def register_graphql() -> SchemaContribution:
    from plugins.four_thirty_classroom.graphql import contribution

    return contribution()


@hookimpl
async def load_demo_data(demo: DemoContext) -> None:
    from plugins.four_thirty_classroom.demo import load

    await load(demo)
