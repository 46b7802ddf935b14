"""The practice a clinic file describes, as typed values checked by `clinic_file`."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

# The seed's numbering of weekdays (availability_rule.day_of_week).
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def service_key(name: str) -> str:
    """What makes two service names the same: 'Análisis  clínicos' == 'analisis clinicos'.

    Patients and assistants type names with and without accents and capitals; a
    re-import must find the existing service rather than create a twin.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Service:
    """Something the practice offers; `duration` in minutes."""

    name: str
    duration: int
    price: Decimal | None = None
    category: str | None = None
    requirements: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class OpeningHours:
    """One weekly window on some days, in the practice's local wall-clock time."""

    days: tuple[int, ...]
    start: time
    end: time
    slot_duration: int = 30
    buffer_time: int = 0
    max_appointments_per_slot: int = 1
    effective_from: date | None = None
    effective_to: date | None = None

    def shares_dates_with(self, other: OpeningHours) -> bool:
        """Whether both windows are in force on some common date."""
        starts = [d for d in (self.effective_from, other.effective_from) if d]
        ends = [d for d in (self.effective_to, other.effective_to) if d]
        return not starts or not ends or max(starts) <= min(ends)


@dataclass(frozen=True)
class Clinic:
    """A whole practice: who it is, how it is reached, what it offers and when."""

    name: str
    whatsapp_number: str
    doctor_phone: str
    timezone: str
    services: tuple[Service, ...]
    availability: tuple[OpeningHours, ...]
    specialty: str | None = None
    language: str = "es"
    approval_required: bool = True
    emergency_phone: str = "911"
    cancellation_policy: str | None = None
    closed: tuple[date, ...] = ()
    email: str | None = None
    medical_license: str | None = None
    practice_type: str = "general"
    min_notice_minutes: int = 60
    booking_horizon_days: int = 60
