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
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    """The operation is too deep, has too many aliases, tokens or directives, or costs more
    than ``[limits] max_cost``; ``extensions`` name the ``limit``, its ``max`` and the
    ``actual`` value. Nothing ran."""
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    """The request body, its uploads or its batch of operations is larger than ``[limits]``
    allows (HTTP 413). Nothing ran."""
    RATE_LIMITED = "RATE_LIMITED"
    """Too many operations from this account or client address, or too many open on one
    WebSocket; ``extensions.retryAfterSeconds`` says when to retry (HTTP 429 with
    ``application/graphql-response+json``). Nothing ran."""
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    """The document hash sent is not registered (``hemei documents add``). Nothing ran."""
    DOCUMENT_NOT_TRUSTED = "DOCUMENT_NOT_TRUSTED"
    """Anonymous clients may run only registered documents here
    (``[documents] require_for_anonymous``). Nothing ran."""
    BAD_REQUEST = "BAD_REQUEST"
    """The HTTP request is not a well-formed GraphQL request (bad JSON, wrong parameter types,
    unsupported content type, a mutation over GET). Nothing ran."""
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    """The database could not be reached, dropped the connection or gave the transaction up
    to a concurrent one; retry in a moment. A mutation that met it was rolled back (only a
    connection lost while committing leaves it unknown whether the write landed: read before
    resending it). The message is masked; ``extensions.requestId`` finds the details in the
    log."""
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    """Something unexpected failed (a bug, or a plugin that crashed, even with ``SystemExit``);
    the message is masked and the log has the details. A mutation that fails so wrote
    nothing."""


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
    """No valid credentials, or they expired (``UNAUTHENTICATED``)."""

    code = ErrorCode.UNAUTHENTICATED


class Forbidden(HemeiError):
    """The viewer is known but may not do this (``FORBIDDEN``)."""

    code = ErrorCode.FORBIDDEN


class NotFound(HemeiError):
    """The object does not exist, or the viewer may not know it exists (``NOT_FOUND``)."""

    code = ErrorCode.NOT_FOUND


class BadUserInput(HemeiError):
    """An argument is malformed or not allowed now (``BAD_USER_INPUT``); name it in the
    details: ``BadUserInput("...", argument="first", max=100)``."""

    code = ErrorCode.BAD_USER_INPUT


class Conflict(HemeiError):
    """The object changed since the client read it, or a unique value is taken
    (``CONFLICT``)."""

    code = ErrorCode.CONFLICT


class ModuleDisabled(HemeiError):
    """The module is off at the place of the data (``MODULE_DISABLED``). The module gate
    raises it; plugins rarely need to."""

    code = ErrorCode.MODULE_DISABLED

    def __init__(self, module: str, place: str) -> None:
        super().__init__(
            f"The module '{module}' is switched off at {place}.", module=module, place=place
        )


class QueryTooComplex(HemeiError):
    code = ErrorCode.QUERY_TOO_COMPLEX


class RequestTooLarge(HemeiError):
    code = ErrorCode.REQUEST_TOO_LARGE


class RateLimited(HemeiError):
    code = ErrorCode.RATE_LIMITED


class PersistedQueryNotFound(HemeiError):
    code = ErrorCode.PERSISTED_QUERY_NOT_FOUND


class DocumentNotTrusted(HemeiError):
    code = ErrorCode.DOCUMENT_NOT_TRUSTED


class BadRequest(HemeiError):
    code = ErrorCode.BAD_REQUEST
