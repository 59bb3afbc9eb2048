"""The one place where failures become GraphQL errors.

Expected failures (:class:`core.errors.HemeiError`) keep their message and carry their code in
``extensions.code``. Syntax and validation errors get a code too. Everything else is masked:
the client sees a generic message, the code ``INTERNAL_SERVER_ERROR`` and the request id, and
the traceback goes to the log under that request id.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors

from core.errors import ErrorCode, HemeiError
from schema.request_id import current_request_id

log = logging.getLogger("hemei.errors")

MASKED_MESSAGE = "Internal server error. Quote the request id when you report it."


def error_code(error: GraphQLError) -> ErrorCode:
    original = error.original_error
    if isinstance(original, HemeiError):
        return original.code
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if original is None:
        # graphql-core's own errors: validation, unknown operation, variable coercion.
        return ErrorCode.GRAPHQL_VALIDATION_FAILED
    if isinstance(original, GraphQLError):
        return error_code(original)
    return ErrorCode.INTERNAL_SERVER_ERROR


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
    else:
        error.extensions = {**(error.extensions or {}), "code": code.value}
    return error


class ErrorCodes(MaskErrors):
    """``MaskErrors`` that masks only the unexpected and puts a code on every error."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [classify(error) for error in errors]
