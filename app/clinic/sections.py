"""The two lists of a clinic file: `services` and `availability`."""

from __future__ import annotations

from datetime import time
from itertools import combinations

from app.clinic.field_types import (
    a_list,
    a_mapping,
    calendar_date,
    clock_time,
    long_text,
    money,
    text,
    weekday,
    whole_number,
)
from app.clinic.fields import Fields, Problems, convert_at
from app.clinic.practice import DAY_NAMES, OpeningHours, Service, service_key

SERVICE_KEYS = ("name", "duration", "price", "category", "requirements", "description")
HOURS_KEYS = (
    "days",
    "start",
    "end",
    "slot_duration",
    "buffer_time",
    "max_appointments_per_slot",
    "effective_from",
    "effective_to",
)


def read_services(
    items: list[object],
    path: str,
    problems: Problems,
    opening_hours: tuple[OpeningHours, ...] = (),
) -> tuple[Service, ...]:
    """Every service, refusing an empty list and names that differ only in accents or case.

    With `opening_hours` (every entry of `availability`, all valid, so that indexes
    match the file's), a service longer than every one of them is refused too: it
    would be listed to patients and never have a free time.
    """
    if not items:
        problems.add(path, "must list at least one service")
    services: list[Service] = []
    first_index: dict[str, int] = {}
    longest = _longest(opening_hours)
    for index, item in enumerate(items):
        fields = _entry(item, f"{path}[{index}]", SERVICE_KEYS, problems)
        if fields is None:
            continue
        name = fields.required("name", text(255))
        key = service_key(name) if name else None
        if key is not None and key in first_index:
            other = f"{path}[{first_index[key]}]"
            problems.add(fields.at("name"), f"duplicate service name {name!r} (as in {other})")
        elif key:
            first_index[key] = index
        service = _service(fields, name, longest)
        if service:
            services.append(service)
    return tuple(services)


def _longest(opening_hours: tuple[OpeningHours, ...]) -> tuple[int, int] | None:
    """The longest window's length in minutes and its index (the first of equals), if any."""
    lengths = [_minutes(hours.end) - _minutes(hours.start) for hours in opening_hours]
    if not lengths:
        return None
    index = lengths.index(max(lengths))
    return lengths[index], index


def _service(fields: Fields, name: str | None, longest: tuple[int, int] | None) -> Service | None:
    duration = fields.required("duration", whole_number(1, 480, "minutes"))
    if duration is not None and longest is not None and duration > longest[0]:
        length, index = longest
        fields.problems.add(
            fields.at("duration"),
            f"{duration} minutes is longer than every availability window (the longest,"
            f" availability[{index}], is {length} minutes), so it could never be booked",
        )
    price = fields.optional("price", money, None)
    category = fields.optional("category", text(100), None)
    requirements = fields.optional("requirements", long_text, None)
    description = fields.optional("description", long_text, None)
    if not name or duration is None:
        return None
    return Service(name, duration, price, category, requirements, description)


def read_opening_hours(
    items: list[object], path: str, problems: Problems
) -> tuple[OpeningHours, ...]:
    """Every weekly window; two windows open at the same time on the same day are refused."""
    read: list[tuple[int, OpeningHours]] = []
    for index, item in enumerate(items):
        fields = _entry(item, f"{path}[{index}]", HOURS_KEYS, problems)
        hours = _opening_hours(fields) if fields else None
        if hours:
            read.append((index, hours))
    _check_overlaps(read, path, problems)
    return tuple(hours for _, hours in read)


def _check_overlaps(read: list[tuple[int, OpeningHours]], path: str, problems: Problems) -> None:
    # Two windows open at once on one day would offer the doctor's time twice.
    for (first, a), (second, b) in combinations(read, 2):
        days = sorted(set(a.days) & set(b.days))
        if days and a.start < b.end and b.start < a.end and a.shares_dates_with(b):
            names = ", ".join(DAY_NAMES[day] for day in days)
            problems.add(
                f"{path}[{second}]",
                f"{_span(b.start, b.end)} overlaps {path}[{first}] ({_span(a.start, a.end)})"
                f" on {names}",
            )


def _opening_hours(fields: Fields) -> OpeningHours | None:
    listed = fields.required("days", a_list)
    days = _days(listed, fields.at("days"), fields.problems) if listed is not None else None
    start = fields.required("start", clock_time)
    end = fields.required("end", clock_time)
    slot = fields.optional("slot_duration", whole_number(5, 480, "minutes"), 30)
    buffer = fields.optional("buffer_time", whole_number(0, 480, "minutes"), 0)
    capacity = fields.optional("max_appointments_per_slot", whole_number(1, 50), 1)
    effective_from = fields.optional("effective_from", calendar_date, None)
    effective_to = fields.optional("effective_to", calendar_date, None)
    window_fits = start is not None and end is not None and _window_fits(start, end, slot, fields)
    if effective_from and effective_to and effective_to < effective_from:
        fields.problems.add(
            fields.at("effective_to"),
            f"must not be before effective_from ({effective_from.isoformat()})",
        )
    if not days or start is None or end is None or not window_fits:
        return None
    return OpeningHours(days, start, end, slot, buffer, capacity, effective_from, effective_to)


def _window_fits(start: time, end: time, slot: int, fields: Fields) -> bool:
    """Whether at least one slot fits between `start` and `end`; if not, says why."""
    length = _minutes(end) - _minutes(start)
    if length <= 0:
        fields.problems.add(fields.at("end"), f"must be after start ({start:%H:%M})")
    elif length < slot:
        fields.problems.add(
            fields.path,
            f"{_span(start, end)} is shorter than one slot ({slot} minutes),"
            " so no appointment fits",
        )
    return length >= slot


def _days(listed: list[object], path: str, problems: Problems) -> tuple[int, ...] | None:
    if not listed:
        problems.add(path, "must list at least one day (0 = Sunday ... 6 = Saturday)")
    days: list[int] = []
    for index, value in enumerate(listed):
        day = convert_at(f"{path}[{index}]", value, weekday, problems)
        if day in days:
            problems.add(f"{path}[{index}]", f"{day} ({DAY_NAMES[day]}) is listed twice")
        elif day is not None:
            days.append(day)
    return tuple(days) if len(days) == len(listed) and days else None


def _entry(item: object, path: str, allowed: tuple[str, ...], problems: Problems) -> Fields | None:
    mapping = convert_at(path, item, a_mapping, problems)
    return Fields(mapping, path, allowed, problems) if mapping is not None else None


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _span(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"
