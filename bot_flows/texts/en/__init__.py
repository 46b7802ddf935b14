"""English: the second language. Same keys as Spanish, same tone."""

from bot_flows.texts.en import doctor, notifications, patient, reminders, words

TEXTS: dict[str, str] = notifications.TEXTS | patient.TEXTS | doctor.TEXTS | reminders.TEXTS
WORDS = words.WORDS
PATTERNS = words.PATTERNS
