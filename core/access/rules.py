"""Who sees role grants and the audit log (see ``core.access.scope`` for how rules work)."""

from __future__ import annotations

from core.access.scope import ScopeRule

GRANT_SCOPE = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN"}),
    district="district_id",
    street=None,
    community=None,
    grid=None,
    owner="person_id",
)
"""Role grants: seen by the admins who could have given them, and by their holder."""

AUDIT_SCOPE = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN"}),
    district="district_id",
    street=None,
    community=None,
    grid=None,
)
"""The audit log: the city admin's whole, a district admin's own district."""
