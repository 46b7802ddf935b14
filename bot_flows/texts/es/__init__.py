"""Spanish: the default language. Short, warm, numbered; one idea per message."""

from bot_flows.texts.es import doctor, notifications, patient, reminders

TEXTS: dict[str, str] = notifications.TEXTS | patient.TEXTS | doctor.TEXTS | reminders.TEXTS
