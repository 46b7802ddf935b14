"""The attendance rules as plain functions: the no-show policy and late cancellations.

Dates are fixed (December 2026); nothing here reads the real clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.booking.attendance import Consequence, NoShowPolicy, ReleaseStep, release_step
from app.booking.policies import due_reminders, is_late_cancellation

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
START = datetime(2026, 12, 10, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("no_shows", "expected"),
    [(0, None), (1, None), (2, Consequence.APPROVAL), (5, Consequence.APPROVAL)],
)
def test_the_policy_applies_from_its_limit(no_shows: int, expected: Consequence | None) -> None:
    assert NoShowPolicy(2, 6, Consequence.APPROVAL).consequence(no_shows) == expected


@given(st.integers(min_value=0, max_value=1000))
def test_without_a_limit_there_is_never_a_consequence(no_shows: int) -> None:
    assert NoShowPolicy(None, 6, Consequence.CHAT_CLOSED).consequence(no_shows) is None


def test_no_shows_count_within_the_months_and_after_a_pardon() -> None:
    policy = NoShowPolicy(2, 6, Consequence.APPROVAL)
    assert policy.counting_since(NOW, None) == NOW - timedelta(days=180)
    pardon = NOW - timedelta(days=10)
    assert policy.counting_since(NOW, pardon) == pardon
    # A pardon older than the months changes nothing.
    assert policy.counting_since(NOW, NOW - timedelta(days=400)) == NOW - timedelta(days=180)


@pytest.mark.parametrize(
    ("hours_before", "window", "late"),
    [(30, 24, False), (24, 24, False), (23.5, 24, True), (1, 24, True), (1, 0, False)],
)
def test_a_cancellation_inside_the_window_is_late(
    hours_before: float, window: int, late: bool
) -> None:
    cancelled_at = START - timedelta(hours=hours_before)
    assert is_late_cancellation(START, cancelled_at, window) is late


def test_the_attendance_question_goes_at_the_practices_lead() -> None:
    assert due_reminders(START, NOW) == {
        "24h": START - timedelta(hours=24),
        "2h": START - timedelta(hours=2),
    }
    assert due_reminders(START, NOW, ask_hours=48)["24h"] == START - timedelta(hours=48)
    # Confirmed 30 hours ahead at a 48-hour practice: the question's time has passed.
    assert set(due_reminders(START, START - timedelta(hours=30), ask_hours=48)) == {"2h"}


@pytest.mark.parametrize(
    ("hours_before", "warned_hours_before", "expected"),
    [
        (9.5, None, None),  # too early to warn (6 + 3 hours)
        (9, None, ReleaseStep.WARN),
        (7, 9, None),  # warned; the release time has not come
        (6, 9, ReleaseStep.RELEASE),
        (5, None, ReleaseStep.WARN),  # never warned: warned first, even past the time
        (4.5, 5, None),  # warned half an hour ago
        (4, 5, ReleaseStep.RELEASE),
    ],
)
def test_an_unconfirmed_appointment_is_warned_then_freed(
    hours_before: float, warned_hours_before: float | None, expected: ReleaseStep | None
) -> None:
    now = START - timedelta(hours=hours_before)
    warned = None if warned_hours_before is None else START - timedelta(hours=warned_hours_before)
    assert release_step(START, now, 6, 24, warned) == expected


def test_the_warning_never_goes_before_the_question() -> None:
    # Asked 8 hours ahead, freed 6 ahead: warned with the question, not 9 hours ahead.
    assert release_step(START, START - timedelta(hours=8.5), 6, 8, None) is None
    assert release_step(START, START - timedelta(hours=8), 6, 8, None) == ReleaseStep.WARN
