"""Module ``medical_teams`` (党员医疗服务队): party-member medical teams.

Teams of hospitals with their doctors (a ``DOCTOR`` role of the module, with a specialty);
free clinics (义诊) and health-training sessions at schools, communities and factories, which
residents register for through the core booking engine and are checked in at; visiting experts
with the consultations and surgeries they did (counts and categories only); consultation
records — health data, read only by the resident and the treating team's doctors, every read
recorded, nothing of it in logs, audit summaries, cases or figures; referrals that become core
cases routed to the health commission; figures, on the module's own query and on the core
dashboards. See ``plugins/medical_teams/README.md``.
"""

from __future__ import annotations

from core import (
    CaseCategory,
    DemoContext,
    DomainEvent,
    FigureSpec,
    ModelApp,
    RoleSpec,
    hookimpl,
)
from plugins.medical_teams.places import NAME
from plugins.medical_teams.settings import MedicalSettings
from schema import SchemaContribution

HEMEI_PLUGIN_API = ">=1,<2"
"""The plugin API versions this module works with (``core.PLUGIN_API_VERSION``)."""

__all__ = ["NAME"]


@hookimpl
def register_models() -> ModelApp:
    return ModelApp(
        label=NAME,
        modules=("plugins.medical_teams.models",),
        migrations="plugins.medical_teams.migrations",
    )


@hookimpl
def register_settings() -> type[MedicalSettings]:
    return MedicalSettings


@hookimpl
def register_roles() -> list[RoleSpec]:
    from plugins.medical_teams.rules import ROLES

    return list(ROLES)


@hookimpl
def register_case_categories() -> list[CaseCategory]:
    from plugins.medical_teams.consultations import CATEGORY

    return [CATEGORY]


@hookimpl
def register_figures() -> list[FigureSpec]:
    from plugins.medical_teams.dashboard import FIGURES

    return FIGURES


@hookimpl
def register_graphql() -> SchemaContribution:
    from plugins.medical_teams.graphql import contribution

    return contribution()


@hookimpl
async def on_case_event(event: DomainEvent) -> None:
    from plugins.medical_teams.consultations import follow

    await follow(event)


@hookimpl
async def load_demo_data(demo: DemoContext) -> None:
    from plugins.medical_teams.demo import load

    await load(demo)
