"""Spanish: the default language. Short, warm, numbered; one idea per message."""

from bot_flows.texts.es import doctor, notices, patient, reminders

TEXTS: dict[str, str] = notices.TEXTS | patient.TEXTS | doctor.TEXTS | reminders.TEXTS
