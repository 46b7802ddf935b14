"""Processes an end-to-end test starts itself (gunicorn, `python worker.py`), and waiting.

Each runs in its own process group (gunicorn forks workers, worker.py its scheduler),
so the test ends all of it by the group's id, and nothing is left running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from redis import Redis
from rq import Worker

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def until(condition: Callable[[], object], timeout: float, every: float = 0.1) -> bool:
    """Poll `condition` until it holds or `timeout` passes; whether it held (the caller
    then asserts with what it sees, which says more than "timed out")."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    if not until(condition, timeout, every=0.05):
        pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Processes:
    """The processes one test started, with their logs in `logs`."""

    env: dict[str, str]
    logs: Path
    started: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, *argv: str | Path) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.started[name] = process
        return process

    def start_gunicorn(self, base_url: str, workers: int) -> None:
        """`app:create_app()` under gunicorn, as deployed; ready once /healthz answers."""
        web = self.start(
            "gunicorn", BIN / "gunicorn", "--workers", str(workers),
            "--bind", base_url.removeprefix("http://"), "app:create_app()",
        )  # fmt: skip

        def healthy() -> bool:
            assert web.poll() is None, self.log("gunicorn")
            with contextlib.suppress(requests.RequestException):
                return requests.get(base_url + "/healthz", timeout=1).ok
            return False

        wait_for(healthy, 30, "gunicorn to answer /healthz")

    def start_worker(self, redis_url: str) -> None:
        self.start("worker", BIN / "python", "worker.py")
        with Redis.from_url(redis_url) as connection:
            wait_for(lambda: Worker.all(connection=connection), 30, "the RQ worker")

    def log(self, name: str, chars: int = 4000) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-chars:]

    def stop_all(self) -> None:
        for process in self.started.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
