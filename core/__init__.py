"""Hemei's kernel. This module is the public API for plugins: import from here, not from
submodules, which may change without notice (an import-linter contract checks this)."""

from core.access.scope import MaskRule, MemberLink, ScopeRule
from core.access.viewer import Grant, Viewer
from core.activation import Activation, ModuleState, Place
from core.booking.engine import BookingEngine, BookingStatus
from core.booking.models import Booking, Offering, Slot
from core.cases.categories import CaseCategory
from core.cases.duplicates import box_around, distance_m
from core.cases.facts import CaseFacts, case_facts
from core.cases.machine import Status as CaseStatus
from core.cases.services import CaseService
from core.cases.services import Report as CaseReport
from core.db.base import HemeiModel
from core.demo.city.ladder import DemoCase, DemoCaseResult
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
from core.events.broker import DomainEvent
from core.people.directory import grants_of, names_of
from core.people.models import Person
from core.plugins.api import PLUGIN_API_VERSION
from core.plugins.contributions import DemoContext, ModelApp, RoleSpec
from core.plugins.hookspecs import hookimpl
from core.progress import Progress
from core.regions.models import Community, Compound, District, Grid, PlacedModel, Street
from core.regions.places import PlaceRow, find_place
from core.stats.figures import FigureSpec, Unit
from core.stats.scope import PlaceScope

__all__ = [
    "PLUGIN_API_VERSION",
    "Activation",
    "BadUserInput",
    "Booking",
    "BookingEngine",
    "BookingStatus",
    "CaseCategory",
    "CaseFacts",
    "CaseReport",
    "CaseService",
    "CaseStatus",
    "Community",
    "Compound",
    "Conflict",
    "DemoCase",
    "DemoCaseResult",
    "DemoContext",
    "District",
    "DomainEvent",
    "ErrorCode",
    "FigureSpec",
    "Forbidden",
    "Grant",
    "Grid",
    "HemeiError",
    "HemeiModel",
    "MaskRule",
    "MemberLink",
    "ModelApp",
    "ModuleDisabled",
    "ModuleState",
    "NotFound",
    "Offering",
    "Person",
    "Place",
    "PlaceRow",
    "PlaceScope",
    "PlacedModel",
    "Progress",
    "RoleSpec",
    "ScopeRule",
    "Slot",
    "Street",
    "Unauthenticated",
    "Unit",
    "Viewer",
    "box_around",
    "case_facts",
    "distance_m",
    "find_place",
    "grants_of",
    "hookimpl",
    "names_of",
]
