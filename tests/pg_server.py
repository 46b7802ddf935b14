"""A PostgreSQL cluster of the tests' own, on a free loopback port: stopping it disturbs no one.

The shared server on 5432 must never be stopped, yet an outage test needs a
database that really goes away (connections refused, sessions cut) and comes
back. So the `pg_server` fixture runs `initdb` once per session into a temporary
directory, starts the cluster with `pg_ctl`, lets a test `stop` / `start` /
`restart` it, and removes it at the end. initdb and pg_ctl refuse to run as
root: as root they run as the `postgres` user, in a directory that user owns.
Durability is off (fsync, synchronous_commit): nothing here survives the run.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.redis_server import free_port

SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "100",
    "shared_buffers": "'32MB'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "logging_collector": "off",
}


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian's layout, then PATH)."""
    versions = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if versions:
        newest = max(versions, key=lambda path: int(Path(path).parts[-3]))
        return Path(newest).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PgServer:
    """One private cluster; `stop` it for an outage and `start` it again, same port and data."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="citabot-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.server = f"postgresql://postgres@127.0.0.1:{self.port}"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)

    def _run(self, *argv: str | Path, timeout: float = 60) -> None:
        command = [str(arg) for arg in argv]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                f"\n--- server log ---\n{self.log_tail()}"
            )

    def init(self) -> None:
        self._run(
            self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        settings = SETTINGS | {
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
        }
        with (self.data / "postgresql.conf").open("a") as conf:  # keeps postgres's ownership
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def start(self) -> None:
        """Start and wait until it accepts connections (pg_ctl -w)."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop: `fast` cuts every session at once, as a crash or failover would for clients."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists() and self._postmaster() is not None

    def create_database(self) -> str:
        """A fresh empty database; its SQLAlchemy URL (psycopg 3)."""
        name = f"citabot_outage_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def log_tail(self, chars: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-chars:]
        return ""

    def _postmaster(self) -> int | None:
        """The postmaster's pid from its pid file, if that process is alive."""
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 0)
            return pid
        return None

    def remove(self) -> None:
        """Stop whatever runs (immediately; by the pid file's pid as a last resort), delete all."""
        if self.running:
            try:
                self.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                pid = self._postmaster()
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The private cluster, running; a test that stops it must start it again (see `pg_up`)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip(
            "initdb not found (neither /usr/lib/postgresql/*/bin nor PATH): the outage tests"
            " need a PostgreSQL installation to run a private cluster they can stop"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a `postgres` user: initdb refuses root")
    server = PgServer(bin_dir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def pg_up(pg_server: PgServer) -> Iterator[PgServer]:
    """The private cluster for one test, running again afterwards whatever the test did."""
    yield pg_server
    if not pg_server.running:
        pg_server.start()
