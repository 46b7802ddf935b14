"""Messages that arrive while the database is unreachable are kept, answered, and replayed.

Two apps share the journals: one whose DATABASE_URL points at a port where no
server listens (every connection is refused, as during a restart), and one on
the test database, whose replayer feeds the kept messages through the normal
path. The end-to-end proof with a real PostgreSQL stopped and started again is
tests/e2e/test_inbound_outage.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.background.runtime import build_runtime, set_runtime
from app.config import Config
from app.conversation.deferred_inbox import DeferredInbox, DiskJournal, KeptMessage, Replayer
from app.db import get_database
from app.models import MessageLog, MessageStatus
from app.web.webhooks import get_deferred
from bot_flows import texts
from tests.conftest import FrozenClock
from tests.e2e.conftest import Person, new_sid, replies_of
from tests.factories import make_practice
from tests.metrics_scrape import TOKEN, scrape
from tests.redis_server import RedisServer

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/citabot"
PROBLEM = texts.text("inbox_deferred", "es")


def make_app(config: Config, clock: FrozenClock) -> Flask:
    app = create_app(config)
    app.config["TESTING"] = True
    set_runtime(app, build_runtime(app, clock))
    return app


@pytest.fixture(params=["redis", "disk"])
def apps(
    request: pytest.FixtureRequest, config: Config, clock: FrozenClock, tmp_path: Path
) -> Iterator[tuple[Flask, Flask]]:
    """(the app that cannot reach its database, the one that can), sharing the journals."""
    shared: dict[str, object] = {"deferred_inbox_dir": tmp_path / "kept", "metrics_token": TOKEN}
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        assert isinstance(server, RedisServer)
        shared["redis_url"] = server.url
    up = make_app(dataclasses.replace(config, **shared), clock)
    down = make_app(dataclasses.replace(config, database_url=UNREACHABLE, **shared), clock)
    yield down, up
    for app in (down, up):
        get_database(app).engine.dispose()


@pytest.fixture
def practice_number(sessions: sessionmaker[Session]) -> str:
    with sessions.begin() as session:
        return str(make_practice(session).whatsapp_number)


def person(app: Flask, phone: str, practice_number: str) -> Person:
    return Person(app.test_client(), phone, practice_number, app.config["CITABOT"].public_base_url)


def inbound_sids(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    with sessions() as session:
        query = select(MessageLog.phone, MessageLog.provider_sid).where(
            MessageLog.direction == "in"
        )
        return [tuple(row) for row in session.execute(query.order_by(MessageLog.created_at))]


def test_kept_during_the_outage_told_once_each_and_replayed_in_order(
    apps: tuple[Flask, Flask], sessions: sessionmaker[Session], practice_number: str
) -> None:
    down, up = apps
    ana, beto = (person(down, phone, practice_number) for phone in ("+5233100001", "+5233100002"))
    sent: list[tuple[str, str]] = []
    heard = {ana.phone: [], beto.phone: []}
    for someone, body in [(ana, "hola"), (beto, "hola"), (ana, "1"), (beto, "2"), (ana, "1")]:
        sid = new_sid()
        response = someone.post(body, sid)
        assert response.status_code == 200
        heard[someone.phone].append(replies_of(response))
        sent.append((someone.phone, sid))

    # One kind word per patient and outage; nothing else said, nothing processed.
    assert heard == {ana.phone: [[PROBLEM], [], []], beto.phone: [[PROBLEM], []]}
    assert inbound_sids(sessions) == []
    assert up.test_client().get("/readyz").json["inbound_backlog"] == 5

    assert get_deferred(up).replayer.replay() == 5

    assert inbound_sids(sessions) == sent
    assert up.test_client().get("/readyz").json["inbound_backlog"] == 0
    with sessions() as session:
        replies = session.execute(
            select(MessageLog.phone, MessageLog.status, MessageLog.purpose)
            .where(MessageLog.direction == "out")
            .order_by(MessageLog.created_at)
        ).all()
    # The answers go out through the outbox, not a TwiML nobody waits for.
    assert replies and {(status, purpose) for _, status, purpose in replies} == {
        (MessageStatus.QUEUED, "reply")
    }
    assert {phone for phone, _, _ in replies} == {ana.phone, beto.phone}

    # The outage is over: replaying again does nothing, and the next one tells again.
    assert get_deferred(up).replayer.replay() == 0
    assert replies_of(ana.post("hola")) == [PROBLEM]


def test_while_kept_messages_wait_a_new_one_queues_behind_them(
    apps: tuple[Flask, Flask], sessions: sessionmaker[Session], practice_number: str
) -> None:
    down, up = apps
    first = person(down, "+5233100003", practice_number).post("hola")
    assert replies_of(first) == [PROBLEM]

    # The database is back, but an older message waits: this one must not overtake it.
    later = person(up, "+5233100003", practice_number).post("1")

    assert later.status_code == 200 and replies_of(later) == []  # told already
    assert inbound_sids(sessions) == []
    assert get_deferred(up).replayer.replay() == 2
    assert [phone for phone, _ in inbound_sids(sessions)] == ["+5233100003"] * 2


def test_a_replayed_message_is_processed_once(
    apps: tuple[Flask, Flask], sessions: sessionmaker[Session], practice_number: str
) -> None:
    down, up = apps
    sid = new_sid()
    for _ in range(2):  # Twilio's own retry of the same message
        assert person(down, "+5233100004", practice_number).post("hola", sid).status_code == 200

    assert get_deferred(up).replayer.replay() == 2
    assert inbound_sids(sessions) == [("+5233100004", sid)]


def test_an_unknown_practice_number_is_dropped_on_replay(
    apps: tuple[Flask, Flask], sessions: sessionmaker[Session], practice_number: str
) -> None:
    down, up = apps
    assert person(down, "+5233100005", "+14155550000").post("hola").status_code == 200
    assert person(down, "+5233100005", practice_number).post("hola").status_code == 200

    assert get_deferred(up).replayer.replay() == 2
    assert [phone for phone, _ in inbound_sids(sessions)] == ["+5233100005"]


def test_a_sender_that_is_not_a_whatsapp_number_is_refused(
    apps: tuple[Flask, Flask], practice_number: str
) -> None:
    _, up = apps
    for sender in ("+52 33 1000 0006", "whatsapp:5233100006", "Ana", "whatsapp:+52-331-000"):
        response = person(up, sender, practice_number).post("hola")
        assert response.status_code == 400, sender


def message(at: float, body: str) -> KeptMessage:
    return KeptMessage(at, "http://x/webhooks/whatsapp", "sig", {"Body": body})


def test_the_replayer_merges_its_journals_by_arrival_keeping_each_ones_order(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    from redis import Redis

    inbox = DeferredInbox(Redis.from_url(redis_server.url), tmp_path)
    assert inbox.redis is not None
    inbox.redis.keep(message(1.0, "r1"), "+1")
    inbox.disk.keep(message(2.0, "d1"), "+1")
    inbox.redis.keep(message(3.0, "r2"), "+1")
    inbox.disk.keep(message(2.5, "d2"), "+1")
    processed: list[str] = []

    replayed = Replayer(inbox, lambda kept: processed.append(kept.form["Body"])).replay()

    assert replayed == 4 and processed == ["r1", "d1", "d2", "r2"]
    assert inbox.backlog() == (0, True)


def test_a_message_that_cannot_be_processed_is_set_aside_not_lost(tmp_path: Path) -> None:
    inbox = DeferredInbox(None, tmp_path)
    inbox.keep(message(1.0, "poison"), "+1")
    inbox.keep(message(2.0, "fine"), "+1")
    processed: list[str] = []

    def process(kept: KeptMessage) -> None:
        if kept.form["Body"] == "poison":
            raise ValueError("a bug")
        processed.append(kept.form["Body"])

    assert Replayer(inbox, process).replay() == 2
    assert processed == ["fine"]
    assert [
        KeptMessage.loads(line).form["Body"]
        for line in (tmp_path / "failed.jsonl").read_text().splitlines()
    ] == ["poison"]


def test_what_waits_on_disk_is_sealed_and_a_line_kept_before_sealing_still_reads(
    tmp_path: Path,
) -> None:
    """A patient's words wait in the journal sealed, as in the database (app/sealed.py)."""
    inbox = DeferredInbox(None, tmp_path)
    inbox.keep(message(1.0, "me duele el pecho"), "+1")
    written = (tmp_path / "journal.jsonl").read_text()
    assert "pecho" not in written and written.startswith("enc:v1:")
    plain = '{"received_at":2.0,"url":"u","signature":"s","form":{"Body":"hola"}}'
    assert KeptMessage.loads(plain + "\n").form == {"Body": "hola"}
    assert KeptMessage.loads(written.splitlines()[0]).form["Body"] == "me duele el pecho"


def test_the_disk_journal_tells_each_phone_once_until_it_is_emptied(tmp_path: Path) -> None:
    journal = DiskJournal(tmp_path)
    assert [journal.keep(message(n, "x"), phone) for n, phone in enumerate("aab")] == [
        True,
        False,
        True,
    ]
    assert journal.size() == 3
    journal.drop(2)
    assert journal.size() == 1 and not journal.keep(message(4, "x"), "a")
    journal.drop(2)
    assert journal.size() == 0 and journal.keep(message(5, "x"), "a")


def test_an_operator_sees_the_outage_in_the_metrics(
    apps: tuple[Flask, Flask], sessions: sessionmaker[Session], practice_number: str
) -> None:
    down, up = apps
    before = scrape(up.test_client())
    for phone in ("+5233100007", "+5233100008"):
        assert person(down, phone, practice_number).post("hola").status_code == 200

    during = scrape(up.test_client())
    assert during.value("citabot_inbound_backlog") == 2
    deferred = ("citabot_webhook_seconds_count", {"outcome": "deferred"})
    assert during.value(deferred[0], **deferred[1]) - before.value(deferred[0], **deferred[1]) == 2

    get_deferred(up).replayer.replay()
    after = scrape(up.test_client())
    assert after.value("citabot_inbound_backlog") == 0
    replayed = after.value("citabot_messages_total", direction="in", status="processed")
    assert (
        replayed - during.value("citabot_messages_total", direction="in", status="processed") == 2
    )
