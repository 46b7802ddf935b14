"""iCalendar files: a member's feed of the practice's agenda, and one patient's appointment.

Times are written in the practice's zone (with its VTIMEZONE), so a calendar shows
10:00 at the practice on both sides of a daylight-saving change. Nothing clinical
is ever written: no reason, symptoms, notes or phone; the feed names a patient by
first name only. An event's UID is its code, which a request keeps when approved:
a tentative event becomes the confirmed one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from app.booking.queries import AppointmentFile, CalendarEntry
from bot_flows.texts import text

PRODUCT = "-//Citabot//Citabot calendar//ES"
SEPARATOR = " · "
REFRESH = timedelta(minutes=15)  # how often a subscribed calendar should fetch the feed
# The VTIMEZONE spells the zone's changes this long around the events, not 1970-2038.
ZONE_MARGIN = timedelta(days=366)


def feed(
    name: str, timezone: str, language: str, entries: Iterable[CalendarEntry], now: datetime
) -> bytes:
    """The practice's appointments (CONFIRMED) and waiting requests (TENTATIVE)."""
    calendar = _calendar(text("desk.calendar.feed_name", language, practice=name), timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT15M")  # Outlook's older name for it
    zone = ZoneInfo(timezone)
    starts: list[datetime] = []
    for entry in entries:
        starts.append(entry.start)
        parts = (entry.service, entry.first_name, entry.code)
        summary = SEPARATOR.join(part for part in parts if part)
        event = _event(entry.code, entry.start, entry.end, zone, summary, now)
        event.add("status", "TENTATIVE" if entry.tentative else "CONFIRMED")
        calendar.add_component(event)
    return _written(calendar, starts)


def appointment(found: AppointmentFile, now: datetime) -> bytes:
    """The patient's one appointment: when, what, at which practice and where, its code."""
    calendar = _calendar(found.practice_name, found.timezone)
    summary = SEPARATOR.join((found.service, found.practice_name))
    event = _event(found.code, found.start, found.end, ZoneInfo(found.timezone), summary, now)
    event.add("status", "CONFIRMED")
    event.add("description", text("desk.calendar.file_code", found.language, code=found.code))
    if found.address:
        event.add("location", found.address)
    calendar.add_component(event)
    return _written(calendar, [found.start])


def _calendar(name: str, timezone: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    return calendar


def _event(
    code: str, start: datetime, end: datetime, zone: ZoneInfo, summary: str, now: datetime
) -> Event:
    event = Event()
    event.add("uid", f"{code}@citabot")
    event.add("dtstamp", now)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("summary", summary)
    return event


def _written(calendar: Calendar, starts: list[datetime]) -> bytes:
    if starts:  # one VTIMEZONE per zone used, covering the events
        first, last = min(starts) - ZONE_MARGIN, max(starts) + ZONE_MARGIN
        calendar.add_missing_timezones(first.date(), last.date())
    return calendar.to_ical()
