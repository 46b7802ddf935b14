"""`GET /metrics`: who may scrape, what commits is counted, and gauges read at scrape time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from rq import Queue
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.background.queues import BOOKING_QUEUE
from app.booking.errors import SlotTaken
from app.booking.requests import hold_slot
from app.config import Config
from app.db import Savepoints, get_database
from app.web.metrics import register_gauge_callback
from tests.conftest import ROOT, FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot
from tests.metrics_scrape import TOKEN, scrape
from tests.redis_server import RedisServer, free_port

pytestmark = pytest.mark.postgres


@pytest.fixture
def config(database_url: str) -> Config:
    return Config(
        database_url=database_url,
        messaging_backend="console",
        environment="testing",
        metrics_token=TOKEN,
    )


@contextmanager
def other_app(config: Config) -> Iterator[Flask]:
    """An app of other settings than the `app` fixture's."""
    app = create_app(config)
    app.config["TESTING"] = True
    try:
        yield app
    finally:
        get_database(app).engine.dispose()


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN],
    ids=["missing", "empty", "wrong", "not-bearer", "longer", "no-scheme"],
)
def test_a_scrape_without_the_token_is_refused(app: Flask, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = app.test_client().get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "citabot_" not in response.get_data(as_text=True)


def test_with_the_token_a_scrape_is_prometheus_text(app: Flask) -> None:
    result = scrape(app.test_client())
    response = app.test_client().get("/metrics", headers={"Authorization": f"bearer {TOKEN}"})
    assert response.status_code == 200  # the scheme's case does not matter
    assert "# TYPE citabot_webhook_seconds histogram" in response.get_data(as_text=True)
    assert not result.has("citabot_queue_jobs")  # no REDIS_URL, no queues to read


def test_without_a_token_there_is_no_route(config: Config) -> None:
    with other_app(replace(config, metrics_token=None)) as app:
        assert app.test_client().get("/metrics").status_code == 404
        bearer = {"Authorization": "Bearer "}
        assert app.test_client().get("/metrics", headers=bearer).status_code == 404


def test_a_hold_counts_once_its_transaction_commits(
    app: Flask, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        slot = make_slot(session, service, clock.now + timedelta(days=2))
    client = app.test_client()
    before = scrape(client)

    # As the inbox runs it: a savepoint of the message's transaction, which then rolls back.
    with sessions() as session, session.begin():
        ctx = replace(context(sessions, clock), sessions=Savepoints(session))
        hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake())
        assert scrape(client).value("citabot_holds_total", event="created") == (
            before.value("citabot_holds_total", event="created")
        )  # released, not committed
        session.rollback()
    rolled_back = scrape(client)
    assert rolled_back.value("citabot_holds_total", event="created") == (
        before.value("citabot_holds_total", event="created")
    )
    assert rolled_back.value("citabot_messages_total", direction="out", status="queued") == (
        before.value("citabot_messages_total", direction="out", status="queued")
    )

    hold_slot(context(sessions, clock), profile_id=profile.id, slot_id=slot.id, intake=intake())
    with pytest.raises(SlotTaken):  # refused: nothing written, nothing counted
        hold_slot(context(sessions, clock), profile_id=profile.id, slot_id=slot.id, intake=intake())
    after = scrape(client)
    assert after.value("citabot_holds_total", event="created") == (
        before.value("citabot_holds_total", event="created") + 1
    )
    assert after.value("citabot_messages_total", direction="out", status="queued") == (
        before.value("citabot_messages_total", direction="out", status="queued") + 1
    )  # the doctor's notification


def test_queue_depths_are_read_from_redis_at_scrape_time(
    config: Config, redis_server: RedisServer
) -> None:
    with other_app(replace(config, redis_url=redis_server.url)) as app:
        queue = Queue(BOOKING_QUEUE, connection=Redis.from_url(redis_server.url))
        queue.enqueue("app.background.jobs.expire_request", "00000000-0000-0000-0000-000000000000")
        result = scrape(app.test_client())
        assert result.value("citabot_queue_jobs", queue=BOOKING_QUEUE, state="queued") == 1
        assert result.value("citabot_queue_jobs", queue="citabot-messages", state="queued") == 0
        assert result.has("citabot_queue_jobs")


def test_with_redis_away_the_scrape_answers_without_queue_depths(config: Config) -> None:
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    with other_app(replace(config, redis_url=unreachable)) as app:
        started = time.monotonic()
        result = scrape(app.test_client())
        assert time.monotonic() - started < 3
        assert not result.has("citabot_queue_jobs")


def test_a_registered_gauge_is_read_at_each_scrape(app: Flask) -> None:
    backlog = [3]
    register_gauge_callback(app, "citabot_inbound_backlog", "Kept inbound messages.", backlog.pop)
    assert scrape(app.test_client()).value("citabot_inbound_backlog") == 3
    # Nothing left to read (the callback raises): the gauge is left out, the scrape answers.
    assert not scrape(app.test_client()).has("citabot_inbound_backlog")
    register_gauge_callback(app, "citabot_inbound_backlog", "Kept inbound messages.", lambda: None)
    assert not scrape(app.test_client()).has("citabot_inbound_backlog")
    with pytest.raises(ValueError):
        register_gauge_callback(app, "backlog of +5215511111111", "no", lambda: 1.0)


COUNT_IN_A_PROCESS = """
from app import metrics
metrics.observe_webhook("processed", 0.02)
metrics.HOLDS.labels("created").inc()
"""


def test_with_a_multiprocess_directory_a_scrape_adds_up_every_process(
    config: Config, tmp_path: Path
) -> None:
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):  # two processes, as two gunicorn workers or a web process and a worker
        subprocess.run([sys.executable, "-c", COUNT_IN_A_PROCESS], cwd=ROOT, env=env, check=True)
    assert len(list(tmp_path.glob("*.db"))) >= 2  # one file per process and kind of metric
    with other_app(replace(config, prometheus_multiproc_dir=tmp_path)) as app:
        result = scrape(app.test_client())
        assert result.value("citabot_holds_total", event="created") == 2
        assert result.value("citabot_messages_total", direction="in", status="processed") == 2
        assert result.value("citabot_webhook_seconds_count", outcome="processed") == 2
        assert result.value("citabot_webhook_seconds_bucket", outcome="processed", le="0.025") == 2
