"""Tallies (schema/observability/tallies.py) scrape exactly as prometheus_client's own Counter
and Histogram would for the same counts: names, labels, buckets, order and values."""

from __future__ import annotations

import re

import pytest
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

from schema.observability.tallies import Tally

# (route, status, seconds): on a bound, between bounds, past the last one, a repeated series.
OBSERVED = [("/a", "200", 0.1), ("/a", "200", 0.05), ("/b", "500", 3.0), ("/a", "404", 99.0),
            ("/a", "200", 0.0)]  # fmt: skip


def _scraped(registry: CollectorRegistry) -> str:
    # Creation times differ between the two registries by construction.
    return re.sub(r"(_created\{[^}]*\}) \S+", r"\1 <time>", generate_latest(registry).decode())


def test_a_tally_scrapes_like_prometheus_clients_counter_and_histogram():
    ours, theirs = CollectorRegistry(), CollectorRegistry()
    requests = Tally("t_requests", "Requests.", ("route", "status"), ours)
    seconds = Tally("t_seconds", "Latency.", ("route",), ours, buckets=(0.1, 1, 2.5))
    counter = Counter("t_requests", "Requests.", ("route", "status"), registry=theirs)
    histogram = Histogram("t_seconds", "Latency.", ("route",), buckets=(0.1, 1, 2.5),
                          registry=theirs)  # fmt: skip
    for route, status, took in OBSERVED:
        requests.inc((route, status))
        seconds.observe((route,), took)
        counter.labels(route, status).inc()
        histogram.labels(route).observe(took)
    scraped = _scraped(ours)
    assert scraped == _scraped(theirs)
    assert 't_requests_total{route="/a",status="200"} 3.0' in scraped
    assert 't_seconds_bucket{le="0.1",route="/a"} 3.0' in scraped
    assert 't_seconds_bucket{le="+Inf",route="/b"} 1.0' in scraped


def test_a_tally_refuses_the_wrong_number_of_labels_and_keeps_no_series_for_them():
    registry = CollectorRegistry()
    tally = Tally("t_requests", "Requests.", ("route", "status"), registry)
    with pytest.raises(ValueError, match="takes labels"):
        tally.inc(("/a",))
    assert "t_requests_total{" not in generate_latest(registry).decode()
