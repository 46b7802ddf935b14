"""Pure booking rules: transition tables, policies and request codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.booking.codes import ALPHABET, LENGTH, new_code, normalize_code
from app.booking.errors import IllegalTransition
from app.booking.policies import due_reminders, hold_deadline
from app.booking.transitions import REQUEST_TRANSITIONS, RESERVATION_TRANSITIONS, check_transition
from app.scheduling.window import BookingWindow

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("target", ["approved", "rejected", "expired", "cancelled"])
def test_a_pending_request_may_end_in_any_final_state(target: str) -> None:
    check_transition("request", "ABC123", "pending", target)


@pytest.mark.parametrize("current", ["approved", "rejected", "expired", "cancelled"])
@pytest.mark.parametrize("target", ["pending", "approved", "rejected", "expired", "cancelled"])
def test_a_finished_request_never_moves_again(current: str, target: str) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_transition("request", "ABC123", current, target)
    assert (refused.value.current, refused.value.target) == (current, target)


@pytest.mark.parametrize("target", ["cancelled", "completed", "no_show"])
def test_a_confirmed_reservation_may_be_cancelled_completed_or_missed(target: str) -> None:
    check_transition("reservation", "ABC123", "confirmed", target)


def test_finished_reservations_are_final() -> None:
    for current, targets in RESERVATION_TRANSITIONS.items():
        if current != "confirmed":
            assert targets == frozenset()
    assert set(REQUEST_TRANSITIONS) == {"pending", "approved", "rejected", "expired", "cancelled"}


WINDOW = BookingWindow(min_notice=timedelta(minutes=60), horizon=timedelta(days=60))


@pytest.mark.parametrize(
    ("offset", "refusal"),
    [
        (timedelta(0), "past"),
        (timedelta(minutes=-1), "past"),
        (timedelta(minutes=59), "too_soon"),
        (timedelta(minutes=60), None),
        (timedelta(days=60), None),
        (timedelta(days=60, seconds=1), "too_far"),
    ],
)
def test_booking_window_edges(offset: timedelta, refusal: str | None) -> None:
    assert WINDOW.refusal(NOW + offset, NOW) == refusal


def test_hold_deadline_is_now_plus_the_hold() -> None:
    assert hold_deadline(NOW, 30) == NOW + timedelta(minutes=30)


def test_reminders_are_absolute_instants_and_past_ones_are_skipped() -> None:
    start = NOW + timedelta(hours=25)
    assert due_reminders(start, NOW) == {
        "24h": NOW + timedelta(hours=1),
        "2h": NOW + timedelta(hours=23),
    }
    assert due_reminders(NOW + timedelta(hours=3), NOW) == {"2h": NOW + timedelta(hours=1)}
    assert due_reminders(NOW + timedelta(hours=1), NOW) == {}


def test_reminders_ignore_a_daylight_saving_change() -> None:
    # Santiago puts clocks forward on 2026-09-06: 24 h before still means 24 real hours.
    start = datetime(2026, 9, 6, 14, 0, tzinfo=UTC)
    reminders = due_reminders(start, start - timedelta(days=3))
    assert start - reminders["24h"] == timedelta(hours=24)


def test_codes_use_only_the_unambiguous_alphabet() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) > 1990
    for code in codes:
        assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert not set("0O1IL5S8B2Z") & set(ALPHABET)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("k7m3qx", "K7M3QX"), (" K7M 3QX ", "K7M3QX"), ("ÁCD734", "ACD734"), ("acdx", "ACDX")],
)
def test_codes_are_read_forgivingly(typed: str, code: str) -> None:
    assert normalize_code(typed) == code


@pytest.mark.parametrize("typed", ["", "acd", "ACDEFGHJK", "AC-734", "👍👍👍👍", "claro", "K7M30X"])
def test_what_is_not_a_code_is_none(typed: str) -> None:
    assert normalize_code(typed) is None


@given(st.text(max_size=40))
def test_normalize_code_never_fails(typed: str) -> None:
    code = normalize_code(typed)
    assert code is None or ((code.isalnum() and code.isupper()) or code.isdigit())
