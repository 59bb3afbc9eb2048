from __future__ import annotations

from tortoise import fields

from core import PlacedModel


class Notice(PlacedModel):
    """A notice pinned in a community."""

    title = fields.CharField(max_length=200)
