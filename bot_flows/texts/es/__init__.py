"""Spanish: the default language. Short, warm, numbered; one idea per message."""

from bot_flows.texts.es import (
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
