"""Base classes that every Hemei model (core or plugin) builds on."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class HemeiModel(Model):
    """A row with creation and update times (UTC) and a version for optimistic concurrency.

    Mutations compare the version the client saw with the stored one and bump it in the same
    conditional UPDATE, so concurrent edits are detected on SQLite and PostgreSQL alike.
    """

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    version = fields.IntField(default=1)

    class Meta:
        abstract = True
