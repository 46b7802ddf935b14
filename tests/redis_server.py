"""A redis-server of a test's own, on a free loopback port: stopping it disturbs no one.

Started and ended by the test, by its process id; without persistence, so a
restart forgets everything, as a Redis that lost its data would.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from redis import Redis

from tests.environ import server_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One redis-server process; `start` again after `stop` for a Redis that came back empty."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, env=server_env(),
        )  # fmt: skip
        client = Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while not self._answers(client):
            if time.monotonic() > deadline:
                pytest.fail("timed out waiting for redis-server to answer")
            time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    @staticmethod
    def _answers(client: Redis) -> bool:
        with contextlib.suppress(Exception):
            return bool(client.ping())
        return False


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()
