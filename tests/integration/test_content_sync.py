"""`content sync` against the fake Twilio: creates once, then changes only what changed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from twilio.rest import Client

from app import create_app
from app.db import get_database
from app.messaging import interactive
from app.messaging.content_pool import (
    Change,
    PoolIndex,
    SyncInterrupted,
    definition_hash,
    lookup,
    sync,
)
from app.messaging.interactive import LIST_PICKER, QUICK_REPLY, Interactive, Item
from app.models import ContentResource
from bot_flows.texts import CATALOGUES
from tests.factories import twilio_config
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

LANGUAGES = tuple(CATALOGUES)
POOL_SIZE = 26  # (3 button counts + 10 list counts) x 2 languages
Definition = Callable[[str, int, str], dict[str, object]]


@pytest.fixture
def twilio(fake_twilio: FakeTwilio) -> Client:
    return Client(ACCOUNT_SID, AUTH_TOKEN, http_client=fake_twilio.http_client())


def stored(sessions: sessionmaker[Session]) -> dict[str, ContentResource]:
    with sessions() as session:
        return {row.key: row for row in session.scalars(select(ContentResource))}


def changing(monkeypatch: pytest.MonkeyPatch, *entries: tuple[str, int, str]) -> None:
    """Make the definitions of `entries` differ (a new sample), as a changed catalogue would."""
    original: Definition = interactive.definition

    def changed(kind: str, count: int, language: str) -> dict[str, object]:
        made = original(kind, count, language)
        if (kind, count, language) in entries:
            made["variables"] = {**made["variables"], "1": "changed"}  # type: ignore[dict-item]
        return made

    monkeypatch.setattr(interactive, "definition", changed)


def test_the_first_sync_creates_every_resource_and_the_second_changes_nothing(
    any_sessions: sessionmaker[Session], twilio: Client, fake_twilio: FakeTwilio
) -> None:
    first = sync(any_sessions, twilio, ACCOUNT_SID, LANGUAGES)

    assert first.count(Change.CREATED) == fake_twilio.content_creates == POOL_SIZE
    rows = stored(any_sessions)
    assert set(rows) == set(first.keys[Change.CREATED])
    assert {row.sid for row in rows.values()} == set(fake_twilio.contents)
    row = rows["list-picker:7:es"]
    made = fake_twilio.contents[row.sid]
    assert (made.friendly_name, made.language) == ("citabot_list_7_es", "es")
    assert row.definition_hash == definition_hash(interactive.definition(LIST_PICKER, 7, "es"))

    second = sync(any_sessions, twilio, ACCOUNT_SID, LANGUAGES)

    assert second.count(Change.UNCHANGED) == POOL_SIZE
    assert not second.changed
    assert (fake_twilio.content_creates, fake_twilio.content_updates) == (POOL_SIZE, 0)
    assert fake_twilio.content_deletes == 0
    assert {key: r.sid for key, r in stored(any_sessions).items()} == {
        key: r.sid for key, r in rows.items()
    }


def test_a_changed_definition_updates_only_its_resource_in_place(
    sessions: sessionmaker[Session],
    twilio: Client,
    fake_twilio: FakeTwilio,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sync(sessions, twilio, ACCOUNT_SID, LANGUAGES)
    before = stored(sessions)
    changing(monkeypatch, (LIST_PICKER, 7, "es"), (QUICK_REPLY, 2, "en"))

    report = sync(sessions, twilio, ACCOUNT_SID, LANGUAGES)

    assert report.keys[Change.UPDATED] == ["list-picker:7:es", "quick-reply:2:en"]
    assert report.count(Change.UNCHANGED) == POOL_SIZE - 2
    assert (fake_twilio.content_creates, fake_twilio.content_updates) == (POOL_SIZE, 2)
    after = stored(sessions)
    assert {key: row.sid for key, row in after.items()} == {
        key: row.sid for key, row in before.items()
    }
    assert fake_twilio.contents[after["list-picker:7:es"].sid].variables["1"] == "changed"
    assert after["list-picker:7:es"].definition_hash != before["list-picker:7:es"].definition_hash
    assert after["list-picker:6:es"].definition_hash == before["list-picker:6:es"].definition_hash

    again = sync(sessions, twilio, ACCOUNT_SID, LANGUAGES)

    assert not again.changed
    assert fake_twilio.content_updates == 2


def test_a_resource_deleted_at_twilio_is_made_again(
    sessions: sessionmaker[Session], twilio: Client, fake_twilio: FakeTwilio
) -> None:
    sync(sessions, twilio, ACCOUNT_SID, LANGUAGES)
    gone = stored(sessions)["list-picker:3:en"].sid
    twilio.content.v1.contents(gone).delete()

    report = sync(sessions, twilio, ACCOUNT_SID, LANGUAGES)

    assert report.keys[Change.RECREATED] == ["list-picker:3:en"]
    assert report.count(Change.UNCHANGED) == POOL_SIZE - 1
    with sessions() as session:
        sid = lookup(session, ACCOUNT_SID, LIST_PICKER, 3, "en")
    assert sid is not None and sid != gone and sid in fake_twilio.contents


def test_an_update_twilio_refuses_is_replaced_by_a_new_resource(
    sessions: sessionmaker[Session],
    twilio: Client,
    fake_twilio: FakeTwilio,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sync(sessions, twilio, ACCOUNT_SID, ["es"])
    old = stored(sessions)["quick-reply:1:es"].sid
    changing(monkeypatch, (QUICK_REPLY, 1, "es"))  # first in the pool: the next request
    fake_twilio.fail_next(status=400, code=92009)  # already submitted for approval

    report = sync(sessions, twilio, ACCOUNT_SID, ["es"])

    assert report.keys[Change.UPDATED] == ["quick-reply:1:es"]
    new = stored(sessions)["quick-reply:1:es"].sid
    assert new != old and new in fake_twilio.contents and old not in fake_twilio.contents
    assert fake_twilio.contents[new].variables["1"] == "changed"
    assert fake_twilio.content_deletes == 1


def test_an_interrupted_sync_keeps_what_it_made_and_the_next_run_goes_on(
    any_sessions: sessionmaker[Session],
    twilio: Client,
    fake_twilio: FakeTwilio,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original: Definition = interactive.definition

    def failing_at_the_first_list(kind: str, count: int, language: str) -> dict[str, object]:
        if (kind, count, language) == (LIST_PICKER, 1, "es"):
            fake_twilio.fail_next(status=503)
        return original(kind, count, language)

    monkeypatch.setattr(interactive, "definition", failing_at_the_first_list)
    with pytest.raises(SyncInterrupted) as interrupted:
        sync(any_sessions, twilio, ACCOUNT_SID, LANGUAGES)

    assert interrupted.value.key == "list-picker:1:es"
    assert "HTTP 503" in str(interrupted.value)
    made = ["quick-reply:1:es", "quick-reply:2:es", "quick-reply:3:es"]
    assert interrupted.value.report.keys[Change.CREATED] == made
    assert sorted(stored(any_sessions)) == made
    monkeypatch.setattr(interactive, "definition", original)

    report = sync(any_sessions, twilio, ACCOUNT_SID, LANGUAGES)

    assert report.keys[Change.UNCHANGED] == made
    assert report.count(Change.CREATED) == POOL_SIZE - 3
    assert len(fake_twilio.contents) == POOL_SIZE


def test_a_list_sent_with_a_synced_resource_shows_the_fitted_choices(
    sessions: sessionmaker[Session], twilio: Client, fake_twilio: FakeTwilio
) -> None:
    sync(sessions, twilio, ACCOUNT_SID, LANGUAGES)
    services = Interactive(
        "¿Qué servicio necesitas?",
        (
            Item("service:1", "Ultrasonido obstétrico de control (45 min)"),
            Item("service:2", "Consulta general", "30 min"),
            Item("service:3", "Papanicolaou"),
            Item("service:4", "Colocación de DIU"),
        ),
        "Ver todas las opciones",
    )
    kind = interactive.kind_for(4, services.items)
    assert kind == LIST_PICKER
    with sessions() as session:
        sid = lookup(session, ACCOUNT_SID, kind, 4, "es")

    twilio.messages.create(
        to="whatsapp:+5215512345678",
        from_="whatsapp:+14155238886",
        content_sid=sid,
        content_variables=json.dumps(interactive.variables(kind, services)),
    )

    shown = fake_twilio.created[-1].rendered
    assert shown is not None
    assert (shown.kind, shown.body, shown.button) == (LIST_PICKER, services.body, "Ver todas las…")
    assert [(c.id, c.title) for c in shown.choices] == [
        ("service:1", "Ultrasonido obstétrico…"),
        ("service:2", "Consulta general"),
        ("service:3", "Papanicolaou"),
        ("service:4", "Colocación de DIU"),
    ]
    assert shown.choice("service:1").description == "Ultrasonido obstétrico de control (45 min)"


def test_lookup_finds_nothing_before_a_sync_nor_in_another_account(
    sessions: sessionmaker[Session], twilio: Client
) -> None:
    with sessions() as session:
        assert lookup(session, ACCOUNT_SID, LIST_PICKER, 5, "es") is None
    sync(sessions, twilio, ACCOUNT_SID, ["es"])

    with sessions() as session:
        assert lookup(session, ACCOUNT_SID, LIST_PICKER, 5, "es") is not None
        assert lookup(session, ACCOUNT_SID, LIST_PICKER, 5, "en") is None
        assert lookup(session, "AC" + "1" * 32, LIST_PICKER, 5, "es") is None


def test_the_pool_index_says_once_what_is_missing_and_sees_a_sync(
    sessions: sessionmaker[Session], twilio: Client, caplog: pytest.LogCaptureFixture
) -> None:
    index = PoolIndex(sessions, ACCOUNT_SID, ttl=0)
    assert not index(LIST_PICKER, 5, "es") and not index(LIST_PICKER, 5, "es")
    told = [r.getMessage() for r in caplog.records if "content sync" in r.getMessage()]
    assert told == [
        "no content list-picker:5:es in the pool: these choices go as numbered text"
        " until `flask content sync` makes it"
    ]
    sync(sessions, twilio, ACCOUNT_SID, ["es"])
    assert index(LIST_PICKER, 5, "es") and index(QUICK_REPLY, 3, "es")
    assert not index(LIST_PICKER, 5, "en")


@pytest.fixture
def twilio_app(
    database_url: str, sessions: sessionmaker[Session], fake_twilio: FakeTwilio
) -> Iterator[Flask]:
    """The app with Twilio's credentials, its API at the fake (TWILIO_API_BASE_URL)."""
    app = create_app(twilio_config(database_url, fake_twilio))
    app.config["TESTING"] = True
    yield app
    get_database(app).engine.dispose()


def test_the_command_prints_what_it_created_then_that_nothing_changed(
    twilio_app: Flask, fake_twilio: FakeTwilio
) -> None:
    runner = twilio_app.test_cli_runner()

    first = runner.invoke(args=["content", "sync"])

    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[0] == "Content pool: 26 created, 0 recreated, 0 updated, 0 unchanged."
    assert lines[1].startswith("Created: quick-reply:1:es, quick-reply:2:es, ")
    assert "list-picker:10:en" in lines[1]
    assert len(lines) == 2
    assert fake_twilio.content_creates == POOL_SIZE

    second = runner.invoke(args=["content", "sync"])

    assert second.exit_code == 0, second.output
    assert second.output == "Content pool: 0 created, 0 recreated, 0 updated, 26 unchanged.\n"


def test_the_command_says_what_was_done_when_twilio_refuses(
    twilio_app: Flask, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.fail_next(status=401, code=20003)

    result = twilio_app.test_cli_runner().invoke(args=["content", "sync"])

    assert result.exit_code == 1
    assert "Content pool: 0 created, 0 recreated, 0 updated, 0 unchanged." in result.output
    assert "stopped at quick-reply:1:es: Twilio answered HTTP 401 (error 20003)" in result.output
    assert "run it again" in result.output


def test_without_twilio_the_command_says_there_is_nothing_to_sync(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["content", "sync"])

    assert result.exit_code == 1
    assert "nothing to sync" in result.output
    assert "TWILIO_ACCOUNT_SID" in result.output
