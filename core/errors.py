"""Expected failures, each with a stable code that reaches GraphQL clients as ``extensions.code``.

Raise one of these from services, resolvers or plugins. Anything else that escapes a request is
unexpected: clients see a masked message with a request id, and the traceback goes to the log.
The mapping to GraphQL lives in one place (``schema.errors``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """The documented list of error codes a client may see in ``extensions.code``."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    """No valid credentials were sent, or they expired."""
    FORBIDDEN = "FORBIDDEN"
    """The viewer is known but may not do this."""
    NOT_FOUND = "NOT_FOUND"
    """The object does not exist, or the viewer may not know that it exists."""
    BAD_USER_INPUT = "BAD_USER_INPUT"
    """An argument is malformed or not allowed now; ``extensions`` says which and why."""
    MODULE_DISABLED = "MODULE_DISABLED"
    """The field belongs to a module that is switched off at the place of the data."""
    CONFLICT = "CONFLICT"
    """The object changed since the client read it (stale version), or a unique value is taken."""
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    """The document is not valid GraphQL syntax."""
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    """The document does not fit the schema (unknown field, wrong argument type, ...)."""
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    """Something unexpected failed; the message is masked and the log has the details."""


class HemeiError(Exception):
    """Base of every expected failure. ``details`` become GraphQL error extensions."""

    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code.value, **self.details}


class Unauthenticated(HemeiError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(HemeiError):
    code = ErrorCode.FORBIDDEN


class NotFound(HemeiError):
    code = ErrorCode.NOT_FOUND


class BadUserInput(HemeiError):
    code = ErrorCode.BAD_USER_INPUT


class Conflict(HemeiError):
    code = ErrorCode.CONFLICT


class ModuleDisabled(HemeiError):
    code = ErrorCode.MODULE_DISABLED

    def __init__(self, module: str, place: str) -> None:
        super().__init__(
            f"The module '{module}' is switched off at {place}.", module=module, place=place
        )
