"""Abuse limits: what one document, one request and one client may ask of the API.

Only the declaration helpers are imported here (``schema.relay`` uses them); the rest lives in
the submodules.
"""

from schema.limits.declare import COST_KEY, Cost, cost

__all__ = ["COST_KEY", "Cost", "cost"]
