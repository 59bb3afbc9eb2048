"""Who sees and does what in the canteen module, as data (see ``core.access.scope``).

- Canteens and their menus are public.
- A canteen is managed (details, staff) by the community workers of its community and the
  street officers, district admins and city admins above it.
- Its staff are the people on its staff list who hold CANTEEN_STAFF at its community (granted
  with core's ``grantRole``); they publish menus, book for their elders, check meals in and see
  their canteen's elders, meals and reports.
- An elder's registration is seen by the elder, the canteen's staff and managers, and the grid
  workers of the elder's home grid. The flags (living alone, disability, special diet and the
  diet note) are personal data: shown in full to the elder, to the staff of the elder's own
  canteen and to the grid workers of the elder's grid (each such read recorded like core's
  ID-number reads), and null to everyone else who sees the registration.
- A meal is seen by its elder and by its canteen's staff and managers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from core import Grant, MaskRule, MemberLink, ScopeRule, Viewer
from plugins.elderly_canteen.models import CanteenStaff

STAFF_ROLE = "CANTEEN_STAFF"
MANAGER_ROLES = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"})

MANAGERS = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""Who manages a canteen: the roles at its community and above."""

STAFF_LINK = MemberLink(CanteenStaff, link="canteen_id", column="canteen_id", members="staff_ids")
"""A canteen's staff list, through ``elderly_canteen_canteenstaff``."""

STAFF_GRANT = ScopeRule(
    roles=frozenset({STAFF_ROLE}), district=None, street=None, grid=None, member_link=STAFF_LINK
)
"""CANTEEN_STAFF at the canteen's community (with the staff list: see :func:`staff_grant`)."""

ELDER_SCOPE = ScopeRule(
    roles=MANAGER_ROLES | {"GRID_WORKER"}, owner="person_id", member_link=STAFF_LINK
)
"""An elder's registration: the elder, the canteen's staff and managers, the home grid's
workers (``grid_id`` is the home grid; the other place columns are the canteen's)."""

FLAG_MASK = MaskRule(
    style="hidden",
    roles=frozenset({"GRID_WORKER"}),
    scope=ELDER_SCOPE,
    person="person_id",
    member_roles=frozenset({STAFF_ROLE}),
)
"""The flags: the elder, the grid workers of the home grid, the staff of the elder's canteen."""

ELDER_EDITORS = ScopeRule(roles=MANAGER_ROLES | {"GRID_WORKER"})
"""Who changes someone's registration besides the elder and the canteen's staff."""

MEAL_SCOPE = ScopeRule(roles=MANAGER_ROLES, grid=None, owner="person_id", member_link=STAFF_LINK)
"""A meal: its elder, its canteen's staff and managers."""

REPORT_READERS = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""Subsidy reports of a place: its managers (a canteen's also its staff)."""


def staff_grant(viewer: Viewer | None, canteen: Mapping[str, Any]) -> Grant | None:
    """The viewer's CANTEEN_STAFF grant if they are on this canteen's staff (``canteen`` has
    its place columns and ``staff_ids``)."""
    if not STAFF_GRANT.is_member(viewer, canteen):
        return None
    return STAFF_GRANT.covering_grant(viewer, canteen)


def manager_grant(viewer: Viewer | None, place: Mapping[str, Any]) -> Grant | None:
    return MANAGERS.covering_grant(viewer, place)


def grid_worker_grant(viewer: Viewer | None, elder: Mapping[str, Any]) -> Grant | None:
    return replace(ELDER_EDITORS, roles=frozenset({"GRID_WORKER"})).covering_grant(viewer, elder)
