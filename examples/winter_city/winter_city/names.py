"""The plugin's name, its case category and who reads its reports."""

from __future__ import annotations

from core import CaseCategory, ScopeRule

NAME = "winter_city"
SNOW_CATEGORY = CaseCategory(
    "winter_snow", "积雪结冰未清理", "Snow and ice not cleared", ("chengguan", "zhujian")
)
"""Snow-clearing reports climb the core ladder in this category (城管局 leads)."""
HEATING_CATEGORY = "heating"
"""Heating outages are core's heating cases (供热办 leads)."""
CATEGORIES = {"SNOW": SNOW_CATEGORY.code, "HEATING": HEATING_CATEGORY}

READERS = ScopeRule(
    roles=frozenset(
        {"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER", "GRID_WORKER"}
    ),
    owner="reporter_id",
)
"""Who reads a report: the reporter, and the staff of its place and above."""
