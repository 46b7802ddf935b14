"""The days offered to a patient: read a page of slots at a time, never the whole horizon."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from app.models import TimeSlot
from app.scheduling import search
from tests.conftest import FrozenClock
from tests.factories import make_practice, make_service, make_slot

ZONE = ZoneInfo("America/Mexico_City")
FIRST_DAY = date(2026, 12, 2)  # the clock stands at 2026-12-01 09:00 in Mexico City


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


@pytest.fixture
def practice(sessions: sessionmaker[Session]) -> tuple[object, object]:
    """Ten days of four free 30-minute slots; on the third day every slot is taken."""
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        for n in range(10):
            day = FIRST_DAY + timedelta(days=n)
            for hour in (9, 10, 11, 12):
                slot = make_slot(session, service, at(day, hour))
                if n == 2:
                    slot.current_reservations = 1
        session.expunge_all()
        return profile, service.id


def free_days(
    sessions: sessionmaker[Session], practice: tuple[object, object], now: datetime, limit: int
) -> tuple[list[date], int]:
    """The free days, and how many queries of time slots it took to find them."""
    profile, service_id = practice
    statements: list[str] = []

    def seen(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    with sessions() as session:
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            days = search.free_days(session, profile, service_id, now, limit)  # type: ignore[arg-type]
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    return days, sum(TimeSlot.__tablename__ in statement for statement in statements)


@pytest.mark.parametrize("page", [3, 4, 5, 200])
def test_the_same_days_come_whatever_the_page_size(
    sessions: sessionmaker[Session],
    practice: tuple[object, object],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    page: int,
) -> None:
    monkeypatch.setattr(search, "DAYS_PAGE_ROWS", page)
    expected = [FIRST_DAY + timedelta(days=n) for n in (0, 1, 3, 4, 5, 6, 7)]

    days, _ = free_days(sessions, practice, clock(), 7)

    assert days == expected


def test_a_full_page_reads_on_and_a_short_one_stops(
    sessions: sessionmaker[Session],
    practice: tuple[object, object],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search, "DAYS_PAGE_ROWS", 4)  # one day's slots per page

    few, few_queries = free_days(sessions, practice, clock(), 2)
    every, every_queries = free_days(sessions, practice, clock(), 30)

    assert (few, few_queries) == ([FIRST_DAY, FIRST_DAY + timedelta(days=1)], 2)
    assert len(every) == 9  # ten days, one of them full
    assert every_queries == 10  # nine full pages, then an empty one
