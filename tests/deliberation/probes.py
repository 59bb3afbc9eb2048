"""Probes of this area's root operations for the authorization matrix (see tests/access/probes.py).

Each makes a topic in the target relation's community, in the phase its operation needs, and
removes it (with its options and votes) afterwards.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from core.deliberation.models import DeliberationOption, DeliberationTopic, DeliberationVote
from tests.access.probes import Probe, gid, ok

_WINDOWS = {
    "PROPOSING": (timedelta(days=1), timedelta(days=2)),
    "VOTING": (timedelta(hours=-1), timedelta(days=1)),
    "COUNTING": (timedelta(days=-2), timedelta(days=-1)),
}


async def topic_at(p: Probe, relation: str, phase: str) -> tuple[DeliberationTopic, int]:
    """A topic of the relation's community in ``phase``, with one option (its id returned)."""
    target = p.target(relation)
    grid, now = target.grid, datetime.now(UTC)
    opens, closes = _WINDOWS[phase]
    topic = await DeliberationTopic.create(
        title="probe topic",
        subject="OTHER",
        district_id=grid.district_id,
        street_id=grid.street_id,
        community_id=grid.community_id,
        voting_opens_at=now + opens,
        voting_closes_at=now + closes,
        created_by_id=target.person,
    )
    option = await DeliberationOption.create(
        topic_id=topic.id, text="probe option", proposer_kind="PARTY_MEMBER",
        proposed_by_id=target.person,
    )  # fmt: skip
    return topic, option.id


async def drop_topics(*ids: int) -> None:
    await DeliberationVote.filter(topic_id__in=ids).delete()
    await DeliberationOption.filter(topic_id__in=ids).delete()
    await DeliberationTopic.filter(id__in=ids).delete()


async def deliberation_topics(p: Probe, relation: str) -> bool:
    topic, _ = await topic_at(p, relation, "PROPOSING")
    try:
        body = await p.client.post("{ deliberationTopics(first: 100) { edges { node { id } } } }")
        return ok(body) and any(
            e["node"]["id"] == gid("DeliberationTopic", topic.id)
            for e in body["data"]["deliberationTopics"]["edges"]
        )
    finally:
        await drop_topics(topic.id)


async def create_deliberation_topic(p: Probe, relation: str) -> bool:
    now = datetime.now(UTC)
    body = await p.client.post(
        "mutation($i: CreateDeliberationTopicInput!) { createDeliberationTopic(input: $i) { id } }",
        {
            "i": {
                "placeId": gid("Community", p.target(relation).grid.community_id),
                "title": "probe create topic",
                "subject": "GREENING",
                "votingOpensAt": (now + timedelta(days=1)).isoformat(),
                "votingClosesAt": (now + timedelta(days=8)).isoformat(),
                "options": ["种树", "种花"],
            }
        },
    )
    made = await DeliberationTopic.filter(title="probe create topic").values_list("id", flat=True)
    await drop_topics(*made)
    return ok(body)


async def propose_deliberation_option(p: Probe, relation: str) -> bool:
    topic, _ = await topic_at(p, relation, "PROPOSING")
    try:
        body = await p.client.post(
            'mutation($t: ID!) { proposeDeliberationOption(topicId: $t, text: "probe proposal", '
            "proposerKind: RESIDENT) { id } }",
            {"t": gid("DeliberationTopic", topic.id)},
        )
        return ok(body)
    finally:
        await drop_topics(topic.id)


async def vote_on_topic(p: Probe, relation: str) -> bool:
    topic, option = await topic_at(p, relation, "VOTING")
    try:
        body = await p.client.post(
            "mutation($t: ID!, $o: ID!) { voteOnTopic(topicId: $t, optionId: $o) { id } }",
            {"t": gid("DeliberationTopic", topic.id), "o": gid("DeliberationOption", option)},
        )
        return ok(body)
    finally:
        await drop_topics(topic.id)


async def decide_topic(p: Probe, relation: str) -> bool:
    topic, option = await topic_at(p, relation, "COUNTING")
    try:
        body = await p.client.post(
            "mutation($i: DecideTopicInput!) { decideTopic(input: $i) { phase } }",
            {
                "i": {
                    "topicId": gid("DeliberationTopic", topic.id),
                    "version": topic.version,
                    "optionId": gid("DeliberationOption", option),
                    "decision": "probe decision",
                }
            },
        )
        return ok(body)
    finally:
        await drop_topics(topic.id)


async def cancel_deliberation_topic(p: Probe, relation: str) -> bool:
    topic, _ = await topic_at(p, relation, "PROPOSING")
    try:
        body = await p.client.post(
            'mutation($t: ID!) { cancelDeliberationTopic(topicId: $t, version: 1, reason: "probe") '
            "{ phase } }",
            {"t": gid("DeliberationTopic", topic.id)},
        )
        return ok(body)
    finally:
        await drop_topics(topic.id)


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "deliberationTopics": deliberation_topics,
    "createDeliberationTopic": create_deliberation_topic,
    "proposeDeliberationOption": propose_deliberation_option,
    "voteOnTopic": vote_on_topic,
    "decideTopic": decide_topic,
    "cancelDeliberationTopic": cancel_deliberation_topic,
}
