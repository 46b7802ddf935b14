"""Availability rules -> slots, as pure functions: grid, capacity, dates, closures, DST."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from app.scheduling.rules import Closure, Schedule, Service, SlotSpec, WeeklyWindow, desired_slots

MEXICO_CITY = ZoneInfo("America/Mexico_City")
SANTIAGO = ZoneInfo("America/Santiago")
MONDAY = date(2026, 12, 7)  # the seed numbers weekdays 0 = Sunday ... 6 = Saturday
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
CONSULTA = Service(uuid.UUID(int=1), 30)


def window(
    day_of_week: int, start: str, end: str, slot: int = 30, **fields: object
) -> WeeklyWindow:
    return WeeklyWindow(
        day_of_week=day_of_week,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        slot_duration=slot,
        **fields,  # type: ignore[arg-type]
    )


def slots(
    *windows: WeeklyWindow,
    services: tuple[Service, ...] = (CONSULTA,),
    first_day: date = MONDAY,
    last_day: date | None = None,
    now: datetime = LONG_AGO,
    zone: ZoneInfo = MEXICO_CITY,
    closures: tuple[Closure, ...] = (),
) -> list[SlotSpec]:
    schedule = Schedule(zone=zone, windows=windows, services=services, closures=closures)
    return list(
        desired_slots(schedule, first_day=first_day, last_day=last_day or first_day, now=now)
    )


def local(specs: list[SlotSpec], zone: ZoneInfo = MEXICO_CITY) -> list[str]:
    """Each slot as 'YYYY-MM-DD HH:MM-HH:MM' on the practice's clock."""
    return [
        f"{spec.start.astimezone(zone):%Y-%m-%d %H:%M}-{spec.end.astimezone(zone):%H:%M}"
        for spec in specs
    ]


def test_a_week_with_buffer_steps_by_slot_plus_buffer_and_slots_last_the_service() -> None:
    # Monday and Wednesday, 09:00-11:00, a 30-minute grid plus 10 minutes of buffer.
    rules = [window(day, "09:00", "11:00", slot=30, buffer_time=10) for day in (1, 3)]
    week = slots(*rules, first_day=MONDAY, last_day=MONDAY + timedelta(days=6))

    assert local(week) == [
        "2026-12-07 09:00-09:30",
        "2026-12-07 09:40-10:10",
        "2026-12-07 10:20-10:50",
        "2026-12-09 09:00-09:30",
        "2026-12-09 09:40-10:10",
        "2026-12-09 10:20-10:50",
    ]
    assert all(spec.start.tzinfo is not None and spec.capacity == 1 for spec in week)
    assert week[0].start == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # UTC-6 in December


def test_a_slot_lasts_the_service_duration_and_never_crosses_the_window_end() -> None:
    short, long = Service(uuid.UUID(int=1), 20), Service(uuid.UUID(int=2), 45)
    day = slots(window(1, "09:00", "10:30", slot=30, buffer_time=10), services=(short, long))

    assert [(spec.service_id.int, *local([spec])) for spec in day] == [
        (1, "2026-12-07 09:00-09:20"),
        (2, "2026-12-07 09:00-09:45"),
        (1, "2026-12-07 09:40-10:00"),
        (2, "2026-12-07 09:40-10:25"),
    ]  # 10:20 is on the grid, but neither 10:20-10:40 nor 10:20-11:05 ends by 10:30


def test_every_slot_of_a_window_offers_its_capacity() -> None:
    day = slots(window(1, "09:00", "10:00", capacity=3))

    assert local(day) == ["2026-12-07 09:00-09:30", "2026-12-07 09:30-10:00"]
    assert {spec.capacity for spec in day} == {3}


def test_overlapping_windows_offer_a_start_once_with_the_larger_capacity() -> None:
    day = slots(window(1, "09:00", "10:00", capacity=1), window(1, "09:30", "10:30", capacity=2))

    assert [(*local([spec]), spec.capacity) for spec in day] == [
        ("2026-12-07 09:00-09:30", 1),
        ("2026-12-07 09:30-10:00", 2),
        ("2026-12-07 10:00-10:30", 2),
    ]


def test_effective_dates_bound_a_rule_inclusively_and_none_means_always() -> None:
    bounds = {"effective_from": date(2026, 12, 9), "effective_to": date(2026, 12, 16)}
    bounded = [window(day, "09:00", "09:30", **bounds) for day in range(7)]
    always = [window(day, "12:00", "12:30", effective_from=None) for day in range(7)]

    def open_days(rules: list[WeeklyWindow]) -> list[int]:
        fortnight = slots(*rules, last_day=date(2026, 12, 20))
        return sorted({spec.start.astimezone(MEXICO_CITY).day for spec in fortnight})

    assert open_days(bounded) == list(range(9, 17))
    assert open_days(always) == list(range(7, 21))


def test_only_from_or_only_to_leaves_the_other_side_open() -> None:
    from_only = window(1, "09:00", "09:30", effective_from=date(2026, 12, 14))
    to_only = window(1, "10:00", "10:30", effective_to=date(2026, 12, 14))
    mondays = slots(from_only, to_only, last_day=date(2026, 12, 21))

    assert local(mondays) == [
        "2026-12-07 10:00-10:30",
        "2026-12-14 09:00-09:30",
        "2026-12-14 10:00-10:30",
        "2026-12-21 09:00-09:30",
    ]


def test_a_closed_day_has_no_slots_and_a_closed_range_removes_what_it_overlaps() -> None:
    rules = [window(day, "09:00", "11:00") for day in (1, 2)]
    closures = (
        Closure(MONDAY),
        Closure(MONDAY + timedelta(days=1), time(9, 45), time(10, 30)),
    )
    two_days = slots(*rules, last_day=MONDAY + timedelta(days=1), closures=closures)

    assert local(two_days) == ["2026-12-08 09:00-09:30", "2026-12-08 10:30-11:00"]


def test_nothing_starts_in_the_past_or_at_this_very_instant() -> None:
    now = datetime(2026, 12, 7, 10, 0, tzinfo=MEXICO_CITY)
    day = slots(window(1, "09:00", "11:00"), now=now)

    assert local(day) == ["2026-12-07 10:30-11:00"]


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [
        # Fall back: at 00:00 (-03) the clock returns to 23:00 (-04) of the day before.
        (datetime(2026, 4, 5, 3, tzinfo=UTC), -3, -4),
        (datetime(2027, 4, 4, 3, tzinfo=UTC), -3, -4),
        # Spring forward: at 00:00 (-04) the clock jumps to 01:00 (-03).
        (datetime(2026, 9, 6, 4, tzinfo=UTC), -4, -3),
        (datetime(2027, 9, 5, 4, tzinfo=UTC), -4, -3),
    ],
)
def test_santiago_changes_its_clock_on_the_dates_these_tests_use(
    change: datetime, before: int, after: int
) -> None:
    just_before = change - timedelta(seconds=1)
    assert just_before.astimezone(SANTIAGO).utcoffset() == timedelta(hours=before)
    assert change.astimezone(SANTIAGO).utcoffset() == timedelta(hours=after)


@pytest.mark.parametrize("saturday", [date(2026, 4, 4), date(2027, 4, 3)])
def test_a_repeated_wall_time_in_santiago_is_offered_once_at_its_first_occurrence(
    saturday: date,
) -> None:
    quarter_hour = (Service(uuid.UUID(int=1), 15),)
    rule = window(6, "23:00", "23:59", slot=15)
    night = slots(rule, services=quarter_hour, first_day=saturday, zone=SANTIAGO)

    first_occurrence = datetime.combine(saturday, time(23), tzinfo=UTC) + timedelta(hours=3)
    assert [spec.start for spec in night] == [
        first_occurrence + timedelta(minutes=minutes) for minutes in (0, 15, 30)
    ]
    # 23:45 would end at the second 00:00 (-03 -> -04 is 23:00): after the window closes.
    assert local(night, SANTIAGO) == [
        f"{saturday} 23:00-23:15",
        f"{saturday} 23:15-23:30",
        f"{saturday} 23:30-23:45",
    ]


@pytest.mark.parametrize("sunday", [date(2026, 9, 6), date(2027, 9, 5)])
def test_a_wall_time_that_does_not_exist_in_santiago_is_skipped(sunday: date) -> None:
    rule = window(0, "00:00", "02:00")
    week_before = slots(rule, first_day=sunday - timedelta(days=7), zone=SANTIAGO)
    change_day = slots(rule, first_day=sunday, zone=SANTIAGO)

    assert [spec.start.astimezone(SANTIAGO).strftime("%H:%M") for spec in week_before] == [
        "00:00",
        "00:30",
        "01:00",
        "01:30",
    ]
    assert local(change_day, SANTIAGO) == [f"{sunday} 01:00-01:30", f"{sunday} 01:30-02:00"]
    assert [spec.start.hour for spec in change_day] == [4, 4]  # UTC: 01:00 and 01:30 at -03


def test_a_window_ending_in_a_gap_closes_when_the_clock_jumps() -> None:
    # New York, 2026-03-08: 02:00 EST becomes 03:00 EDT, so 02:30 never shows.
    hour = (Service(uuid.UUID(int=1), 60),)
    sunday = date(2026, 3, 8)
    rule = window(0, "01:00", "02:30")
    early = slots(rule, services=hour, first_day=sunday, zone=ZoneInfo("America/New_York"))

    # 01:00-02:00 EST ends as the clock jumps; 01:30 would run until 03:30 EDT.
    assert [(spec.start, spec.end) for spec in early] == [
        (datetime(2026, 3, 8, 6, tzinfo=UTC), datetime(2026, 3, 8, 7, tzinfo=UTC))
    ]


@pytest.mark.parametrize(
    "day",
    # Former DST days (first Sunday of April, last of October) and both seasons.
    [date(2026, 1, 5), date(2026, 4, 5), date(2026, 7, 6), date(2026, 10, 25), date(2027, 4, 4)],
)
def test_mexico_city_stays_at_utc_minus_six_all_year(day: date) -> None:
    rule = window(day.isoweekday() % 7, "09:00", "10:00")

    assert [spec.start for spec in slots(rule, first_day=day)] == [
        datetime.combine(day, time(15), tzinfo=UTC),
        datetime.combine(day, time(15, 30), tzinfo=UTC),
    ]


# Property tests: random rules, days and zones against a brute-force reading of the clock.

ZONES = [
    "America/Santiago",
    "America/Mexico_City",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",  # changes by 30 minutes
    "Asia/Kolkata",
    "UTC",
]
# The 2026/2027 clock changes of those zones, to the hour (found with zoneinfo).
CHANGES = [
    ("America/Santiago", datetime(2026, 4, 5, 3, tzinfo=UTC)),  # 00:00 -> 23:00 the day before
    ("America/Santiago", datetime(2026, 9, 6, 4, tzinfo=UTC)),  # 00:00 -> 01:00
    ("America/Santiago", datetime(2027, 4, 4, 3, tzinfo=UTC)),
    ("America/Santiago", datetime(2027, 9, 5, 4, tzinfo=UTC)),
    ("America/New_York", datetime(2026, 3, 8, 7, tzinfo=UTC)),
    ("America/New_York", datetime(2026, 11, 1, 6, tzinfo=UTC)),
    ("Europe/London", datetime(2026, 3, 29, 1, tzinfo=UTC)),
    ("Europe/London", datetime(2027, 10, 31, 1, tzinfo=UTC)),
    ("Australia/Lord_Howe", datetime(2026, 4, 4, 15, tzinfo=UTC)),  # 02:00 -> 01:30
    ("Australia/Lord_Howe", datetime(2026, 10, 3, 15, 30, tzinfo=UTC)),  # 02:00 -> 02:30
]
LAST_MINUTE = 24 * 60 - 1


def days(first_day: date, last_day: date) -> Iterator[date]:
    while first_day <= last_day:
        yield first_day
        first_day += timedelta(days=1)


def wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


@st.composite
def near_a_change(draw: st.DrawFn) -> tuple[ZoneInfo, datetime]:
    """A zone and a local moment at most 90 minutes from one of its clock changes."""
    name, change = draw(st.sampled_from(CHANGES))
    zone = ZoneInfo(name)
    return zone, wall(change + timedelta(minutes=draw(st.integers(-90, 90))), zone)


@st.composite
def anywhere(draw: st.DrawFn) -> tuple[ZoneInfo, datetime]:
    """Any zone, any local moment of 2026-2027."""
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    return zone, draw(st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31)))


@st.composite
def weekly_windows(draw: st.DrawFn, around: datetime) -> WeeklyWindow:
    """A window, most often open on the day of `around` from before it until after it."""
    minute = around.hour * 60 + around.minute
    start = draw(st.one_of(st.integers(max(0, minute - 180), minute), st.integers(0, LAST_MINUTE)))
    start = min(start, LAST_MINUTE - 1)
    latest = min(start + 6 * 60, LAST_MINUTE)
    beyond = st.integers(min(max(start + 1, minute + 30), latest), latest)
    close_by = st.integers(minute - 60, minute + 60).map(
        lambda end: min(max(end, start + 1), latest)
    )
    end = draw(st.one_of(beyond, close_by, st.integers(start + 1, latest)))
    # Mostly unbounded; else a date near `around`, either side, in any order.
    near = st.integers(-2, 2).map(lambda days: around.date() + timedelta(days=days))
    effective = st.one_of(st.none(), st.none(), near)
    return WeeklyWindow(
        day_of_week=draw(st.one_of(st.just(around.isoweekday() % 7), st.integers(0, 6))),
        start=time(*divmod(start, 60)),
        end=time(*divmod(end, 60)),
        slot_duration=draw(st.integers(5, 120)),
        buffer_time=draw(st.one_of(st.just(0), st.integers(0, 30))),
        capacity=draw(st.integers(1, 3)),
        effective_from=draw(effective),
        effective_to=draw(effective),
    )


@st.composite
def closures(draw: st.DrawFn, around: datetime, first_day: date, last_day: date) -> Closure:
    """A closed day, or a closed time range, most often near `around` on its day."""
    day = draw(st.one_of(st.just(around.date()), st.sampled_from(list(days(first_day, last_day)))))
    if draw(st.integers(0, 3)) == 0:
        return Closure(day)
    minute = around.hour * 60 + around.minute
    near = st.integers(minute - 120, minute + 60).map(
        lambda start: min(max(start, 0), LAST_MINUTE - 1)
    )
    start = draw(st.one_of(near, st.integers(0, LAST_MINUTE - 1)))
    end = draw(st.integers(start + 1, min(start + 180, LAST_MINUTE)))
    return Closure(day, time(*divmod(start, 60)), time(*divmod(end, 60)))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Schedule, date, date, datetime]:
    zone, around = draw(st.one_of(near_a_change(), anywhere()))
    first_day = around.date() - timedelta(days=draw(st.integers(0, 1)))
    last_day = around.date() + timedelta(days=draw(st.integers(0, 2)))
    minutes = st.one_of(st.sampled_from([15, 20, 30, 45, 60]), st.integers(5, 180))
    durations = draw(st.lists(minutes, min_size=1, max_size=2))
    services = tuple(Service(uuid.uuid4(), minutes) for minutes in durations)
    windows = tuple(draw(st.lists(weekly_windows(around), min_size=1, max_size=3)))
    # A day either side of the range too: its closures must touch nothing.
    margin = timedelta(days=1)
    closed = tuple(
        draw(st.lists(closures(around, first_day - margin, last_day + margin), max_size=3))
    )
    # Mostly a little before `around`, sometimes just after it.
    now = around.replace(tzinfo=zone) - timedelta(minutes=draw(st.integers(-60, 2 * 24 * 60)))
    schedule = Schedule(zone=zone, windows=windows, services=services, closures=closed)
    return schedule, first_day, last_day, now


def first_occurrence(wall_time: datetime, zone: ZoneInfo) -> datetime | None:
    """The earliest instant the clock shows `wall_time`, found by trying both offsets."""
    candidates = {wall_time.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)}
    return min((c for c in candidates if wall(c, zone) == wall_time), default=None)


def highest_reading(start: datetime, end: datetime, zone: ZoneInfo) -> datetime:
    """The latest wall time the clock shows during [start, end).

    The clock runs forward except when the offset changes, on a whole minute; so the
    highest reading is just before the end or just before one of those minutes.
    """
    last = end - timedelta(microseconds=1)
    if start.astimezone(zone).utcoffset() == last.astimezone(zone).utcoffset():
        return wall(last, zone)
    minutes = int((end - start) / timedelta(minutes=1))
    return max(wall(start + timedelta(minutes=n) - timedelta(microseconds=1), zone)
               for n in range(1, minutes + 1))  # fmt: skip


def first_reading_from(wall_time: datetime, zone: ZoneInfo) -> datetime:
    """The first instant the clock shows `wall_time` or later, found minute by minute.

    Offsets change on whole minutes, so the answer is a whole minute; three hours
    before the naive conversion the clock still shows less, whatever the zone does.
    """
    instant = wall_time.replace(tzinfo=zone).astimezone(UTC) - timedelta(hours=3)
    assert wall(instant, zone) < wall_time
    while wall(instant, zone) < wall_time:
        instant += timedelta(minutes=1)
    return instant


def closed_ranges(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """The day's closed time ranges as instants: from the first reading of the start
    (or later) to the first reading of the end (or later)."""
    return [
        (
            first_reading_from(datetime.combine(day, closure.start), schedule.zone),
            first_reading_from(datetime.combine(day, closure.end), schedule.zone),
        )
        for closure in schedule.closures
        if closure.day == day and closure.start is not None and closure.end is not None
    ]


def closed_days(schedule: Schedule) -> set[date]:
    return {closure.day for closure in schedule.closures if closure.start is None}


def in_effect(rule: WeeklyWindow, day: date) -> bool:
    """The rule's weekday, inside its effective dates (inclusive, None: unbounded)."""
    return (
        rule.day_of_week == day.isoweekday() % 7
        and (rule.effective_from is None or rule.effective_from <= day)
        and (rule.effective_to is None or day <= rule.effective_to)
    )


def grid(rule: WeeklyWindow, day: date) -> Iterator[datetime]:
    step = timedelta(minutes=rule.slot_duration + rule.buffer_time)
    wall_time, end = datetime.combine(day, rule.start), datetime.combine(day, rule.end)
    while wall_time < end:
        yield wall_time
        wall_time += step


def expected(
    schedule: Schedule, first_day: date, last_day: date, now: datetime
) -> dict[tuple[uuid.UUID, datetime], tuple[datetime, int]]:
    """(service, start) -> (end, capacity): every grid start the clock shows after `now`
    on a day that is not closed, whose slot ends before the clock first shows the
    window's end and meets none of the day's closed ranges."""
    wanted: dict[tuple[uuid.UUID, datetime], tuple[datetime, int]] = {}
    for day in days(first_day, last_day):
        if day in closed_days(schedule):
            continue
        closed = closed_ranges(schedule, day)
        for rule in schedule.windows:
            if not in_effect(rule, day):
                continue
            closes = datetime.combine(day, rule.end)
            for wall_time in grid(rule, day):
                start = first_occurrence(wall_time, schedule.zone)
                if start is None or start <= now:
                    continue
                for service in schedule.services:
                    end = start + timedelta(minutes=service.duration)
                    if highest_reading(start, end, schedule.zone) >= closes:
                        continue
                    if any(start < until and since < end for since, until in closed):
                        continue
                    _, capacity = wanted.get((service.id, start), (end, 0))
                    wanted[service.id, start] = (end, max(capacity, rule.capacity))
    return wanted


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_random_rules_give_exactly_the_slots_the_clock_allows(
    scenario: tuple[Schedule, date, date, datetime],
) -> None:
    schedule, first_day, last_day, now = scenario
    zone = schedule.zone
    made = list(desired_slots(schedule, first_day=first_day, last_day=last_day, now=now))
    durations = {service.id: timedelta(minutes=service.duration) for service in schedule.services}

    offsets = {instant.astimezone(zone).utcoffset() for spec in made for instant in spec[1:3]}
    event("slots on both sides of a clock change" if len(offsets) > 1 else "one offset")
    event("with closures" if schedule.closures else "no closures")
    bounded = any(rule.effective_from or rule.effective_to for rule in schedule.windows)
    event("with effective dates" if bounded else "unbounded rules")
    shut = closed_days(schedule)
    closed = [
        closed_range
        for day in days(first_day - timedelta(days=1), last_day + timedelta(days=1))
        for closed_range in closed_ranges(schedule, day)
    ]
    keys = [(spec.service_id, spec.start) for spec in made]
    assert len(keys) == len(set(keys)), "a (service, start) offered twice"
    for spec in made:
        assert spec.start > now
        assert spec.end - spec.start == durations[spec.service_id]
        shown = spec.start.astimezone(zone)
        assert shown.fold == 0, "a repeated wall time must be offered at its first occurrence"
        assert first_day <= shown.date() <= last_day
        assert shown.date() not in shut, f"{spec} is on a closed day"
        assert not any(spec.start < until and since < spec.end for since, until in closed), (
            f"{spec} overlaps a closed range"
        )
        assert any(
            in_effect(rule, shown.date())
            and shown.replace(tzinfo=None) in set(grid(rule, shown.date()))
            and highest_reading(spec.start, spec.end, zone)
            < datetime.combine(shown.date(), rule.end)
            for rule in schedule.windows
        ), f"{spec} is outside every window in effect that day on the practice's clock"
    assert {key: (spec.end, spec.capacity) for key, spec in zip(keys, made, strict=True)} == (
        expected(schedule, first_day, last_day, now)
    )
