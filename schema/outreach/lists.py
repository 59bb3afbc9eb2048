"""The outreach lists: teams in creation order, activities in time order.

Activities are paged by when they start (soonest first for upcoming ones, latest first for the
others), so their cursors carry the start time and the id: a page continues exactly where the
last one ended even when activities share a start time.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from strawberry import relay
from tortoise.expressions import Q

from core.errors import BadUserInput
from core.outreach import models
from schema.outreach.types import ACTIVITY, TEAM, OutreachActivity
from schema.relay import Connection, PageArgs, make_connection

_PREFIX = "outreach:v1:"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


async def team_page(first: int, after: str | None, *filters: Q) -> Connection[Any]:
    page = PageArgs.of(first, after)
    rows = models.OutreachTeam.filter(*filters)
    if page.after is not None:
        rows = rows.filter(id__gt=page.after)
    found = await rows.order_by("id").limit(page.first + 1).values(*TEAM.columns)
    nodes = [TEAM.build(row) for row in found[: page.first]]

    async def count() -> int:
        return await models.OutreachTeam.filter(*filters).count()

    return make_connection(nodes, len(found) > page.first, key=lambda n: n.id, count=count)


async def activity_page(
    first: int, after: str | None, now: datetime, upcoming: bool, *filters: Q
) -> Connection[Any]:
    """Activities starting at ``now`` or later, soonest first (``upcoming``); else those that
    started before ``now``, latest first."""
    page = PageArgs.of(first, None)
    when = Q(starts_at__gte=now) if upcoming else Q(starts_at__lt=now)
    rows = models.OutreachActivity.filter(when, *filters)
    if after is not None:
        at, key = _decode(after)
        if upcoming:
            rows = rows.filter(Q(starts_at__gt=at) | Q(starts_at=at, id__gt=key))
        else:
            rows = rows.filter(Q(starts_at__lt=at) | Q(starts_at=at, id__lt=key))
    order = ("starts_at", "id") if upcoming else ("-starts_at", "-id")
    found = await rows.order_by(*order).limit(page.first + 1).values(*ACTIVITY.columns)
    nodes: list[OutreachActivity] = [ACTIVITY.build(row) for row in found[: page.first]]

    async def count() -> int:
        return await models.OutreachActivity.filter(when, *filters).count()

    return _connection(nodes, len(found) > page.first, count)


def _connection(
    nodes: list[OutreachActivity], has_next: bool, count: Callable[[], Awaitable[int]]
) -> Connection[Any]:
    edges = [relay.Edge(node=n, cursor=_encode(n.starts_at, n.id)) for n in nodes]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=False,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=count,
    )


def _encode(at: datetime, key: int) -> str:
    micros = (at - _EPOCH) // _MICROSECOND
    return base64.urlsafe_b64encode(f"{_PREFIX}{micros}:{key}".encode()).decode()


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(_PREFIX):
            micros, key = text.removeprefix(_PREFIX).split(":")
            return _EPOCH + int(micros) * _MICROSECOND, int(key)
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise BadUserInput("The cursor is not one this list handed out.", argument="after")
