"""Hemei's kernel. This module is the public API for plugins: import from here, not from
submodules, which may change without notice (an import-linter contract checks this)."""

from core.access.scope import MaskRule, ScopeRule
from core.access.viewer import Grant, Viewer
from core.activation import Activation, ModuleState, Place
from core.booking.engine import BookingEngine, BookingStatus
from core.booking.models import Booking, Offering, Slot
from core.cases.categories import CaseCategory
from core.db.base import HemeiModel
from core.errors import (
    BadUserInput,
    Conflict,
    ErrorCode,
    Forbidden,
    HemeiError,
    ModuleDisabled,
    NotFound,
    Unauthenticated,
)
from core.plugins.contributions import DemoContext, ModelApp, RoleSpec
from core.plugins.hookspecs import hookimpl
from core.regions.models import Community, Compound, District, Grid, PlacedModel, Street

__all__ = [
    "Activation",
    "BadUserInput",
    "Booking",
    "BookingEngine",
    "BookingStatus",
    "CaseCategory",
    "Community",
    "Compound",
    "Conflict",
    "DemoContext",
    "District",
    "ErrorCode",
    "Forbidden",
    "Grant",
    "Grid",
    "HemeiError",
    "HemeiModel",
    "MaskRule",
    "ModelApp",
    "ModuleDisabled",
    "ModuleState",
    "NotFound",
    "Offering",
    "Place",
    "PlacedModel",
    "RoleSpec",
    "ScopeRule",
    "Slot",
    "Street",
    "Unauthenticated",
    "Viewer",
    "hookimpl",
]
