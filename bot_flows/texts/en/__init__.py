"""English: the second language. Same keys as Spanish, same tone."""

from bot_flows.texts.en import (
    desk,
    desk_calendar,
    desk_practice,
    desk_requests,
    doctor,
    notifications,
    patient,
    reminders,
    words,
)

TEXTS: dict[str, str] = (
    notifications.TEXTS
    | patient.TEXTS
    | doctor.TEXTS
    | reminders.TEXTS
    | desk.TEXTS
    | desk_requests.TEXTS
    | desk_practice.TEXTS
    | desk_calendar.TEXTS
)
WORDS = words.WORDS
PATTERNS = words.PATTERNS
