"""Spanish: the default language. Short, warm, numbered; one idea per message."""

from bot_flows.texts.es import doctor, notifications, patient, reminders, words

TEXTS: dict[str, str] = notifications.TEXTS | patient.TEXTS | doctor.TEXTS | reminders.TEXTS
WORDS = words.WORDS
PATTERNS = words.PATTERNS
