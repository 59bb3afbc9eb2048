"""Log records as one JSON object a line (``[observability] log_format = "json"``), or as text,
both with the request id and without personal data.

Hemei never logs ID-card or phone numbers on purpose; :class:`PersonalDataFilter` is the net
under that rule: it masks anything shaped like one in every message and traceback before a
handler formats it.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime
from typing import Any

from schema.request_id import RequestIdLogFilter

__all__ = ["JsonFormatter", "PersonalDataFilter", "handler"]

_ID_NUMBER = re.compile(r"(?<![0-9])\d{17}[0-9Xx](?![0-9])")
_PHONE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")
EXTRA_FIELDS = ("method", "route", "status", "duration_ms", "operation", "outcome")
"""Attributes a log call may pass with ``extra=`` that the JSON lines keep."""


def mask(text: str) -> str:
    """``text`` with ID-card numbers and mobile numbers replaced by stars."""
    text = _ID_NUMBER.sub(lambda m: m.group()[:6] + "*" * 12, text)
    return _PHONE.sub(lambda m: m.group()[:3] + "*" * 8, text)


class PersonalDataFilter(logging.Filter):
    """Masks ID-card and mobile numbers in the message, its arguments and the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request id, the
    traceback when there is one, and the known extra fields (method, route, status, ...)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        line |= {k: getattr(record, k) for k in EXTRA_FIELDS if hasattr(record, k)}
        if record.exc_text:
            line["traceback"] = record.exc_text
        elif record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def handler(log_format: str, stream: Any = None) -> logging.Handler:
    """A handler writing ``log_format`` ("json" or "text") lines with the request id and
    personal data masked."""
    found = logging.StreamHandler(stream)
    found.addFilter(RequestIdLogFilter())
    found.addFilter(PersonalDataFilter())
    found.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    return found
