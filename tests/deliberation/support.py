"""Helpers of the deliberation tests: places, resident logins, topics and moving their clock."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from strawberry.relay import GlobalID

from core.access.models import Account
from core.access.passwords import hash_password
from core.deliberation.models import DeliberationTopic
from core.demo.people import DEMO_PASSWORD
from core.people.models import Person
from core.regions.models import Community, District, Street
from tests.support.api import Api

TOPIC_FIELDS = """id version phase title subject votingOpensAt votingClosesAt decision cancelReason
  street { name } community { name } totalVotes canVote proposableKinds canOrganise
  options { id text proposerKind voteCount } myVote { id text } chosenOption { text }
  spawnedCase { id title } spawnedCaseStatus workOrderIds"""
CREATE = f"""mutation($i: CreateDeliberationTopicInput!) {{ createDeliberationTopic(input: $i) {{
  {TOPIC_FIELDS} }} }}"""
PROPOSE = """mutation($t: ID!, $x: String!, $k: DeliberationProposerKind!) {
  proposeDeliberationOption(topicId: $t, text: $x, proposerKind: $k) { id text proposerKind
  voteCount topic { id } } }"""
VOTE = f"""mutation($t: ID!, $o: ID!) {{ voteOnTopic(topicId: $t, optionId: $o) {{
  {TOPIC_FIELDS} }} }}"""
DECIDE = f"""mutation($i: DecideTopicInput!) {{ decideTopic(input: $i) {{ {TOPIC_FIELDS} }} }}"""
CANCEL = f"""mutation($t: ID!, $v: Int!, $r: String!) {{
  cancelDeliberationTopic(topicId: $t, version: $v, reason: $r) {{ {TOPIC_FIELDS} }} }}"""
NODE = (
    f"""query($id: ID!) {{ node(id: $id) {{ ... on DeliberationTopic {{ {TOPIC_FIELDS} }} }} }}"""
)
LIST = """query($p: ID, $ph: DeliberationPhase) { deliberationTopics(placeId: $p, phase: $ph,
  first: 100) { totalCount edges { node { id } } } }"""

_unique = itertools.count()
LOGIN_PREFIX = "deliberation_resident_"


def gid(type_name: str, key: int) -> str:
    return str(GlobalID(type_name, str(key)))


def key(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


async def community(code: str, district: str = "gongnong") -> Community:
    found = await District.get(code=district)
    return await Community.get(district_id=found.id, code=code)


async def street(code: str, district: str = "gongnong") -> Street:
    found = await District.get(code=district)
    return await Street.get(district_id=found.id, code=code)


async def resident_logins(client: Api, place: Community, count: int) -> list[Api]:
    """Signed-in clients of ``count`` residents of ``place`` who had no login yet."""
    taken = await Account.all().values_list("person_id", flat=True)
    people = (
        await Person.filter(home_community_id=place.id)
        .exclude(id__in=list(taken))
        .order_by("id")
        .limit(count)
    )
    assert len(people) == count, f"{place.name} has too few residents without a login"
    clients = []
    for person in people:
        username = f"{LOGIN_PREFIX}{next(_unique)}_{person.id}"
        await Account.create(
            username=username, password_hash=hash_password(DEMO_PASSWORD), person_id=person.id
        )
        clients.append(await client.signed_in(username))
    return clients


def window(opens_in: timedelta = timedelta(days=1), lasts: timedelta = timedelta(days=7)) -> dict:
    opens = datetime.now(UTC) + opens_in
    return {"votingOpensAt": opens.isoformat(), "votingClosesAt": (opens + lasts).isoformat()}


async def open_topic(organiser: Api, place_id: str, **extra: Any) -> dict[str, Any]:
    data = await organiser.data(
        CREATE,
        {
            "i": {
                "placeId": place_id,
                "title": "小区绿化改造怎么做",
                "subject": "GREENING",
                "description": "东侧空地的用途，请大家议一议。",
                "options": ["种植乔木", "铺设草坪"],
                **window(),
                **extra,
            }
        },
    )
    return data["createDeliberationTopic"]


async def move_clock(topic_id: str, phase: str) -> None:
    """Put the topic's voting window where ``phase`` needs it (time passing, written directly)."""
    now = datetime.now(UTC)
    opens, closes = {
        "PROPOSING": (now + timedelta(days=1), now + timedelta(days=2)),
        "VOTING": (now - timedelta(hours=1), now + timedelta(days=1)),
        "COUNTING": (now - timedelta(days=2), now - timedelta(minutes=1)),
    }[phase]
    await DeliberationTopic.filter(id=key(topic_id)).update(
        voting_opens_at=opens, voting_closes_at=closes
    )
