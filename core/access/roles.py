"""Core's roles, each scoped to a level of the region tree (or a department, or oneself).

Plugins add roles through ``register_roles``; a plugin role may not reuse one of these names.
"""

from __future__ import annotations

from core.plugins.contributions import RoleSpec

CORE_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec("CITY_ADMIN", "Administers the whole city.", scope="city"),
    RoleSpec("DISTRICT_ADMIN", "Administers one district.", scope="district"),
    RoleSpec("STREET_OFFICER", "Works for one street office.", scope="street"),
    RoleSpec("COMMUNITY_WORKER", "社区工作者: staff of one community.", scope="community"),
    RoleSpec("GRID_WORKER", "红色网格员: a cadre sunk into one grid.", scope="grid"),
    RoleSpec("DEPARTMENT_OFFICER", "Officer of a city department.", scope="department"),
    RoleSpec("RESIDENT", "A resident acting for themself.", scope="self"),
)
