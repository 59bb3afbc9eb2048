"""Helpers of the winter_city tests."""

from __future__ import annotations

from core import Compound
from schema import global_id

REPORT = """mutation($i: ReportWinterProblemInput!) { reportWinterProblem(input: $i) {
  id kind status households source case { id category { code } level status } } }"""
REPORTS = """query($p: ID, $k: WinterProblemKind) { winterReports(placeId: $p, kind: $k, first: 100) {
  totalCount edges { node { id kind status } } } }"""
SUMMARY = """query($id: ID!) { node(id: $id) { ... on Community {
  winterSummary { openSnowReports heatingOutages householdsWithoutHeating } } } }"""
ALL_YEAR = {"heating_season_start": "01-01", "heating_season_end": "12-31"}


def point_in(compound: Compound) -> tuple[float, float]:
    """A point inside the compound (the centre of its boundary's corners)."""
    ring = compound.boundary["coordinates"][0]
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def snow_at(compound: Compound, description: str = "路面结冰") -> dict:
    return {"i": {"kind": "SNOW", "compoundId": global_id("Compound", compound.id),
                  "description": description}}  # fmt: skip
