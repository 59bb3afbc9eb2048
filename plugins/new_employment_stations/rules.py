"""Who may do what with stations, workers, visits and reports: scope rules as data.

Stations are run by the community they sit in: its community workers and those above manage
them (``STATION_MANAGERS``); a ``STATION_KEEPER`` grant at a community makes its holder a
keeper of every station there, who verifies workers, sees who is in and runs care activities
(``STATION_KEEPERS``, managers included). A worker sees their own registration, visits and
reports; the admins of the district see them too.
"""

from __future__ import annotations

from core import RoleSpec, ScopeRule

KEEPER = "STATION_KEEPER"
ROLES = [
    RoleSpec(
        KEEPER,
        "驿站站长: keeps the stations for couriers and riders of one community (verifies "
        "workers, sees who is in, runs care activities).",
        scope="community",
    )
]

MANAGER_ROLES = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"})
ADMIN_ROLES = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN"})

STATION_MANAGERS = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""Open, change and staff a station: its community workers and those above."""

STATION_KEEPERS = ScopeRule(roles=MANAGER_ROLES | {KEEPER}, grid=None)
"""Keep a station (verify workers, see who is in, run activities): its keepers and managers."""

KEEPER_GRANTS = ScopeRule(roles=frozenset({KEEPER}), grid=None)
"""Who may be named a station's keeper: a holder of STATION_KEEPER at its community."""

FIGURES = ScopeRule(roles=MANAGER_ROLES | {KEEPER}, grid=None)
"""The figures of a place: its keepers and managing roles, and those above."""

WORKER_SCOPE = ScopeRule(
    roles=ADMIN_ROLES, street=None, community=None, grid=None, owner="person_id"
)
"""A worker registration: the worker, and the admins of the district they registered in."""

VISIT_SCOPE = ScopeRule(roles=MANAGER_ROLES | {KEEPER}, grid=None, owner="person_id")
"""A check-in: the worker, and the keepers and managers of the station."""

REPORT_SCOPE = ScopeRule(roles=ADMIN_ROLES, grid=None, owner="person_id")
"""A worker snap-and-report: the worker, and the admins of the district of the case."""
