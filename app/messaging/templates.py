"""WhatsApp templates: which Content SID a message goes as, and its numbered variables.

Outside the 24-hour window WhatsApp only carries approved templates. Each purpose
(the `purpose` of a message_log row) may have a Twilio Content SID, configured in
TWILIO_CONTENT_SIDS and overridable per practice in `profile.content_sids`, both
shaped ``{"purpose": "HX..."}`` or ``{"purpose": {"es": "HX...", "en": "HX..."}}``.

A template's variables are ``{{1}}``, ``{{2}}``... filled from the message's facts
(`message_log.variables`) in the fixed order of `TEMPLATE_FIELDS` below; dates and
times are written in the practice's time zone and the recipient's language by the
same catalogue that wrote the body. Register templates with exactly this order:

    doctor_new_request           1 code, 2 patient, 3 age, 4 service, 5 when,
                                 6 reason, 7 urgency, 8 deadline (local time)
    doctor_new_booking           1 code, 2 patient, 3 age, 4 service, 5 when,
                                 6 reason, 7 urgency
    doctor_cancelled_by_patient  1 patient, 2 code, 3 when, 4 service
    doctor_request_withdrawn     1 patient, 2 code, 3 when
    doctor_rescheduled           1 patient, 2 code, 3 service, 4 old when, 5 new when
    doctor_move_request          1 code, 2 patient, 3 old code, 4 old when, 5 new when,
                                 6 service, 7 deadline (local time)
    doctor_handoff               1 patient's phone, 2 patient
    doctor_patient_message       1 patient (name and phone), 2 their message
    doctor_reply                 1 doctor, 2 their words (only for a delivery that falls
                                 past the window: RESPONDER is refused there already)
    patient_approved             1 service, 2 doctor, 3 when, 4 code
    patient_rejected             1 doctor, 2 when, 3 reason given
    patient_expired              1 doctor, 2 when
    patient_move_approved        1 doctor, 2 service, 3 when, 4 old when, 5 code
    patient_move_rejected        1 doctor, 2 when, 3 reason given
    patient_move_expired         1 doctor, 2 when
    patient_cancelled_by_doctor  1 when, 2 service, 3 reason given
    patient_waitlist_offer       1 service, 2 doctor, 3 when, 4 minutes to answer
    patient_waitlist_gone        1 doctor
    patient_release_warning      1 service, 2 doctor, 3 when, 4 code, 5 deadline (local time)
    patient_released             1 when, 2 service
    doctor_released              1 code, 2 patient, 3 when, 4 service
    doctor_morning_agenda        1 day, 2 the day's bookings (on one line)
    desk_code                    1 the sign-in code, 2 minutes it lasts (an authentication
                                 template: WhatsApp's one-time-password category)
    reminder_24h, reminder_2h    1 service, 2 doctor, 3 when, 4 code

Buttons: `doctor_new_request` and `doctor_move_request` are twilio/quick-reply templates
whose two buttons carry the payloads ``APROBAR {{1}}`` and ``RECHAZAR {{1}}`` (titles "Aprobar" and
"Rechazar"); the tap arrives as ButtonPayload "APROBAR K7M3QX", which the doctor's
command handler reads like the typed command. Because of its buttons it is sent as
the template whenever one is configured, inside the window too (`INTERACTIVE`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# How the catalogue writes one named variable (a date, an age, a reason) in a language.
TemplateValue = Callable[[str, Mapping[str, Any], str], str]

TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "doctor_new_request": (
        "code", "patient_name", "age_text", "service", "when", "reason", "urgency_text", "deadline",
    ),
    "doctor_new_booking": (
        "code", "patient_name", "age_text", "service", "when", "reason", "urgency_text",
    ),
    "doctor_cancelled_by_patient": ("patient_name", "code", "when", "service"),
    "doctor_request_withdrawn": ("patient_name", "code", "when"),
    "doctor_rescheduled": ("patient_name", "code", "service", "old_when", "when"),
    "doctor_move_request": (
        "code", "patient_name", "old_code", "old_when", "when", "service", "deadline",
    ),
    "doctor_handoff": ("phone", "patient_name"),
    "doctor_patient_message": ("patient_label", "body"),
    "doctor_reply": ("doctor", "body"),
    "patient_approved": ("service", "doctor", "when", "code"),
    "patient_rejected": ("doctor", "when", "rejection_reason"),
    "patient_expired": ("doctor", "when"),
    "patient_move_approved": ("doctor", "service", "when", "old_when", "code"),
    "patient_move_rejected": ("doctor", "when", "rejection_reason"),
    "patient_move_expired": ("doctor", "when"),
    "patient_cancelled_by_doctor": ("when", "service", "rejection_reason"),
    "patient_waitlist_offer": ("service", "doctor", "when", "minutes"),
    "patient_release_warning": ("service", "doctor", "when", "code", "deadline"),
    "patient_released": ("when", "service"),
    "doctor_released": ("code", "patient_name", "when", "service"),
    "doctor_morning_agenda": ("agenda_day", "agenda_lines"),
    "desk_code": ("code", "minutes"),
    "patient_waitlist_gone": ("doctor",),
    "reminder_24h": ("service", "doctor", "when", "code"),
    "reminder_2h": ("service", "doctor", "when", "code"),
}  # fmt: skip
INTERACTIVE = frozenset({"doctor_new_request", "doctor_move_request"})

ContentSids = Mapping[str, str | Mapping[str, str]]


def content_sid(purpose: str | None, language: str, *tables: ContentSids | None) -> str | None:
    """The Content SID for `purpose` in `language`: the first table that has one wins."""
    if purpose is None:
        return None
    for table in tables:
        entry = (table or {}).get(purpose)
        if isinstance(entry, str):
            return entry
        if isinstance(entry, Mapping) and isinstance(entry.get(language), str):
            return entry[language]
    return None


def content_variables(
    purpose: str | None, facts: Mapping[str, Any] | None, language: str, value: TemplateValue
) -> dict[str, str]:
    """The numbered variables of `purpose`'s template, from the message's facts."""
    names = TEMPLATE_FIELDS.get(purpose or "", ())
    return {str(n): value(name, facts or {}, language) for n, name in enumerate(names, 1)}
