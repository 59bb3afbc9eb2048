"""The outcome of a conformance check: one finding per rule and subject."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    """The rule could not be checked here (the reason says why): not a failure."""


class Check(StrEnum):
    """The rules, in the order they are reported."""

    MODULE_GATE = "module-gate"
    FIRST_CAP = "first-cap"
    N_PLUS_ONE = "n-plus-one"
    AUTHORIZATION = "authorization"
    DESCRIPTIONS = "descriptions"
    SETTINGS = "settings"
    BREAKING_CHANGES = "breaking-changes"
    MIGRATIONS = "migrations"


@dataclass(frozen=True)
class Finding:
    check: Check
    status: Status
    subject: str
    message: str

    def line(self) -> str:
        return f"  {self.status.upper():4}  {self.subject}: {self.message}"


@dataclass
class Report:
    """Every finding for one plugin. ``ok`` when nothing failed."""

    plugin: str
    findings: list[Finding] = field(default_factory=list)

    def add(self, check: Check, status: Status, subject: str, message: str) -> None:
        self.findings.append(Finding(check, status, subject, message))

    def passed(self, check: Check, subject: str, message: str) -> None:
        self.add(check, Status.PASS, subject, message)

    def failed(self, check: Check, subject: str, message: str) -> None:
        self.add(check, Status.FAIL, subject, message)

    def skipped(self, check: Check, subject: str, message: str) -> None:
        self.add(check, Status.SKIP, subject, message)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.status is Status.FAIL]

    @property
    def ok(self) -> bool:
        return not self.failures

    def of(self, check: Check) -> list[Finding]:
        return [f for f in self.findings if f.check is check]

    def text(self, *, verbose: bool = False) -> str:
        """Grouped by rule; without ``verbose``, passes are summed up per rule."""
        lines = [f"Conformance of plugin '{self.plugin}':"]
        for check in Check:
            found = self.of(check)
            if not found:
                continue
            counts = {s: sum(f.status is s for f in found) for s in Status}
            summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
            lines.append(f"{check}: {summary}")
            lines += [f.line() for f in found if verbose or f.status is not Status.PASS]
        verdict = "conforms" if self.ok else f"{len(self.failures)} failure(s)"
        lines.append(f"=> {self.plugin} {verdict}")
        return "\n".join(lines)
