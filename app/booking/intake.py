"""What a patient tells us when asking for an appointment."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class ContactMethod(StrEnum):
    WHATSAPP = "whatsapp"
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True)
class PatientIntake:
    """The patient's details and clinical intake. Health data: never log it (no __repr__)."""

    phone: str
    name: str
    age: int | None = None
    gender: str | None = None
    email: str | None = None
    chief_complaint: str | None = None
    symptoms: str | None = None
    medical_history: str | None = None
    current_medications: str | None = None
    allergies: str | None = None
    urgency: Urgency = Urgency.NORMAL
    contact_method: ContactMethod = ContactMethod.WHATSAPP

    def __repr__(self) -> str:
        return "PatientIntake(<redacted>)"

    def as_json(self) -> dict[str, Any]:
        """The answers as a JSON object, to keep until they are used (a waitlist entry)."""
        return {name: value for name, value in asdict(self).items() if value is not None}

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> PatientIntake:
        values = dict(stored)
        values["urgency"] = Urgency(values.get("urgency", Urgency.NORMAL))
        values["contact_method"] = ContactMethod(
            values.get("contact_method", ContactMethod.WHATSAPP)
        )
        return cls(**values)
