from __future__ import annotations

from tortoise import fields

from core import HemeiModel


class Notice(HemeiModel):
    """A notice pinned in a community."""

    title = fields.CharField(max_length=200)
    district = fields.ForeignKeyField("core.District", related_name=False)
    street = fields.ForeignKeyField("core.Street", related_name=False)
    community = fields.ForeignKeyField("core.Community", related_name=False)
