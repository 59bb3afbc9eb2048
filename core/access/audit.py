"""The audit log and security events: who did what, and what was refused.

Mutations fill an :class:`AuditNote` as they go; the schema's transaction wrapper writes one
:class:`AuditRecord` from it in the mutation's own transaction, or, when the mutation is
refused, a :class:`SecurityEvent` after the refused work was rolled back. Neither ever holds a
password, an ID number or a phone number: summaries are built from what the mutation declares
safe, and reasons are error messages, which never contain personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.access.models import AuditRecord, SecurityEvent
from core.access.viewer import Grant, Viewer
from core.errors import HemeiError


@dataclass
class AuditNote:
    """What a running mutation says about itself for the audit log."""

    action: str
    target: str | None = None
    grant: Grant | None = None
    district_id: int | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    username: str | None = None
    """For a login, the username tried (the account may not exist)."""
    account_id: int | None = None
    """The acting account when there is no viewer yet (a login)."""

    def about(self, target: str | None, district_id: int | None = None, **summary: Any) -> None:
        """Say what the action was about: the target's global id, the district whose admins
        see the record, and a summary of what changed (never personal data)."""
        self.target = target
        if district_id is not None:
            self.district_id = district_id
        if summary:
            self.summary = summary

    def used(self, grant: Grant) -> None:
        """Record the grant that allowed the action (its role and scope go to the log)."""
        self.grant = grant
        if self.district_id is None:
            self.district_id = grant.district_id


async def write_audit(note: AuditNote, viewer: Viewer | None, request_id: str) -> None:
    await AuditRecord.create(
        action=note.action,
        account_id=viewer.account_id if viewer else note.account_id,
        role=note.grant.role if note.grant else None,
        scope=note.grant.describe() if note.grant else None,
        district_id=note.district_id,
        target=note.target,
        summary=note.summary,
        request_id=request_id,
    )


async def write_security_event(
    note: AuditNote, viewer: Viewer | None, error: HemeiError, request_id: str, client: str | None
) -> None:
    await SecurityEvent.create(
        action=note.action,
        account_id=viewer.account_id if viewer else None,
        code=error.code.value,
        reason=error.message[:300],
        username=note.username,
        client=client,
        request_id=request_id,
    )
