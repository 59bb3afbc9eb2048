"""Module ``new_employment_stations`` (新就业群体服务驿站): stations for couriers and riders.

This package declares the module and its per-district settings; stations, check-ins and the
riders' snap-and-report points arrive with the module's own issue.
"""

from __future__ import annotations

from core import hookimpl
from plugins.new_employment_stations.settings import StationSettings


@hookimpl
def register_settings() -> type[StationSettings]:
    return StationSettings
