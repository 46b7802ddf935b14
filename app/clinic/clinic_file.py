"""A clinic file (JSON or YAML) read into a checked `Clinic`, every problem reported at once.

Fields (0 = Sunday ... 6 = Saturday, as in the database; times are "HH:MM" on the
24-hour clock in the practice's time zone; dates are "YYYY-MM-DD"):

- required: `name`, `whatsapp_number` (the practice's Twilio WhatsApp sender),
  `doctor_phone` (the doctor's own WhatsApp, where requests go for approval), both
  in international form; `timezone` (IANA, e.g. America/Mexico_City); `services`
  (at least one); `availability` (a list; empty is allowed, and `clinic import`
  warns that nothing can be booked, as it does when every entry has ended).
- optional: `specialty`, `language` ('es' or 'en'; 'es'), `approval_required`
  (true), `emergency_phone` (a short number of 2-6 digits or an international one;
  "911"), `cancellation_policy`, `closed` (dates; repeats collapse), `email`,
  `medical_license`, `practice_type` ('general', 'specialist' or 'clinic';
  'general'), `min_notice_minutes` (how soon a booking may start; 60),
  `booking_horizon_days` (how far ahead patients may book, 1-365; 60).
- each service: `name` (unique ignoring accents and capitals), `duration` (1-480
  minutes, and no longer than the longest availability window); optional `price`
  (500 or "500.00"), `category`, `requirements`, `description`.
- each availability entry: `days`, `start`, `end`; optional `slot_duration` (5-480;
  30), `buffer_time` (0-480; 0), `max_appointments_per_slot` (1-50; 1),
  `effective_from`, `effective_to` (in force forever when left out). Entries may
  not overlap on a day they share.

Unknown keys are refused at every level: a misspelt optional field would otherwise
be silently ignored. A field left out, `null` or blank takes its default.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.clinic.field_types import (
    a_list,
    a_mapping,
    calendar_date,
    email_address,
    emergency_number,
    long_text,
    one_of,
    phone_number,
    text,
    time_zone,
    true_or_false,
    whole_number,
)
from app.clinic.fields import ClinicFileError, Fields, Invalid, Problems, convert_at
from app.clinic.file_formats import read_document
from app.clinic.practice import Clinic
from app.clinic.sections import read_opening_hours, read_services

__all__ = ["ClinicFileError", "load_clinic_file", "read_clinic"]

CLINIC_KEYS = (
    "name",
    "specialty",
    "whatsapp_number",
    "doctor_phone",
    "timezone",
    "language",
    "approval_required",
    "emergency_phone",
    "cancellation_policy",
    "services",
    "availability",
    "closed",
    "email",
    "medical_license",
    "practice_type",
    "min_notice_minutes",
    "booking_horizon_days",
)
MINUTES_PER_YEAR = 365 * 24 * 60


def load_clinic_file(path: Path) -> Clinic:
    """The clinic in the file at `path`, or `ClinicFileError` listing every problem."""
    return read_clinic(read_document(path))


def read_clinic(data: object) -> Clinic:
    """The clinic described by already-parsed `data`, or `ClinicFileError`."""
    if data is None:
        raise ClinicFileError(["the file is empty; start from examples/demo_clinic.yaml"])
    try:
        top = a_mapping(data)
    except Invalid as error:
        raise ClinicFileError([f"the top level {error}"]) from None
    problems = Problems()
    fields = Fields(top, "", CLINIC_KEYS, problems)
    name = fields.required("name", text(255))
    whatsapp_number = fields.required("whatsapp_number", phone_number)
    doctor_phone = fields.required("doctor_phone", phone_number)
    if doctor_phone and doctor_phone == whatsapp_number:
        problems.add("doctor_phone", "must be the doctor's own phone, not the practice's number")
    timezone = fields.required("timezone", time_zone)
    services = fields.required("services", a_list)
    availability = fields.required("availability", a_list)
    min_notice, horizon = _booking_window(fields)
    # Services are checked against the opening hours, so those are read first; their
    # problems are still reported after the services', in the order of the file. With
    # a broken window the services are not compared: it would blame them for it.
    hours_problems = Problems()
    opening_hours = (
        read_opening_hours(availability, "availability", hours_problems)
        if availability is not None
        else ()
    )
    comparable = opening_hours if not hours_problems.lines else ()
    offered = (
        read_services(services, "services", problems, comparable) if services is not None else ()
    )
    problems.lines.extend(hours_problems.lines)
    # Whatever is missing is already a recorded problem, so the stand-ins ("", ())
    # never leave this function: it raises below instead.
    clinic = Clinic(
        name=name or "",
        whatsapp_number=whatsapp_number or "",
        doctor_phone=doctor_phone or "",
        timezone=timezone or "",
        services=offered,
        availability=opening_hours,
        specialty=fields.optional("specialty", text(100), None),
        language=fields.optional("language", one_of(("es", "en")), "es"),
        approval_required=fields.optional("approval_required", true_or_false, True),
        emergency_phone=fields.optional("emergency_phone", emergency_number, "911"),
        cancellation_policy=fields.optional("cancellation_policy", long_text, None),
        closed=_closed(fields),
        email=fields.optional("email", email_address, None),
        medical_license=fields.optional("medical_license", text(50), None),
        practice_type=fields.optional(
            "practice_type", one_of(("general", "specialist", "clinic")), "general"
        ),
        min_notice_minutes=min_notice,
        booking_horizon_days=horizon,
    )
    problems.raise_if_any()
    return clinic


def _booking_window(fields: Fields) -> tuple[int, int]:
    """Minimum notice in minutes and horizon in days; together they must leave some time."""
    minutes = whole_number(0, MINUTES_PER_YEAR, "minutes")
    min_notice = fields.optional("min_notice_minutes", minutes, 60)
    horizon = fields.optional("booking_horizon_days", whole_number(1, 365, "days"), 60)
    if min_notice >= horizon * 24 * 60:
        fields.problems.add(
            "min_notice_minutes",
            f"{min_notice} minutes is beyond the booking horizon"
            f" (booking_horizon_days: {horizon}), so nothing could ever be booked",
        )
    return min_notice, horizon


def _closed(fields: Fields) -> tuple[date, ...]:
    listed = fields.optional("closed", a_list, [])
    days = {
        convert_at(f"closed[{index}]", value, calendar_date, fields.problems)
        for index, value in enumerate(listed)
    }
    return tuple(sorted(day for day in days if day is not None))
