"""The embedded dispatcher's timing, with an injected clock, and the RQ job ids."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.background.after_commit import OwedJob
from app.background.dispatch import InProcessDispatcher, job_id, scheduled_instant
from app.background.queues import TICK_PERIOD
from tests.conftest import FrozenClock

START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


class Recorder:
    def __init__(self) -> None:
        self.jobs: list[OwedJob] = []
        self.duties = 0

    def run_job(self, followup: OwedJob) -> None:
        self.jobs.append(followup)

    def run_duties(self) -> None:
        self.duties += 1


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def dispatcher(clock: FrozenClock, recorder: Recorder) -> InProcessDispatcher:
    return InProcessDispatcher(recorder.run_job, recorder.run_duties, clock=clock)


def test_follow_ups_run_at_their_time_in_time_order(
    dispatcher: InProcessDispatcher, recorder: Recorder, clock: FrozenClock
) -> None:
    later = OwedJob("expire_request", ("r2",), START + timedelta(minutes=30))
    sooner = OwedJob("expire_request", ("r1",), START + timedelta(minutes=10))
    now = OwedJob("deliver_message", ("m1",))
    dispatcher.dispatch([later, sooner, now])

    dispatcher.run_due()
    assert recorder.jobs == [now]
    assert dispatcher.seconds_to_wait() == 30  # the next duties come before `sooner`

    clock.advance(minutes=30)
    dispatcher.run_due()
    assert recorder.jobs == [now, sooner, later]
    dispatcher.run_due()
    assert len(recorder.jobs) == 3


def test_the_duties_run_at_once_then_every_period(
    dispatcher: InProcessDispatcher, recorder: Recorder, clock: FrozenClock
) -> None:
    dispatcher.run_due()
    assert recorder.duties == 1
    assert dispatcher.seconds_to_wait() == TICK_PERIOD.total_seconds()

    clock.advance(seconds=29)
    dispatcher.run_due()
    assert recorder.duties == 1
    clock.advance(seconds=1)
    dispatcher.run_due()
    assert recorder.duties == 2


def test_the_wait_is_until_the_earliest_of_the_next_job_and_the_next_duties(
    dispatcher: InProcessDispatcher, clock: FrozenClock
) -> None:
    dispatcher.run_due()
    dispatcher.dispatch([OwedJob("send_reminder", ("x", "2h", "s"), START + timedelta(seconds=7))])
    assert dispatcher.seconds_to_wait() == 7
    dispatcher.dispatch([OwedJob("deliver_message", ("m",))])
    assert dispatcher.seconds_to_wait() == 0
    clock.advance(seconds=7)
    dispatcher.run_due()
    assert dispatcher.seconds_to_wait() == 23


def test_a_failing_job_is_logged_and_the_rest_still_run(
    clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def run_job(followup: OwedJob) -> None:
        if followup.args == ("bad",):
            raise RuntimeError("database went away")
        ran.append(followup.args[0])

    dispatcher = InProcessDispatcher(run_job, lambda: None, clock=clock)
    dispatcher.dispatch([OwedJob("deliver_message", (a,)) for a in ("a", "bad", "c")])
    assert dispatcher.run_due() == 4  # three jobs and the duties
    assert ran == ["a", "c"]
    assert "background work failed" in caplog.text


def test_the_thread_wakes_up_for_new_work() -> None:
    """Real time, but synchronised on events, never on sleeps."""
    done = threading.Event()
    duties = threading.Event()
    dispatcher = InProcessDispatcher(lambda followup: done.set(), duties.set)
    dispatcher.start()
    dispatcher.start()  # a second start is harmless
    assert duties.wait(timeout=10)
    # The thread now sleeps until the next duties, 30 s away: new work must wake it.
    dispatcher.dispatch([OwedJob("deliver_message", ("m",))])
    assert done.wait(timeout=10)


def test_timed_job_ids_name_the_work_and_its_instant() -> None:
    reminder = OwedJob(
        "send_reminder",
        ("0b8e6c1e-2a5e-4c55-9a43-5f1d6f0e9a11", "24h", "2026-12-02T15:00:00+00:00"),
        START,
    )
    assert job_id(reminder, START) == (
        "send_reminder-0b8e6c1e-2a5e-4c55-9a43-5f1d6f0e9a11-24h-2026-12-02T15_00_00_00_00"
        f"-{int(START.timestamp())}"
    )
    retry = OwedJob("deliver_message", ("m1",), START)
    later = START + timedelta(seconds=30)
    assert job_id(retry, START) != job_id(retry, later)


@pytest.mark.parametrize("microseconds", [1, 400_000, 999_999])
def test_a_timed_job_is_scheduled_at_the_next_whole_second_never_before_its_time(
    microseconds: int,
) -> None:
    # RQ keeps whole seconds, cut down: 15:00:00.4 would fire at 15:00:00, too early.
    deadline = START + timedelta(minutes=30, microseconds=microseconds)
    at = scheduled_instant(deadline)
    assert deadline <= at < deadline + timedelta(seconds=1)
    assert at.microsecond == 0 and at.tzinfo == UTC
    assert scheduled_instant(START) == START  # already whole: unchanged


def test_a_timed_job_is_scheduled_in_utc_and_never_at_a_naive_instant() -> None:
    local = START.astimezone(timezone(timedelta(hours=-6)))
    assert scheduled_instant(local) == START and scheduled_instant(local).tzinfo == UTC
    with pytest.raises(ValueError, match="aware"):
        scheduled_instant(START.replace(tzinfo=None))


def test_the_daily_duty_runs_at_its_hour_then_every_day_never_at_start(
    clock: FrozenClock, recorder: Recorder
) -> None:
    daily: list[datetime] = []
    dispatcher = InProcessDispatcher(
        recorder.run_job, recorder.run_duties, clock=clock, run_daily=lambda: daily.append(clock())
    )
    dispatcher.run_due()
    assert recorder.duties == 1 and daily == []  # `make run` has just generated the slots

    hour = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # the next 03:00 UTC
    clock.now = hour - timedelta(seconds=1)
    dispatcher.run_due()
    assert daily == []
    assert dispatcher.seconds_to_wait() == 1  # sooner than the next tick: the thread wakes
    clock.now = hour
    dispatcher.run_due()
    clock.advance(hours=12)
    dispatcher.run_due()
    clock.advance(hours=12)
    dispatcher.run_due()
    assert daily == [hour, hour + timedelta(days=1)]
