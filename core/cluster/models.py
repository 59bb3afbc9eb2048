"""The ledger of scheduled job runs that processes share."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class JobRun(Model):
    """One run of a scheduled job for one due time (slot), claimed by one process.

    The unique key makes a second claim of the same run fail; ``claimed_until`` lets another
    process take over a run whose process died before ``finished_at``."""

    id = fields.BigIntField(primary_key=True)
    job = fields.CharField(max_length=64)
    slot = fields.BigIntField()
    owner = fields.CharField(max_length=100)
    claimed_until = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    result = fields.CharField(max_length=200, default="")

    class Meta:
        table = "job_run"
        unique_together = (("job", "slot"),)
