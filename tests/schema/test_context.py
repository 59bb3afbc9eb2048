"""Each request's context is made from a prototype kept per config (``Context.fresh``): the
config's fields are shared, every request's own state starts afresh."""

from __future__ import annotations

from dataclasses import MISSING, fields

from strawberry.dataloader import DataLoader

from schema.context import PER_CONFIG, PER_REQUEST, Context


async def _load(keys):
    return list(keys)


def _default(field):  # as a newly constructed context has it
    return field.default_factory() if field.default_factory is not MISSING else field.default


def test_every_field_of_the_context_is_either_per_config_or_per_request():
    names = {field.name for field in fields(Context)}
    assert not PER_CONFIG & PER_REQUEST
    assert names == PER_CONFIG | PER_REQUEST, (
        "classify the new field in schema/context.py: Context.fresh copies PER_CONFIG and "
        "resets PER_REQUEST"
    )


def test_a_fresh_context_keeps_the_config_and_starts_the_request_anew():
    used = Context(
        activation="activation", request_id="old", gate="gate", access="access", tokens="tokens",
        roles={"r": 1}, planner_enabled=True, viewer_seconds=2.0, request="old request",
        client="10.0.0.1", json_fragments=True,
    )  # fmt: skip
    used.unmasked_reads.append((1, "phone", "Person"))
    used.root_selections["cases"] = object()
    used.defer_authentication("token")
    used.loader("key", lambda: DataLoader(_load))

    new = used.fresh("new", "request", "response", "127.0.0.1")

    for name in PER_CONFIG:
        assert getattr(new, name) is getattr(used, name), name
    given = {"request_id": "new", "request": "request", "response": "response",
             "client": "127.0.0.1"}  # fmt: skip
    for field in fields(Context):
        if field.name in PER_REQUEST:
            expected = given.get(field.name, _default(field))
            assert getattr(new, field.name) == expected, field.name
    assert new.unmasked_reads is not used.unmasked_reads
    assert new._loaders is not used._loaders and used._loaders
    assert new.viewer is None, "nobody signed in until the new request says so"
