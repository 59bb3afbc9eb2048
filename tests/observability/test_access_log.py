"""The access line a request writes (schema/observability/access_log.py): when Hemei's own
handler is the only place it goes, it is written without logging's record-making, and it must
be the very line the logging call writes; with anything else on the way, logging writes it."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator

import pytest

from schema.observability import logs
from schema.observability.access_log import access, write_access_line
from schema.request_id import current_request_id


@pytest.fixture
def own_handler(request: pytest.FixtureRequest) -> Iterator[tuple[io.StringIO, logging.Handler]]:
    """Hemei's handler (of the parametrised format) as the access logger's only one, as
    ``hemei serve`` has it (there on the root logger, here on the logger itself: pytest's
    capture handlers sit on the root)."""
    stream = io.StringIO()
    handler = logs.handler(request.param, stream)
    access.addHandler(handler)
    access.propagate, level = False, access.level
    access.setLevel(logging.INFO)
    token = current_request_id.set("req-7")
    try:
        yield stream, handler
    finally:
        current_request_id.reset(token)
        access.removeHandler(handler)
        access.propagate = True
        access.setLevel(level)


def through_logging(method: str, route: str, status: int, seconds: float) -> None:
    """The line as a plain logging call writes it: the reference."""
    access.info("%s %s %s %.1fms", method, route, status, seconds * 1000,
                extra={"method": method, "route": route, "status": status,
                       "duration_ms": round(seconds * 1000, 1)})  # fmt: skip


@pytest.mark.parametrize("own_handler", ["text", "json"], indirect=True)
def test_the_line_is_the_one_logging_writes(own_handler, monkeypatch):
    stream, _ = own_handler
    monkeypatch.setattr(time, "time", lambda: 1764478800.25)  # the same clock for both
    for method, route, status, seconds in [
        ("POST", "/graphql", 200, 0.0015),
        ("GET", "/photos/{id}", 404, 12.34567),
        ("OTHER", "/x/13912345678", 500, 0.0),  # shaped like a phone number: masked
    ]:
        write_access_line(method, route, status, seconds)
        through_logging(method, route, status, seconds)
        ours, reference = stream.getvalue().splitlines()[-2:]
        assert ours == reference
    assert "req-7" in ours and "OTHER /x/139******** 500 0.0ms" in ours


@pytest.mark.parametrize("own_handler", ["text"], indirect=True)
def test_a_filter_added_to_the_handler_is_run(own_handler):
    stream, handler = own_handler

    class Drop(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            return "/healthz" not in record.getMessage()

    handler.addFilter(Drop())
    write_access_line("GET", "/healthz", 200, 0.001)
    write_access_line("GET", "/readyz", 200, 0.001)
    assert [line.split()[-3] for line in stream.getvalue().splitlines()] == ["/readyz"]


@pytest.mark.parametrize("own_handler", ["text"], indirect=True)
def test_a_raised_level_turns_the_lines_off(own_handler):
    stream, _ = own_handler
    access.setLevel(logging.WARNING)
    write_access_line("POST", "/graphql", 200, 0.001)
    assert stream.getvalue() == ""


def test_another_handler_on_the_way_gets_the_record_with_its_fields(caplog):
    caplog.set_level(logging.INFO, logger="hemei.access")
    write_access_line("POST", "/graphql", 200, 0.0021)
    [record] = [r for r in caplog.records if r.name == "hemei.access"]
    assert record.getMessage() == "POST /graphql 200 2.1ms"
    assert (record.method, record.route, record.status, record.duration_ms) == (  # type: ignore[attr-defined]
        "POST",
        "/graphql",
        200,
        2.1,
    )
