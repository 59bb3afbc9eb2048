"""Importing the registers offices keep (districts, streets, communities, grids, compounds,
residents, cadres) from .xlsx workbooks and .csv files: checked first, written whole or not
at all, idempotent by natural keys. ``hemei import`` and the ``importRegisters`` mutation use
:func:`import_registers`; :mod:`core.imports.sheets` documents the columns."""

from core.imports.checking import Problem
from core.imports.service import ImportReport, SheetCounts, import_registers
from core.imports.sheets import KINDS, SHEETS

__all__ = ["KINDS", "SHEETS", "ImportReport", "Problem", "SheetCounts", "import_registers"]
