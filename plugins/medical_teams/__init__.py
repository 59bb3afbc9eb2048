"""Module ``medical_teams`` (党员医疗服务队): party-member medical teams.

This package declares the module and its per-district settings; teams, free clinics, expert
visits and referrals arrive with the module's own issue.
"""

from __future__ import annotations

from core import hookimpl
from plugins.medical_teams.settings import MedicalSettings


@hookimpl
def register_settings() -> type[MedicalSettings]:
    return MedicalSettings
