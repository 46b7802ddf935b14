"""The practice a clinic file describes: these models are the file's documentation.

The file is JSON or YAML shaped like `ClinicFile` (see examples/demo_clinic.yaml). Days
are numbered as in the database (0 = Sunday ... 6 = Saturday); times are "HH:MM" on
the 24-hour clock in the practice's time zone; dates are "YYYY-MM-DD".

Unknown keys are refused at every level: a misspelt optional key would otherwise be
silently ignored. A key left out, `null` or blank takes its default. `clinic_file`
reads a file into a `ClinicFile` and names every problem by where it is.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from datetime import date, time
from itertools import combinations
from typing import Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from app.practices.intake_settings import (
    INTAKE_DEFAULTS,
    SETTINGS,
    IntakeSetting,
    complete_intake,
)
from app.practices.values import (
    DAY_NAMES,
    CalendarDate,
    ClockTime,
    CurrencyCode,
    EmailAddress,
    EmergencyNumber,
    Loc,
    Money,
    PhoneNumber,
    Problems,
    TimeZone,
    Weekday,
    describe,
    text,
    whole_number,
)

# Pydantic dataclasses rather than models: the rest of the code (setup, the CLI's
# warnings) sees plain frozen dataclasses. Attribute docstrings become descriptions
# in the file's JSON Schema.
CONFIG = ConfigDict(extra="forbid", use_attribute_docstrings=True)
MINUTES_PER_YEAR = 365 * 24 * 60
# Titles whose grammatical gender is plain, by the file's language ("Dr." is only
# masculine in Spanish; in English it says nothing).
GENDERED_TITLES = {"es": {"dra.": "f", "dr.": "m"}, "en": {}}


def service_key(name: str) -> str:
    """What makes two service names the same: 'Análisis  clínicos' == 'analisis clinicos'.

    Patients and assistants type names with and without accents and capitals; a
    re-import must find the existing service rather than create a twin.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def _did_you_mean(question: object) -> str:
    guesses = difflib.get_close_matches(str(question), list(INTAKE_DEFAULTS), n=1)
    return f" (did you mean '{guesses[0]}'?)" if guesses else ""


@dataclass(frozen=True, config=CONFIG)
class _Section:
    """A mapping of the file, where a key left `null` or blank (a template's) is left out."""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_left_out(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        return {
            key: value
            for key, value in data.items()
            if value is not None and not (isinstance(value, str) and not value.strip())
        }


@dataclass(frozen=True, config=CONFIG)
class Service(_Section):
    """Something the practice offers."""

    name: text(255)
    """Unique in the file, ignoring accents and capitals."""
    duration: whole_number(1, 480, "minutes")
    """No longer than the longest availability window."""
    price: Money | None = None
    category: text(100) | None = None
    requirements: text() | None = None
    description: text() | None = None


@dataclass(frozen=True, config=CONFIG)
class OpeningHours(_Section):
    """One weekly window on some days, in the practice's local wall-clock time."""

    days: tuple[Weekday, ...]
    """Each day once, 0 = Sunday ... 6 = Saturday."""
    start: ClockTime
    end: ClockTime
    """After `start`, on the same day."""
    slot_duration: whole_number(5, 480, "minutes") = 30
    """How often an appointment may start; at least one must fit between start and end."""
    buffer_time: whole_number(0, 480, "minutes") = 0
    max_appointments_per_slot: whole_number(1, 50) = 1
    effective_from: CalendarDate | None = None
    """The first day in force; left out, since always."""
    effective_to: CalendarDate | None = None
    """The last day in force; left out, forever."""

    @field_validator("days")
    @classmethod
    def _each_day_once(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        if not days:
            raise ValueError("must list at least one day (0 = Sunday ... 6 = Saturday)")
        repeats = [
            ((index,), f"{day} ({DAY_NAMES[day]}) is listed twice")
            for index, day in enumerate(days)
            if day in days[:index]
        ]
        if repeats:
            raise Problems(repeats)
        return days

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: time, info: ValidationInfo) -> time:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"must be after start ({start:%H:%M})")
        return end

    @field_validator("effective_to")
    @classmethod
    def _not_before_effective_from(cls, last: date, info: ValidationInfo) -> date:
        first = info.data.get("effective_from")
        if first is not None and last < first:
            raise ValueError(f"must not be before effective_from ({first.isoformat()})")
        return last

    @model_validator(mode="after")
    def _room_for_one_slot(self) -> OpeningHours:
        if self.minutes < self.slot_duration:
            raise ValueError(
                f"{self.span} is shorter than one slot ({self.slot_duration} minutes),"
                " so no appointment fits"
            )
        return self

    @property
    def minutes(self) -> int:
        """How long the window is open."""
        return (self.end.hour - self.start.hour) * 60 + self.end.minute - self.start.minute

    @property
    def span(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def shares_dates_with(self, other: OpeningHours) -> bool:
        """Whether both windows are in force on some common date."""
        starts = [d for d in (self.effective_from, other.effective_from) if d]
        ends = [d for d in (self.effective_to, other.effective_to) if d]
        return not starts or not ends or max(starts) <= min(ends)


@dataclass(frozen=True, config=CONFIG)
class NoShows(_Section):
    """The practice's no-show policy: at `limit` missed appointments within `months`."""

    limit: whole_number(1, 20, "no-shows")
    months: whole_number(1, 24, "months") = 6
    then: Literal["approval", "chat_closed", "reconfirm"] = "approval"
    """`approval`: the doctor approves each of their bookings, even where others book at
    once; `chat_closed`: the chat takes no booking and gives the practice's `phone`;
    `reconfirm`: they book as others do, but an appointment they do not confirm when asked
    is freed (`release_unconfirmed_hours` before it, else 12), after a warning."""


@dataclass(frozen=True, kw_only=True, config=CONFIG)
class ClinicFile(_Section):
    """A whole practice: who it is, how it is reached, what it offers and when."""

    name: text(255)
    specialty: text(100) | None = None
    email: EmailAddress | None = None
    medical_license: text(50) | None = None
    practice_type: Literal["general", "specialist", "clinic"] = "general"
    whatsapp_number: PhoneNumber
    """The practice's Twilio WhatsApp sender; a re-import finds the practice by it."""
    doctor_phone: PhoneNumber
    """The doctor's own WhatsApp, where requests go for approval."""
    emergency_phone: EmergencyNumber = "911"
    phone: PhoneNumber | None = None
    """The practice's phone for calls, given to a patient the chat cannot book."""
    timezone: TimeZone
    """Where the practice is: every time in the file is wall-clock time there."""
    language: Literal["es", "en"] = "es"
    approval_required: StrictBool = True
    """Whether the doctor approves each booking; if not, bookings are confirmed at once."""
    booking_horizon_days: whole_number(1, 365, "days") = 60
    """How far ahead patients may book."""
    min_notice_minutes: whole_number(0, MINUTES_PER_YEAR, "minutes") = 60
    """How soon a booking may start."""
    cancellation_policy: text() | None = None
    cancellation_window_hours: whole_number(0, 168, "hours") = 24
    """A patient's cancellation closer than this to the appointment counts as late."""
    attendance_ask_hours: whole_number(3, 72, "hours") = 24
    """How long before an appointment the patient is asked to confirm they will come."""
    no_shows: NoShows | None = None
    """Left out: no policy; missed appointments are still counted and reported."""
    release_unconfirmed_hours: whole_number(1, 48, "hours") | None = None
    """Free the place of an appointment the patient has not confirmed this many hours
    before it (it goes to the waitlist), after a warning up to 3 hours earlier (never
    before the question itself). Left out: never."""
    agenda_hour: whole_number(0, 23) = 7
    """The hour, in the practice's time zone, from which the doctor gets the day's agenda
    on WhatsApp, on days with appointments or requests (0-23)."""
    message_retention_days: whole_number(30, 3650, "days") = 180
    """How long the text of each WhatsApp message is kept; afterwards only its length
    remains (the appointments and their answers are not affected)."""
    clinical_record_years: whole_number(1, 50, "years") | None = None
    """How long the record of an attended visit is kept once its patient asks for erasure:
    it is blocked (sealed, unusable) until then, and erased on that day. Left out: the
    country's law (Mexico 5 years, Colombia 15, Argentina 10, Brazil 20)."""
    address: text() | None = None
    """Where the practice is, as patients read it in their confirmation."""
    doctor_title: text(20) | None = None
    """"Dra.", "Dr." or another title, put before the name unless the name starts with it."""
    doctor_gender: Literal["f", "m", "x"] | None = None
    """For grammar ("la doctora", "el doctor"; `x`: neutral wording). Left out: `f` for
    the title "Dra.", `m` for "Dr." in a Spanish file, otherwise `x`."""
    show_prices: StrictBool = False
    """Whether patients see each service's price; needs `currency`."""
    currency: CurrencyCode | None = None
    """The ISO 4217 code of the services' prices, such as MXN."""
    intake: Mapping[str, IntakeSetting] = Field(default=None, validate_default=True)
    """For each intake question, `required`, `optional` or `off`; questions left out keep
    their default (name, age, reason, urgency required; history, medications, allergies
    optional; sex, symptoms, contact off)."""
    services: tuple[Service, ...]
    """At least one."""
    availability: tuple[OpeningHours, ...]
    """May be empty (a practice being set up): `clinic import` warns that nothing can be booked."""
    closed: tuple[CalendarDate, ...] = ()
    """Dates without appointments; repeats collapse."""

    @field_validator("doctor_phone")
    @classmethod
    def _not_the_practices_number(cls, phone: str, info: ValidationInfo) -> str:
        if phone == info.data.get("whatsapp_number"):
            raise ValueError("must be the doctor's own phone, not the practice's number")
        return phone

    @field_validator("intake", mode="before")
    @classmethod
    def _known_questions(cls, chosen: object) -> object:
        if chosen is None:
            return complete_intake(None)
        if not isinstance(chosen, Mapping):
            raise ValueError(
                "must give questions their settings (such as sex: optional),"
                f" not {describe(chosen)}"
            )
        # YAML reads an unquoted `off` (and `no`) as false.
        chosen = {q: "off" if setting is False else setting for q, setting in chosen.items()}
        known = ", ".join(INTAKE_DEFAULTS)
        problems: list[tuple[Loc, str]] = [
            ((repr(question),), f"unknown question{_did_you_mean(question)}; known: {known}")
            for question in chosen
            if question not in INTAKE_DEFAULTS
        ]
        problems += [
            ((question,), f"must be one of required, optional, off, not {describe(setting)}")
            for question, setting in chosen.items()
            if question in INTAKE_DEFAULTS and setting not in SETTINGS
        ]
        if problems:
            raise Problems(problems)
        return complete_intake(chosen)

    @field_validator("min_notice_minutes")
    @classmethod
    def _within_the_horizon(cls, minutes: int, info: ValidationInfo) -> int:
        horizon = info.data.get("booking_horizon_days")
        if horizon is not None and minutes >= horizon * 24 * 60:
            raise ValueError(
                f"{minutes} minutes is beyond the booking horizon"
                f" (booking_horizon_days: {horizon}), so nothing could ever be booked"
            )
        return minutes

    @field_validator("release_unconfirmed_hours")
    @classmethod
    def _after_the_question(cls, hours: int | None, info: ValidationInfo) -> int | None:
        asked = info.data.get("attendance_ask_hours")
        if hours is not None and asked is not None and hours >= asked:
            raise ValueError(
                f"must be fewer than attendance_ask_hours ({asked}): the patient is asked"
                " to confirm first"
            )
        return hours

    @field_validator("services")
    @classmethod
    def _names_differ(cls, services: tuple[Service, ...]) -> tuple[Service, ...]:
        if not services:
            raise ValueError("must list at least one service")
        first: dict[str, int] = {}
        twins: list[tuple[Loc, str]] = [
            ((index, "name"), f"duplicate service name {service.name!r} (as in services[{seen}])")
            for index, service in enumerate(services)
            if (seen := first.setdefault(service_key(service.name), index)) != index
        ]
        if twins:
            raise Problems(twins)
        return services

    @field_validator("availability")
    @classmethod
    def _windows_apart(cls, windows: tuple[OpeningHours, ...]) -> tuple[OpeningHours, ...]:
        # Two windows open at once on one day would offer the doctor's time twice.
        overlaps: list[tuple[Loc, str]] = []
        for (first, a), (second, b) in combinations(enumerate(windows), 2):
            days = sorted(set(a.days) & set(b.days))
            if days and a.start < b.end and b.start < a.end and a.shares_dates_with(b):
                on = ", ".join(DAY_NAMES[day] for day in days)
                overlaps.append(
                    ((second,), f"{b.span} overlaps availability[{first}] ({a.span}) on {on}")
                )
        if overlaps:
            raise Problems(overlaps)
        return windows

    @field_validator("closed")
    @classmethod
    def _in_order_once(cls, days: tuple[date, ...]) -> tuple[date, ...]:
        return tuple(sorted(set(days)))

    @model_validator(mode="after")
    def _gender_from_title(self) -> ClinicFile:
        if self.doctor_gender is None:
            title = self.doctor_title or self.name.split()[0]
            gendered = GENDERED_TITLES.get(self.language, {})
            # Frozen: the validator finishes building the value, as __post_init__ would.
            object.__setattr__(self, "doctor_gender", gendered.get(title.casefold(), "x"))
        return self

    @model_validator(mode="after")
    def _prices_have_a_currency(self) -> ClinicFile:
        if self.show_prices and self.currency is None:
            raise Problems([(("currency",), "is required when show_prices is true (e.g. MXN)")])
        return self

    @model_validator(mode="after")
    def _services_fit_a_window(self) -> ClinicFile:
        # Listed to patients, a service longer than every window would never have a free time.
        if not self.availability:
            return self
        index, longest = max(enumerate(self.availability), key=lambda pair: pair[1].minutes)
        too_long = [
            (
                ("services", position, "duration"),
                f"{service.duration} minutes is longer than every availability window"
                f" (the longest, availability[{index}], is {longest.minutes} minutes),"
                " so it could never be booked",
            )
            for position, service in enumerate(self.services)
            if service.duration > longest.minutes
        ]
        if too_long:
            raise Problems(too_long)
        return self
