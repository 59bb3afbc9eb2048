"""What admins do with webhooks: subscribe a URL, change it, resume a paused one, rotate its
secret, re-send a delivery. City admins manage every endpoint, district admins those of their
district (and of its streets and communities)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from core.access.scope import ScopeRule
from core.access.viewer import Grant, Viewer
from core.errors import BadUserInput, Conflict, Forbidden, NotFound
from core.regions.places import PlaceRow
from core.webhooks.events import checked_event_types
from core.webhooks.models import WebhookDelivery, WebhookEndpoint
from core.webhooks.signing import new_secret

MANAGERS = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN"}), street=None, community=None, grid=None
)
"""Who manages an endpoint: the admins of its district, and city admins."""
DELIVERY_SCOPE = ScopeRule(
    roles=MANAGERS.roles, district="endpoint_district_id", street=None, community=None, grid=None
)
"""Who reads a delivery: whoever manages its endpoint."""
SCOPE_LEVELS = ("city", "district", "street", "community")


def checked_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise BadUserInput("A webhook URL is http:// or https:// with a host.", argument="url")
    return url


def _grant(viewer: Viewer | None, row: dict[str, Any], rule: ScopeRule = MANAGERS) -> Grant:
    grant = rule.covering_grant(viewer, row)
    if grant is None:
        raise Forbidden("Only the city's admins, or the admins of its district, manage this.")
    return grant


async def register(
    viewer: Viewer | None,
    url: str,
    event_types: Sequence[str],
    place: PlaceRow | None,
    description: str = "",
) -> tuple[WebhookEndpoint, Grant]:
    """Subscribe ``url`` to ``event_types`` of cases at ``place`` (None: the whole city)."""
    level = "city" if place is None else place.kind.lower()
    if level not in SCOPE_LEVELS:
        raise BadUserInput("A webhook's scope is the city, a district, a street or a community.",
                           argument="placeId")  # fmt: skip
    ids: dict[str, Any] = {
        "district_id": place.district_id if place else None,
        "street_id": place.street_id if place else None,
        "community_id": place.community_id if place else None,
    }
    checked = checked_url(url), checked_event_types(event_types)
    grant = _grant(viewer, ids)
    endpoint = await WebhookEndpoint.create(
        url=checked[0],
        description=description.strip()[:200],
        event_types=checked[1],
        scope_level=level,
        secret=new_secret(),
        created_by_id=viewer.person_id if viewer else None,
        **ids,
    )
    return endpoint, grant


async def managed(viewer: Viewer | None, endpoint_id: int) -> tuple[WebhookEndpoint, Grant]:
    """An endpoint the viewer manages (NOT_FOUND for any other, as if it did not exist)."""
    endpoint = await WebhookEndpoint.filter(id=endpoint_id).first()
    grant = (
        MANAGERS.covering_grant(viewer, {"district_id": endpoint.district_id}) if endpoint else None
    )
    if endpoint is None or grant is None:
        raise NotFound("No such webhook.")
    return endpoint, grant


async def update(
    viewer: Viewer | None,
    endpoint_id: int,
    version: int,
    changes: dict[str, Any],
) -> tuple[WebhookEndpoint, Grant]:
    """Change the URL, event types, description or ``active``; ``version`` as read."""
    endpoint, grant = await managed(viewer, endpoint_id)
    values: dict[str, Any] = {}
    if changes.get("url") is not None:
        values["url"] = checked_url(changes["url"])
    if changes.get("event_types") is not None:
        values["event_types"] = checked_event_types(changes["event_types"])
    if changes.get("description") is not None:
        values["description"] = changes["description"].strip()[:200]
    if changes.get("active") is not None:
        values["active"] = bool(changes["active"])
    if values:
        changed = await WebhookEndpoint.filter(id=endpoint.id, version=version).update(
            version=version + 1, updated_at=datetime.now(UTC), **values
        )
        if not changed:
            raise Conflict("The webhook changed since you read it.", version=endpoint.version)
    return await WebhookEndpoint.get(id=endpoint.id), grant


async def resume(viewer: Viewer | None, endpoint_id: int) -> tuple[WebhookEndpoint, Grant]:
    """Close the circuit breaker now: the endpoint's waiting deliveries go out at once."""
    endpoint, grant = await managed(viewer, endpoint_id)
    await WebhookEndpoint.filter(id=endpoint.id).update(
        paused_until=None, consecutive_failures=0, breaker_trips=0
    )
    await WebhookDelivery.filter(endpoint_id=endpoint.id, status="PENDING").update(
        next_attempt_at=None
    )
    return await WebhookEndpoint.get(id=endpoint.id), grant


async def rotate_secret(
    viewer: Viewer | None, endpoint_id: int
) -> tuple[WebhookEndpoint, str, Grant]:
    """A new signing secret (deliveries still waiting are signed with it when sent)."""
    endpoint, grant = await managed(viewer, endpoint_id)
    secret = new_secret()
    await WebhookEndpoint.filter(id=endpoint.id).update(secret=secret, version=endpoint.version + 1)
    return await WebhookEndpoint.get(id=endpoint.id), secret, grant


async def resend(viewer: Viewer | None, delivery_key: int) -> tuple[WebhookDelivery, Grant]:
    """Send a delivery again, with the same id and body, and a fresh budget of attempts
    (delivered or given up alike; the receiver drops it if it has it)."""
    delivery = await WebhookDelivery.filter(id=delivery_key).first()
    grant = (
        DELIVERY_SCOPE.covering_grant(
            viewer, {"endpoint_district_id": delivery.endpoint_district_id}
        )
        if delivery
        else None
    )
    if delivery is None or grant is None:
        raise NotFound("No such delivery.")
    await WebhookDelivery.filter(id=delivery.id).update(
        status="PENDING", next_attempt_at=None, attempts_from=delivery.attempts
    )
    return await WebhookDelivery.get(id=delivery.id), grant
