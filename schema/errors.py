"""The one place where failures become GraphQL errors.

Expected failures (:class:`core.errors.HemeiError`) keep their message and carry their code in
``extensions.code``. Syntax and validation errors get a code too. Everything else is masked:
the client sees a generic message, the code ``INTERNAL_SERVER_ERROR`` and the request id, and
the traceback goes to the log under that request id. A transient database failure (see
:func:`core.db.faults.is_unavailable`) is masked the same way but answers
``DATABASE_UNAVAILABLE``, so clients know to retry.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors

from core.db.faults import is_unavailable
from core.errors import ErrorCode, HemeiError
from schema.request_id import current_request_id

log = logging.getLogger("hemei.errors")

MASKED_MESSAGE = "Internal server error. Quote the request id when you report it."
UNAVAILABLE_MESSAGE = "The database is unavailable right now. Retry shortly."


_TOO_MANY_TOKENS = re.compile(r"Document contains more than (\d+) tokens")
_TOO_DEEP_TO_PARSE = "Document is nested too deeply"


def error_code(error: GraphQLError) -> ErrorCode:
    original = error.original_error
    if isinstance(original, HemeiError):
        return original.code
    if isinstance(error, GraphQLSyntaxError):
        if _TOO_MANY_TOKENS.search(error.message) or _TOO_DEEP_TO_PARSE in error.message:
            return ErrorCode.QUERY_TOO_COMPLEX
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if original is None:
        # graphql-core's own errors: validation, unknown operation, variable coercion.
        return ErrorCode.GRAPHQL_VALIDATION_FAILED
    if isinstance(original, GraphQLError):
        inner = error_code(original)
        if inner is ErrorCode.INTERNAL_SERVER_ERROR and error.path is None and error.nodes:
            return ErrorCode.GRAPHQL_VALIDATION_FAILED
        return inner
    if error.path is None and error.nodes:
        # A value of the document or its variables that a scalar refused (its parser raised):
        # the client's input, found before execution.
        return ErrorCode.GRAPHQL_VALIDATION_FAILED
    if is_unavailable(original):
        return ErrorCode.DATABASE_UNAVAILABLE
    return ErrorCode.INTERNAL_SERVER_ERROR


def _limit_details(error: GraphQLError) -> dict[str, Any]:
    """What a parser limit refused, like the limits measured after parsing."""
    if found := _TOO_MANY_TOKENS.search(error.message):
        return {"limit": "tokens", "max": int(found.group(1))}
    return {"limit": "nesting"}


def classify(error: GraphQLError) -> GraphQLError:
    """Give ``error`` its code, masking it if unexpected. Works in place (strawberry hands some
    errors over in lists it keeps) and is idempotent."""
    if error.extensions and "code" in error.extensions:
        return error
    code = error_code(error)
    original = error.original_error
    if isinstance(original, HemeiError):
        error.message = original.message
        error.extensions = {**(error.extensions or {}), **original.extensions()}
    elif code is ErrorCode.INTERNAL_SERVER_ERROR:
        request_id = current_request_id.get()
        log.error(
            "unexpected error at %s (request %s)",
            ".".join(map(str, error.path or [])) or "-",
            request_id,
            exc_info=original,
        )
        error.message = MASKED_MESSAGE
        error.original_error = None
        error.extensions = {"code": code.value, "requestId": request_id}
    elif code is ErrorCode.DATABASE_UNAVAILABLE:
        request_id = current_request_id.get()
        # An outage fails every request at once: one line each, no traceback.
        log.warning(
            "database unavailable at %s (request %s): %s: %s",
            ".".join(map(str, error.path or [])) or "-",
            request_id,
            type(original).__name__,
            original,
        )
        error.message = UNAVAILABLE_MESSAGE
        error.original_error = None
        error.extensions = {"code": code.value, "requestId": request_id}
    elif code is ErrorCode.QUERY_TOO_COMPLEX:
        error.extensions = {**(error.extensions or {}), "code": code.value, **_limit_details(error)}
    else:
        error.extensions = {**(error.extensions or {}), "code": code.value}
    return error


class ErrorCodes(MaskErrors):
    """``MaskErrors`` that masks only the unexpected and puts a code on every error."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [classify(error) for error in errors]
