"""Webhook endpoints, their deliveries and each delivery's attempts."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.db.base import HemeiModel


class WebhookEndpoint(HemeiModel):
    """A URL that admins subscribed to case events of a scope.

    The scope is the city, a district, a street or a community; the secret signs every
    delivery; the breaker columns say whether it is paused."""

    url = fields.CharField(max_length=500)
    description = fields.CharField(max_length=200, default="")
    event_types: list[str] = fields.JSONField(default=list)
    scope_level = fields.CharField(max_length=16, default="city")
    district_id = fields.IntField(null=True)
    street_id = fields.IntField(null=True)
    community_id = fields.IntField(null=True)
    secret = fields.CharField(max_length=64)
    active = fields.BooleanField(default=True)
    created_by_id = fields.IntField(null=True)
    consecutive_failures = fields.IntField(default=0)
    paused_until = fields.DatetimeField(null=True)
    breaker_trips = fields.IntField(default=0)
    last_success_at = fields.DatetimeField(null=True)
    last_failure_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_endpoint"


class WebhookDelivery(Model):
    """One case event for one endpoint, sent until acknowledged or given up.

    Sent at least once, always with the same delivery id and body."""

    id = fields.BigIntField(primary_key=True)
    delivery_id = fields.CharField(max_length=36, unique=True)
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "core.WebhookEndpoint", related_name=False, on_delete=fields.CASCADE
    )
    event_id = fields.BigIntField()
    event_type = fields.CharField(max_length=64)
    endpoint_district_id = fields.IntField(null=True)
    """The endpoint's district (None: a city-wide endpoint): who may read the log."""
    body = fields.TextField()
    status = fields.CharField(max_length=16, default="PENDING")
    attempts = fields.IntField(default=0)
    attempts_from = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    last_status_code = fields.IntField(null=True)
    last_error = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    endpoint_id: int

    class Meta:
        table = "webhook_delivery"
        unique_together = (("endpoint", "event_id"),)
        indexes = (("status", "next_attempt_at"),)


class WebhookAttempt(Model):
    """One HTTP request of a delivery: when, how long, and what came back."""

    id = fields.BigIntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[WebhookDelivery] = fields.ForeignKeyField(
        "core.WebhookDelivery", related_name=False, on_delete=fields.CASCADE
    )
    number = fields.IntField()
    started_at = fields.DatetimeField()
    duration_ms = fields.IntField()
    status_code = fields.IntField(null=True)
    error = fields.CharField(max_length=500, null=True)
    resent = fields.BooleanField(default=False)
    delivery_id: int

    class Meta:
        table = "webhook_attempt"
