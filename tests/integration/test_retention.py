"""Retention: old message bodies keep only their length, idle conversations forget answers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from redis import Redis
from rq.registry import ScheduledJobRegistry
from sqlalchemy.orm import Session, sessionmaker

from app.background import jobs
from app.background.queues import BOOKING_QUEUE, next_retention, schedule_retention
from app.background.runtime import build_runtime, set_runtime
from app.booking.retention import forget_idle_answers, purge_message_bodies
from app.models import Conversation, MessageLog, Practice
from app.practices.clinic_file import ClinicFileError, read_clinic, read_document
from app.practices.setup import import_clinic
from app.rights import erasure
from tests.conftest import FrozenClock
from tests.factories import context, make_practice
from tests.redis_server import RedisServer

pytestmark = pytest.mark.postgres

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_clinic.yaml"
SECRET = "me duele el pecho desde ayer"  # a canary: 28 characters


def message(
    session: Session,
    profile: Practice,
    at: datetime,
    body: str = SECRET,
    status: str = "received",
    direction: str = "in",
) -> uuid.UUID:
    row = MessageLog(
        profile_id=profile.id,
        direction=direction,
        phone="+5215512345678",
        body=body,
        status=status,
        created_at=at,
        updated_at=at,
    )
    session.add(row)
    session.flush()
    return row.id


def conversation(
    session: Session, profile: Practice, phone: str, state: str, at: datetime
) -> uuid.UUID:
    row = Conversation(
        profile_id=profile.id,
        phone=phone,
        state=state,
        data={"service": "Consulta", "reason": SECRET},
        created_at=at,
        updated_at=at,
    )
    session.add(row)
    session.flush()
    return row.id


def bodies(sessions: sessionmaker[Session], *ids: uuid.UUID) -> list[str]:
    with sessions() as session:
        return [session.get_one(MessageLog, id_).body for id_ in ids]


def test_bodies_past_the_practices_retention_keep_only_their_length(
    any_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    sessions = any_sessions  # PostgreSQL and the embedded SQLite
    now = clock.now
    with sessions.begin() as session:
        usual = make_practice(session)  # 180 days
        brief = make_practice(session, message_retention_days=30)
        old = message(session, usual, now - timedelta(days=181))
        old_reply = message(session, usual, now - timedelta(days=400), "Hola 👋", "read", "out")
        recent = message(session, usual, now - timedelta(days=179))
        queued = message(session, usual, now - timedelta(days=200), status="queued")
        sending = message(session, usual, now - timedelta(days=200), status="sending")
        brief_old = message(session, brief, now - timedelta(days=31))
        brief_recent = message(session, brief, now - timedelta(days=29))
    ctx = context(sessions, clock)

    assert purge_message_bodies(ctx, batch=2) == 3

    # The length in UTF-8 bytes, which a sealed body gives without being opened: the
    # greeting's 6 characters are 9 bytes ("👋" is 4).
    assert bodies(sessions, old, old_reply, brief_old) == ["[len=28]", "[len=9]", "[len=28]"]
    assert bodies(sessions, recent, queued, sending, brief_recent) == [SECRET] * 4
    # Idempotent: a second run finds nothing, and a purged body is not measured again.
    assert purge_message_bodies(ctx, batch=2) == 0
    assert bodies(sessions, old) == ["[len=28]"]


def test_a_later_day_purges_what_has_since_come_of_age(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        first = message(session, profile, clock.now - timedelta(days=181))
        second = message(session, profile, clock.now - timedelta(days=170))
    ctx = context(sessions, clock)
    assert purge_message_bodies(ctx) == 1
    clock.advance(days=11)
    assert purge_message_bodies(ctx) == 1
    assert bodies(sessions, first, second) == ["[len=28]", "[len=28]"]


def test_conversations_idle_30_days_forget_their_answers_but_keep_their_row(
    any_sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    sessions = any_sessions  # PostgreSQL and the embedded SQLite
    now = clock.now
    with sessions.begin() as session:
        profile = make_practice(session)
        at_rest = conversation(session, profile, "+1", "menu", now - timedelta(days=31))
        stalled = conversation(session, profile, "+2", "intake_reason", now - timedelta(days=45))
        booking = conversation(session, profile, "+3", "intake_reason", now - timedelta(days=3))
        resting = conversation(session, profile, "+4", "reminder", now - timedelta(days=29))
    ctx = context(sessions, clock)

    assert forget_idle_answers(ctx) == 2
    assert forget_idle_answers(ctx) == 0

    with sessions() as session:
        rows = {id_: session.get_one(Conversation, id_) for id_ in (at_rest, stalled)}
        assert [(r.state, r.data) for r in rows.values()] == [("menu", {}), ("intake_reason", {})]
        # Its last activity is not moved: the 24-hour reset still reads it.
        assert rows[at_rest].updated_at == now - timedelta(days=31)
        for kept in (booking, resting):
            assert session.get_one(Conversation, kept).data["reason"] == SECRET


def test_the_cli_and_the_daily_job_say_what_they_did_in_counts_only(
    app: Flask, runner: FlaskCliRunner, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        message(session, profile, clock.now - timedelta(days=200))
        conversation(session, profile, "+1", "menu", clock.now - timedelta(days=40))
    set_runtime(app, build_runtime(app, clock=clock))

    result: Result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "1 message bodies purged, 1 conversations forgot their answers,"
        " 0 erasures carried out late, 0 blocked records erased at the end of their retention"
    )
    assert SECRET not in result.output
    with app.app_context():  # the daily job: the same run, nothing left to do
        assert jobs.apply_retention() == (
            "0 message bodies purged, 0 conversations forgot their answers,"
            " 0 erasures carried out late, 0 blocked records erased at the end of their retention"
        )


def demo(**changes: object) -> dict[str, Any]:
    data = read_document(DEMO)
    assert isinstance(data, dict)
    return data | changes


@pytest.mark.parametrize(
    ("days", "refused"), [(29, True), (30, False), (3650, False), (3651, True)]
)
def test_the_clinic_file_bounds_the_retention(days: int, refused: bool) -> None:
    try:
        read_clinic(demo(message_retention_days=days))
    except ClinicFileError as error:
        assert refused
        assert [p for p in error.problems if p.startswith("message_retention_days:")]
    else:
        assert not refused


def test_the_clinic_file_sets_the_retention_and_leaving_it_out_restores_180(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    def imported(data: dict[str, Any]) -> int:
        profile_id = import_clinic(sessions, read_clinic(data), clock.now).profile_id
        with sessions() as session:
            return session.get_one(Practice, profile_id).message_retention_days

    assert imported(demo(message_retention_days=365)) == 365
    assert imported(demo()) == 180


@pytest.mark.parametrize(("years", "refused"), [(0, True), (1, False), (50, False), (51, True)])
def test_the_clinic_file_bounds_the_clinical_record_years(years: int, refused: bool) -> None:
    try:
        read_clinic(demo(clinical_record_years=years))
    except ClinicFileError as error:
        assert refused
        assert [p for p in error.problems if p.startswith("clinical_record_years:")]
    else:
        assert not refused


def test_the_clinical_record_years_are_the_files_or_else_the_countrys(
    sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    """The demo practice is in Mexico: its law's 5 years unless the file says otherwise."""

    def kept_for(data: dict[str, Any]) -> int:
        profile_id = import_clinic(sessions, read_clinic(data), clock.now).profile_id
        with sessions() as session:
            practice = session.get_one(Practice, profile_id)
            visit = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
            return erasure.kept_until(practice, visit).year - visit.year

    assert kept_for(demo(clinical_record_years=12)) == 12
    assert kept_for(demo()) == 5


def test_the_daily_run_is_booked_once_a_day_at_four_utc(redis_server: RedisServer) -> None:
    connection = Redis.from_url(redis_server.url)
    evening = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    assert next_retention(evening) == datetime(2026, 12, 2, 4, 0, tzinfo=UTC)
    assert schedule_retention(connection, evening) is True
    assert schedule_retention(connection, evening + timedelta(hours=4)) is False
    # Once its hour has passed, the next day's is booked.
    assert schedule_retention(connection, evening + timedelta(hours=5)) is True
    registry = ScheduledJobRegistry(BOOKING_QUEUE, connection=connection)
    assert sorted(registry.get_job_ids()) == ["retention-2026-12-02", "retention-2026-12-03"]
    connection.close()
