"""Module ``elderly_canteen`` (老年食堂): community canteens for older residents.

This package declares the module and its per-district settings; canteens, menus, meal booking
and subsidies arrive with the module's own issue.
"""

from __future__ import annotations

from core import hookimpl
from plugins.elderly_canteen.settings import CanteenSettings


@hookimpl
def register_settings() -> type[CanteenSettings]:
    return CanteenSettings
