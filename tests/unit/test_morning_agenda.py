"""When the doctor's morning agenda is owed: pure rules, and the clinic file's `agenda_hour`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.booking.morning_agenda import agenda_owed, agenda_time
from app.practices.clinic_file import read_clinic
from tests.unit.test_clinic_file import VALID, problems_of

DUE = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # 07:00 in Mexico City


def test_the_agenda_hour_is_local_wall_clock_time() -> None:
    assert agenda_time(date(2026, 12, 3), 7, "America/Mexico_City") == DUE
    assert agenda_time(date(2026, 12, 3), 7, "Europe/Madrid") == datetime(
        2026, 12, 3, 6, tzinfo=UTC
    )


def test_an_hour_skipped_by_daylight_saving_falls_at_the_jump() -> None:
    # New York springs from 02:00 to 03:00 (EST to EDT) on 8 March 2026: 07:00 UTC.
    jump = datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert agenda_time(date(2026, 3, 8), 2, "America/New_York") == jump


@pytest.mark.parametrize(
    ("now", "starts", "owed"),
    [
        (DUE - timedelta(seconds=1), [DUE + timedelta(hours=2)], False),  # not yet
        (DUE, [DUE + timedelta(hours=2)], True),
        (DUE + timedelta(hours=3), [DUE + timedelta(hours=2), DUE + timedelta(hours=4)], True),
        (DUE + timedelta(hours=4), [DUE + timedelta(hours=2), DUE + timedelta(hours=4)], False),
        (DUE, [], False),  # nothing booked
    ],
)
def test_owed_from_its_hour_until_the_last_appointment_begins(
    now: datetime, starts: list[datetime], owed: bool
) -> None:
    assert agenda_owed(now, DUE, starts) is owed


def test_the_clinic_file_sets_the_agenda_hour() -> None:
    assert read_clinic(VALID).agenda_hour == 7
    assert read_clinic(VALID | {"agenda_hour": 9}).agenda_hour == 9


@pytest.mark.parametrize("hour", [24, -1, "07:00", 7.5, True])
def test_an_agenda_hour_that_is_not_an_hour_of_the_day_is_named(hour: object) -> None:
    assert any(
        line.startswith("agenda_hour:") for line in problems_of(VALID | {"agenda_hour": hour})
    )
