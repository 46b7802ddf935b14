"""Follow-up work leaves the process only when its transaction commits."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from app.background.after_commit import OwedJob, dispatch_after_commit, run_after_commit
from app.booking.notifications import Notification, queue_notifications
from app.booking.requests import approve_request, hold_slot
from app.config import Config
from app.db import make_sessionmaker
from app.messaging import delivery
from app.messaging.delivery import build_delivery_context
from app.models import MessageLog, MessageStatus
from bot_flows.texts import template_value
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[OwedJob]] = []

    def dispatch(self, jobs_owed: list[OwedJob]) -> None:
        self.batches.append(jobs_owed)


class Broken:
    def dispatch(self, jobs_owed: list[OwedJob]) -> None:
        raise ConnectionError("redis is down")


@pytest.fixture
def recorded(engine: Engine, sessions: sessionmaker[Session]) -> tuple[sessionmaker, Recorder]:
    factory = make_sessionmaker(engine)
    recorder = Recorder()
    dispatch_after_commit(factory, recorder)
    return factory, recorder


def test_nothing_leaves_before_commit_and_nothing_after_rollback(
    recorded: tuple[sessionmaker[Session], Recorder],
) -> None:
    factory, recorder = recorded
    with pytest.raises(RuntimeError), factory.begin() as session:
        run_after_commit(session, "deliver_message", "1")
        raise RuntimeError("the use case failed")
    assert recorder.batches == []
    with factory.begin() as session:
        run_after_commit(session, "deliver_message", "2")
        assert recorder.batches == []
    assert recorder.batches == [[OwedJob("deliver_message", ("2",))]]


def test_a_hold_asks_for_delivery_and_expiry_and_approval_for_reminders(
    recorded: tuple[sessionmaker[Session], Recorder], clock: FrozenClock
) -> None:
    factory, recorder = recorded
    with factory.begin() as session:
        profile = make_practice(session)
        slot = make_slot(session, make_service(session, profile), clock.now + timedelta(days=2))
    ctx = context(factory, clock)
    hold = hold_slot(ctx, profile_id=profile.id, slot_id=slot.id, intake=intake())
    [jobs] = recorder.batches
    assert sorted(f.job for f in jobs) == ["deliver_message", "expire_request"]
    [expiry] = [f for f in jobs if f.job == "expire_request"]
    assert expiry.args == (str(hold.request_id),) and expiry.at == hold.expires_at

    reservation = approve_request(ctx, profile_id=profile.id, code=hold.code)
    reminders = {f.args[1]: f for f in recorder.batches[-1] if f.job == "send_reminder"}
    assert reminders["24h"].at == slot.start_time - timedelta(hours=24)
    assert reminders["2h"].at == slot.start_time - timedelta(hours=2)
    assert reminders["2h"].args == (str(reservation.id), "2h", slot.start_time.isoformat())


def test_a_broken_dispatcher_does_not_undo_the_transaction(
    engine: Engine, sessions: sessionmaker[Session], clock: FrozenClock
) -> None:
    factory = make_sessionmaker(engine)
    dispatch_after_commit(factory, Broken())
    with factory.begin() as session:
        profile = make_practice(session)
        slot = make_slot(session, make_service(session, profile), clock.now + timedelta(days=2))
    hold = hold_slot(
        context(factory, clock), profile_id=profile.id, slot_id=slot.id, intake=intake()
    )
    assert hold.code


def test_many_notifications_at_once_ask_for_one_delivery_job_per_batch(
    recorded: tuple[sessionmaker[Session], Recorder],
    sessions: sessionmaker[Session],
    clock: FrozenClock,
) -> None:
    """A sweep's 250 notifications are three delivery jobs; a batch job delivers its messages."""
    factory, recorder = recorded
    with factory.begin() as session:
        profile = make_practice(session)
        notifications = [
            Notification(profile.id, "patient_approved", f"+52559{n:07d}", "es", f"batch:{n}")
            for n in range(250)
        ]
        queue_notifications(
            session, notifications, lambda notification: f"Hola {notification.phone}", clock.now
        )
    [jobs] = recorder.batches
    assert [(f.job, len(f.args)) for f in jobs] == [("deliver_messages", n) for n in (100, 100, 50)]
    with sessions() as session:
        queued = set(session.scalars(select(MessageLog.id)))
    assert {uuid.UUID(arg) for f in jobs for arg in f.args} == queued

    console = build_delivery_context(
        Config(messaging_backend="console"), sessions, clock, template_value=template_value
    )
    first = [uuid.UUID(arg) for arg in jobs[0].args]
    assert delivery.deliver_messages(console, first) == {"sent": 100}
    assert delivery.deliver_messages(console, first) == {"skipped": 100}  # run twice: no effect
    with sessions() as session:
        statuses = Counter(session.scalars(select(MessageLog.status)))
    assert statuses == {MessageStatus.SENT: 100, MessageStatus.QUEUED: 150}


def test_a_released_savepoint_dispatches_nothing_until_the_outer_commit(
    recorded: tuple[sessionmaker[Session], Recorder],
) -> None:
    # The webhook runs booking use cases as savepoints of the message's transaction
    # (app.db.Savepoints): a job handed over when the savepoint is released runs
    # before the outer commit makes its rows visible, finds nothing and ends.
    factory, recorder = recorded
    with factory.begin() as session:
        with session.begin_nested():
            run_after_commit(session, "deliver_message", "1")
        assert recorder.batches == []
        run_after_commit(session, "deliver_message", "2")
        assert recorder.batches == []
    assert recorder.batches == [
        [OwedJob("deliver_message", ("1",)), OwedJob("deliver_message", ("2",))]
    ]


def test_a_released_savepoint_of_a_rolled_back_transaction_dispatches_nothing(
    recorded: tuple[sessionmaker[Session], Recorder],
) -> None:
    factory, recorder = recorded
    with pytest.raises(RuntimeError), factory.begin() as session:
        with session.begin_nested():
            run_after_commit(session, "deliver_message", "1")
        raise RuntimeError("the message's transaction failed after the hold")
    assert recorder.batches == []
    with factory.begin() as session:
        run_after_commit(session, "deliver_message", "2")
    assert recorder.batches == [[OwedJob("deliver_message", ("2",))]]


def test_a_rolled_back_savepoint_drops_only_its_own_jobs(
    recorded: tuple[sessionmaker[Session], Recorder],
) -> None:
    factory, recorder = recorded
    with factory.begin() as session:
        run_after_commit(session, "deliver_message", "before")
        with pytest.raises(RuntimeError), session.begin_nested():
            run_after_commit(session, "deliver_message", "refused")
            with session.begin_nested():
                run_after_commit(session, "deliver_message", "inner")
            raise RuntimeError("the hold was refused")
        with session.begin_nested():
            run_after_commit(session, "expire_request", "kept")
    assert recorder.batches == [
        [OwedJob("deliver_message", ("before",)), OwedJob("expire_request", ("kept",))]
    ]
