"""Accounts, role grants and the append-only records of who did and saw what."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from core.db.base import HemeiModel
from core.people.models import Person


class Account(HemeiModel):
    """A login. The password is stored only as an argon2 hash."""

    username = fields.CharField(max_length=64, unique=True)
    password_hash = fields.CharField(max_length=255)
    person: fields.ForeignKeyRelation[Person] = fields.OneToOneField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    is_active = fields.BooleanField(default=True)
    person_id: int

    class Meta:
        table = "account"


class RoleGrant(HemeiModel):
    """A role held by a person at a place (or a department, or for themself).

    ``level`` says which of the place columns is the grant's scope: ``city`` (none), ``district``,
    ``street``, ``community``, ``grid``, ``department`` or ``self``. The columns above the scope
    are filled too, so "grants inside my district" is one comparison.
    """

    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    role = fields.CharField(max_length=64)
    level = fields.CharField(max_length=16)
    district_id = fields.IntField(null=True)
    street_id = fields.IntField(null=True)
    community_id = fields.IntField(null=True)
    grid_id = fields.IntField(null=True)
    department_id = fields.IntField(null=True)
    granted_by_id = fields.IntField(null=True)
    person_id: int

    class Meta:
        table = "role_grant"


class _Record(Model):
    """Append-only: written by the platform, read by admins, never changed through the API."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True)
    request_id = fields.CharField(max_length=64)
    account_id = fields.IntField(null=True)

    class Meta:
        abstract = True


class AuditRecord(_Record):
    """One per successful mutation, written in its transaction. No personal data."""

    action = fields.CharField(max_length=100)
    role = fields.CharField(max_length=64, null=True)
    scope = fields.CharField(max_length=100, null=True)
    district_id = fields.IntField(null=True)
    target = fields.CharField(max_length=200, null=True)
    summary: dict[str, Any] = fields.JSONField(default=dict)

    class Meta:
        table = "audit_record"


class SecurityEvent(_Record):
    """A refused mutation or a failed login, written after the refused work was rolled back."""

    action = fields.CharField(max_length=100)
    code = fields.CharField(max_length=64)
    reason = fields.CharField(max_length=300)
    username = fields.CharField(max_length=64, null=True)
    client = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "security_event"


class PersonalDataRead(_Record):
    """A viewer saw the unmasked ID or phone number of a person."""

    person_id = fields.IntField()
    field = fields.CharField(max_length=32)
    role = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "personal_data_read"
