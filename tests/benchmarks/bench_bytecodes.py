"""Benchmark: the Python bytecodes one request runs, by function, for a harness read document
(the ASGI app called directly, as tests/benchmarks/bench_request_cpu.py does). Deterministic:
the same build gives the same counts, where timings on a shared machine drift by a fifth.

    # after `python -m bench` has loaded the city into hemei_bench and written its config:
    HEMEI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/hemei_bench \\
        .venv/bin/python -m tests.benchmarks.bench_bytecodes --config bench/.work/hemei.toml node

Prints bytecodes a request in all, by module and by function (the most first). Bytecodes say
where Python's own work is; the time spent in C (row decoding, JSON, building and freeing
objects) is not in them: count machine instructions with callgrind for that
(docs/benchmarks.md). A large read that runs few bytecodes per object is bound by that C work.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

import orjson

from tests.benchmarks.bench_request_cpu import signed_in_client


def _place(filename: str) -> str:
    for marker in ("site-packages/", f"{Path.cwd()}/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("document", help="nested, cases100, cases10, cases1, node, typename")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=30, help="rows of each listing")
    args = parser.parse_args()
    client, documents = await signed_in_client(args.config)
    body = orjson.dumps({"query": documents[args.document]})
    for _ in range(10):  # warm-up: caches filled, connections open
        answer = await client.post(body)
    assert b'"errors"' not in answer, answer[:300]
    counts: Counter[tuple[str, str]] = Counter()

    def trace(frame: FrameType, event: str, _: Any) -> Any:
        if event == "call":
            frame.f_trace_opcodes, frame.f_trace_lines = True, False
        elif event == "opcode":
            counts[(frame.f_code.co_filename, frame.f_code.co_name)] += 1
        return trace

    sys.settrace(trace)
    try:
        for _ in range(args.requests):
            await client.post(body)
    finally:
        sys.settrace(None)
    per_request = args.requests
    modules: Counter[str] = Counter()
    for (filename, _name), n in counts.items():
        modules[_place(filename)] += n
    print(f"{args.document}: {sum(counts.values()) / per_request:,.0f} bytecodes a request")
    print("\nby module:")
    for module, n in modules.most_common(args.top):
        print(f"{n / per_request:>10,.0f}  {module}")
    print("\nby function:")
    for (filename, name), n in counts.most_common(args.top):
        print(f"{n / per_request:>10,.0f}  {_place(filename)}:{name}")


if __name__ == "__main__":
    asyncio.run(main())
