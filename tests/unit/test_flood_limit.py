"""The flood limit: a bucket of 30 messages, one back every 2 seconds, a minute's penalty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.conversation.flood_limit import FloodCheck, FloodLimit

START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
LIMIT = FloodLimit()


def send(at_seconds: list[float], limit: FloodLimit = LIMIT) -> list[FloodCheck]:
    """Each message against the bucket the one before left, at its second after START."""
    checks: list[FloodCheck] = []
    empty_at, unread = None, 0
    for second in at_seconds:
        check = limit.check(empty_at, unread, START + timedelta(seconds=second))
        empty_at, unread = check.empty_at, check.unread
        checks.append(check)
    return checks


def test_thirty_at_once_are_read_and_the_next_is_not() -> None:
    checks = send([0] * 31)
    assert [c.read for c in checks] == [True] * 30 + [False]
    assert checks[-1].tell and checks[-1].unread == 1


def test_a_person_tapping_through_a_booking_is_never_limited() -> None:
    seventeen_in_thirty_seconds = [n * 30 / 17 for n in range(17)]
    thirty_in_thirty_seconds = [float(n) for n in range(30)]
    a_booking_then_another_at_once = [n * 30 / 17 for n in range(17)] + [30.0] * 20
    for seconds in (
        seventeen_in_thirty_seconds,
        thirty_in_thirty_seconds,
        a_booking_then_another_at_once,
    ):
        assert all(c.read for c in send(seconds))


def test_a_script_is_limited_and_told_once() -> None:
    two_hundred_in_a_minute = [n * 0.3 for n in range(200)]
    checks = send(two_hundred_in_a_minute)
    read = [c.read for c in checks]
    # Burst plus what refilled while it came: 35 read, then nothing while it keeps on.
    assert read == [True] * 35 + [False] * 165
    assert [n for n, c in enumerate(checks) if c.tell] == [35]
    assert checks[-1].unread == 165


def test_the_first_unread_of_each_run_is_told() -> None:
    checks = send([0] * 32 + [10] + [10, 10])
    assert [(c.read, c.tell) for c in checks[30:]] == [
        (False, True),
        (False, False),
        (True, False),  # ten seconds later there is room again
        (True, False),
        (True, False),
    ]
    # Ten seconds gave back five: two for the unread messages' penalty, three to read.
    again = send([0] * 32 + [10] * 4)
    assert [(c.read, c.tell) for c in again[-2:]] == [(True, False), (False, True)]


def test_a_flood_that_stops_waits_at_most_the_penalty() -> None:
    flood = send([n * 0.1 for n in range(1000)])
    stopped = START + timedelta(seconds=99.9)
    last = flood[-1]
    assert last.empty_at == stopped + 30 * LIMIT.refill + LIMIT.penalty
    later = LIMIT.refill + LIMIT.penalty
    assert not LIMIT.check(last.empty_at, last.unread, stopped + later - timedelta(seconds=1)).read
    assert LIMIT.check(last.empty_at, last.unread, stopped + later).read


def test_an_old_bucket_or_none_has_room() -> None:
    assert LIMIT.check(None, 0, START).read
    assert LIMIT.check(START - timedelta(days=1), 20, START) == FloodCheck(
        read=True, tell=False, empty_at=START + LIMIT.refill, unread=0
    )
