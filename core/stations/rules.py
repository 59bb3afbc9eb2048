"""Who manages stations and who handles applications, as data.

Stations and the catalogue are public. The community workers of a station's community, and the
street officers, district admins and city admins above it, manage the station (its details,
staff, services and appointment slots) and handle its applications; so does the station's own
staff, who may be people without a region role (a property company's clerk at a compound
station). An application is also seen by the person who made it.
"""

from __future__ import annotations

from core.access.scope import MemberLink, ScopeRule
from core.stations.models import StationStaff

MANAGER_ROLES = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"})

STATION_MANAGERS = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""Who manages a station: the roles at its community and above (grid grants do not reach it)."""

STAFF_LINK = MemberLink(StationStaff, link="station_id", column="station_id", members="staff_ids")
"""A station's staff, through ``station_staff``."""

APPLICATION_SCOPE = ScopeRule(
    roles=MANAGER_ROLES, grid=None, owner="applicant_id", member_link=STAFF_LINK
)
"""Who sees an application: its applicant, its station's staff and the station's managers."""

APPLICATION_HANDLERS = ScopeRule(roles=MANAGER_ROLES, grid=None, member_link=STAFF_LINK)
"""Who moves an application along: the station's staff and managers."""

CATALOGUE_EDITORS = ScopeRule(roles=frozenset({"CITY_ADMIN"}))
"""The one-stop catalogue is city-wide: city admins keep it."""
