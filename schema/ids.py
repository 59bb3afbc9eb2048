"""Turning global ids from arguments back into keys."""

from __future__ import annotations

from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from core.errors import NotFound


def key_of(global_id: str, *type_names: str, what: str = "object") -> int:
    """The key of a global id naming one of ``type_names``. Anything else (malformed, another
    type's name, a non-number) is the same NOT_FOUND as an id that does not exist."""
    try:
        parsed = relay.GlobalID.from_id(global_id)
        if parsed.type_name in type_names:
            return int(parsed.node_id)
    except (GlobalIDValueError, ValueError):
        pass
    raise NotFound(f"No such {what}.")


def type_name_of(global_id: str, what: str = "object") -> str:
    """The type a global id names (NOT_FOUND if it is malformed)."""
    try:
        return relay.GlobalID.from_id(global_id).type_name
    except GlobalIDValueError:
        raise NotFound(f"No such {what}.") from None


def global_id(type_name: str, key: int) -> str:
    """The relay global id of the object ``key`` of the GraphQL type ``type_name``."""
    return str(relay.GlobalID(type_name, str(key)))
