"""The access log: one line a request (method, route template, status, milliseconds), written
by logger ``hemei.access`` through the handler ``hemei serve`` sets up.

Python's logging makes each line a ``LogRecord`` (a clock read, the caller's frame, thread and
process names, some thirty attributes), walks the logger tree to its handlers and runs their
filters before the formatter is reached. For a read by id, served under load, the server spent
221 µs of CPU a request with the line and 165–185 without it; with this module, 200.

When the access logger's records would reach nothing but Hemei's own handler
(:func:`schema.observability.logs.handler`: its two filters, its text or JSON formatter; no
other handler or filter on the way, the level letting INFO through), this module hands that
handler a record filled in directly, and it writes the very line the logging call would.
Anything else (a test's capture handler, a deployment's own logging set-up, a level raised to
WARNING, a filter added) takes the ordinary ``logger.info`` call.
"""

from __future__ import annotations

import logging
import time

from schema.observability.logs import TEXT_FORMAT, JsonFormatter, PersonalDataFilter, mask
from schema.request_id import RequestIdLogFilter, current_request_id

__all__ = ["access", "write_access_line"]

access = logging.getLogger("hemei.access")
"""The access log's logger: raise its level to WARNING to turn the lines off."""

_MESSAGE = "%s %s %s %.1fms"
_OWN_FILTERS = (RequestIdLogFilter, PersonalDataFilter)
_new_record = logging.LogRecord.__new__
_LOGGING_STARTED: float = getattr(logging, "_startTime", time.time())


def write_access_line(method: str, route: str, status: int, seconds: float) -> None:
    """Log one request's access line (``POST /graphql 200 1.5ms``, with ``method``, ``route``,
    ``status`` and ``duration_ms`` as the record's extra fields for JSON lines)."""
    milliseconds = seconds * 1000
    handler = _own_handler()
    if handler is None:
        access.info(_MESSAGE, method, route, status, milliseconds,
                    extra={"method": method, "route": route, "status": status,
                           "duration_ms": round(milliseconds, 1)})  # fmt: skip
        return
    created = time.time()
    record = _new_record(logging.LogRecord)
    # What LogRecord(...) and the handler's filters would leave on it (see logging's own
    # LogRecord.__init__): the attributes no Hemei format shows are there, but empty, as
    # they are with logging's switches off (schema.cli._setup_logging).
    record.__dict__ = {
        "name": "hemei.access", "msg": mask(_MESSAGE % (method, route, status, milliseconds)),
        "args": None, "levelname": "INFO", "levelno": logging.INFO,
        "pathname": "(unknown file)", "filename": "(unknown file)", "module": "(unknown file)",
        "exc_info": None, "exc_text": None, "stack_info": None, "lineno": 0,
        "funcName": "(unknown function)", "created": created,
        "msecs": int((created - int(created)) * 1000) + 0.0,
        "relativeCreated": (created - _LOGGING_STARTED) * 1000,
        "thread": None, "threadName": None, "processName": None, "process": None,
        "request_id": current_request_id.get(),
        "method": method, "route": route, "status": status,
        "duration_ms": round(milliseconds, 1),
    }  # fmt: skip
    handler.acquire()
    try:
        handler.emit(record)
    finally:
        handler.release()


def _own_handler() -> logging.StreamHandler | None:
    """Hemei's own handler, when it is the only place an INFO record of the access logger goes
    (and nothing on the way would change it); else ``None``."""
    if not access.isEnabledFor(logging.INFO):
        return None
    found = None
    logger: logging.Logger | None = access
    while logger is not None:
        if logger.filters:
            return None
        if logger.handlers:
            if found is not None or len(logger.handlers) != 1:
                return None
            found = logger.handlers[0]
        if not logger.propagate:
            break
        logger = logger.parent
    if type(found) is not logging.StreamHandler or found.level > logging.INFO:
        return None
    if tuple(type(f) for f in found.filters) != _OWN_FILTERS:
        return None
    formatter = found.formatter
    if type(formatter) is JsonFormatter:
        return found
    if type(formatter) is logging.Formatter and formatter._fmt == TEXT_FORMAT:
        return found
    return None
