"""Reminders: the day before and two hours before an appointment, answered with 1, 2 or 3."""

TEXTS: dict[str, str] = {
    "notice.attend": "Confirmo",  # the reminder's buttons (≤ 20 characters)
    "notice.cancel": "Cancelar",  # the reminder's buttons (≤ 20 characters)
    "notice.change": "Cambiar día u hora",  # the reminder's buttons (≤ 20 characters)
    "notice.take": "Lo quiero",  # the waitlist offer's buttons (≤ 20 characters)
    "notice.pass": "Este no",
    "notice.leave": "Salir de la lista",
    "notification.reminder_24h": (
        "⏰ Te recordamos tu cita:\n{service} {with_doctor}\n{when}\nCódigo: {code}\n"
        "Responde 1 para confirmar, 2 para cancelar, 3 para cambiar la hora."
    ),
    "notification.reminder_2h": (
        "⏰ Tu cita es en 2 horas:\n{service} {with_doctor}\n{when}\nCódigo: {code}\n"
        "Responde 1 para confirmar, 2 para cancelar, 3 para cambiar la hora."
    ),
    "notification.patient_release_warning": (
        "⏰ Aún no confirmas tu cita:\n{service} {with_doctor}\n{when}\nCódigo: {code}\n"
        "Si no la confirmas antes de las {deadline}, liberaremos el horario para otra "
        "persona. Responde 1 para confirmar, 2 para cancelar, 3 para cambiar la hora."
    ),
    "notification.patient_released": (
        "Liberamos tu cita del {when} ({service}) porque no recibimos tu confirmación. "
        "Si aún quieres venir, escribe *menu* para agendar de nuevo."
    ),
}
