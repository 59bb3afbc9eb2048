"""Run `hemei` as a real server process on loopback, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

HEMEI = str(Path(sys.executable).parent / "hemei")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without HEMEI_* settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMEI_")}
    env.update(extra)
    return env


def hemei(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run one ``hemei`` command to completion, capturing its output."""
    return subprocess.run(
        [HEMEI, *args],
        cwd=cwd,
        env=dict(env) if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


@contextmanager
def running(args: list[str], cwd: Path, env: Mapping[str, str], port: int) -> Iterator[str]:
    """Start ``hemei ARGS`` and yield its base URL once /readyz answers; stop it afterwards."""
    log_path = cwd / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [HEMEI, *args, "--port", str(port)],
            cwd=cwd,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                if process.poll() is not None:
                    pytest.fail(f"hemei {args[0]} exited:\n{log_path.read_text()}")
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"hemei {args[0]} did not become ready:\n{log_path.read_text()}")
                time.sleep(0.2)
            yield base
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
