"""English: the second language. Same keys as Spanish, same tone."""

from bot_flows.texts.en import doctor, notices, patient, reminders

TEXTS: dict[str, str] = notices.TEXTS | patient.TEXTS | doctor.TEXTS | reminders.TEXTS
