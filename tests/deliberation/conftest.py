"""Each deliberation test removes what it made: topics (options, votes), the work orders and
cases their decisions spawned, and the resident logins it created (other tests pick residents
without a login)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from core.access.models import Account
from core.cases.models import Case, CaseEvent
from core.deliberation.models import DeliberationTopic
from core.volunteers.models import WorkOrder
from tests.deliberation.probes import drop_topics
from tests.deliberation.support import LOGIN_PREFIX


async def _last_id(model: type[DeliberationTopic] | type[Account]) -> int:
    row = await model.all().order_by("-id").first().values("id")
    return row["id"] if row else 0


@pytest_asyncio.fixture(autouse=True)
async def leave_nothing(orm: str) -> AsyncIterator[None]:
    last_topic = await _last_id(DeliberationTopic)
    yield
    topics = await DeliberationTopic.filter(id__gt=last_topic).values_list("id", "spawned_case_id")
    ids = [topic for topic, _ in topics]
    cases = [case for _, case in topics if case is not None]
    await WorkOrder.filter(topic_id__in=ids).delete()
    await CaseEvent.filter(case_id__in=cases).delete()
    await Case.filter(id__in=cases).delete()
    await drop_topics(*ids)
    await Account.filter(username__startswith=LOGIN_PREFIX).delete()
