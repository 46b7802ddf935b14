"""Follow-up work leaves the process only when its transaction commits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.booking.requests import approve_request, hold_slot
from app.db import make_sessionmaker
from app.followups import FollowUp, dispatch_after_commit, follow_up
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_profile, make_service, make_slot


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[FollowUp]] = []

    def dispatch(self, followups: list[FollowUp]) -> None:
        self.batches.append(followups)


class Broken:
    def dispatch(self, followups: list[FollowUp]) -> None:
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
        follow_up(session, "deliver_message", "1")
        raise RuntimeError("the use case failed")
    assert recorder.batches == []
    with factory.begin() as session:
        follow_up(session, "deliver_message", "2")
        assert recorder.batches == []
    assert recorder.batches == [[FollowUp("deliver_message", ("2",))]]


def test_a_hold_asks_for_delivery_and_expiry_and_approval_for_reminders(
    recorded: tuple[sessionmaker[Session], Recorder], clock: FrozenClock
) -> None:
    factory, recorder = recorded
    with factory.begin() as session:
        profile = make_profile(session)
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
        profile = make_profile(session)
        slot = make_slot(session, make_service(session, profile), clock.now + timedelta(days=2))
    hold = hold_slot(
        context(factory, clock), profile_id=profile.id, slot_id=slot.id, intake=intake()
    )
    assert hold.code
