"""Which intake questions a practice asks, and how: `required`, `optional` or `off`.

The clinic file's `intake` key may name only some questions; the rest keep these
defaults, chosen for a first visit booked over WhatsApp: the reason question asks for
symptoms too, and the patient's WhatsApp number is the contact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

IntakeSetting = Literal["required", "optional", "off"]
SETTINGS: tuple[IntakeSetting, ...] = ("required", "optional", "off")
INTAKE_DEFAULTS: Mapping[str, IntakeSetting] = {
    "name": "required",
    "age": "required",
    "sex": "off",
    "reason": "required",
    "symptoms": "off",
    "history": "optional",
    "medications": "optional",
    "allergies": "optional",
    "urgency": "required",
    "contact": "off",
}


def complete_intake(chosen: Mapping[str, str] | None) -> dict[str, str]:
    """Every question's setting: the practice's choice where it made one, else the default.

    Unknown questions in `chosen` (a column written by a newer version) are left out.
    """
    chosen = chosen or {}
    return {question: chosen.get(question, kept) for question, kept in INTAKE_DEFAULTS.items()}
