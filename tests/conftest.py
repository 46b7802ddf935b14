"""Shared fixtures: a throwaway PostgreSQL database per run, the app, a controllable clock.

The database is created on the server at TEST_PG_URL (default: the local one),
migrated with Alembic to head, emptied after each test that used it, and dropped
at the end of the run.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.config import Config
from app.db import Base, get_database, make_engine, make_sessionmaker

ROOT = Path(__file__).resolve().parent.parent
# The `fake_twilio` fixture: a local Twilio Messages API for the real SDK (tests/fake_twilio.py);
# `redis_server`: a redis-server of the test's own (tests/redis_server.py); `pg_server`: a
# PostgreSQL cluster of the tests' own, which a test may stop (tests/pg_server.py).
pytest_plugins = ("tests.fake_twilio", "tests.redis_server", "tests.pg_server")
SERVER = os.environ.get("TEST_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")


def alembic_config(url: str) -> AlembicConfig:
    """An Alembic config for the repository's migrations, pointed at `url`."""
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


@pytest.fixture(scope="session")
def make_pg_database() -> Iterator[Callable[[], str]]:
    """Factory for empty throwaway databases; every one made is dropped at the end."""
    made: list[str] = []

    def make() -> str:
        name = f"citabot_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"postgresql+psycopg://{SERVER.removeprefix('postgresql://')}/{name}"

    yield make
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(make_pg_database: Callable[[], str]) -> str:
    """A PostgreSQL database migrated to head, shared by the run."""
    url = make_pg_database()
    command.upgrade(alembic_config(url), "head")
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=20, max_overflow=220)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory on the test database; every table is emptied afterwards."""
    yield make_sessionmaker(engine)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))


@pytest.fixture
def config(database_url: str) -> Config:
    return Config(
        database_url=database_url,
        messaging_backend="console",
        environment="testing",
        secret_key="a test secret, not for production, 32+ characters long",
    )


@pytest.fixture
def app(config: Config, sessions: sessionmaker[Session]) -> Iterator[Flask]:
    app = create_app(config)
    app.config["TESTING"] = True
    yield app
    get_database(app).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@dataclass
class FrozenClock:
    """A clock that stands still until a test moves it."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))


class NetworkBlocked(RuntimeError):
    """A test tried to reach beyond this machine (not an OSError: nothing may swallow it)."""


def _loopback_host(host: object) -> bool:
    if host is None or host == "localhost":
        return True
    if isinstance(host, bytes):
        host = host.decode()
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False  # a name: resolving it would ask a DNS server
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[None]:
    """No test reaches the network: only loopback (PostgreSQL, Redis, the fake Twilio).

    Connections elsewhere, and name lookups other than localhost, raise
    `NetworkBlocked`. Subprocesses a test starts are not covered.
    """
    connect, connect_ex, getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def guarded(real: Callable[..., Any]) -> Callable[..., Any]:
        def checked(sock: socket.socket, address: Any) -> Any:
            inet = sock.family in (socket.AF_INET, socket.AF_INET6)
            if inet and not _loopback_host(address[0]):
                raise NetworkBlocked(f"tests may not connect to {address!r}")
            return real(sock, address)

        return checked

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _loopback_host(host):
            raise NetworkBlocked(f"tests may not look up {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", guarded(connect))
        patch.setattr(socket.socket, "connect_ex", guarded(connect_ex))
        patch.setattr(socket, "getaddrinfo", lookup)
        yield
