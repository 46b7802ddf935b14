"""The doctor sentences: answers to the practice's WhatsApp commands."""

TEXTS: dict[str, str] = {
    "doctor.help": (
        "🩺 Comandos:\n"
        "• APROBAR <código> — aprobar una solicitud\n"
        "• RECHAZAR <código> [motivo] — rechazarla\n"
        "• PENDIENTES — solicitudes por responder\n"
        "• AGENDA [hoy|mañana|AAAA-MM-DD] — citas del día\n"
        "• CANCELAR <código> [motivo] — cancelar una cita\n"
        "• COMPLETADA <código> — la consulta se realizó\n"
        "• NOASISTIO <código> — nadie se presentó a la cita\n"
        "• NOTA <código> <diagnostico|tratamiento|seguimiento|receta> [privada] <texto>\n"
        "• BLOQUEAR <AAAA-MM-DD> [HH:MM-HH:MM] — cerrar un día o un horario\n"
        "• DESBLOQUEAR <AAAA-MM-DD> [HH:MM-HH:MM] — volver a abrirlo\n"
        "• REANUDAR <teléfono> — el asistente vuelve a contestarle a ese número\n"
        "• PERDONAR <teléfono> — sus inasistencias dejan de contar\n"
        "• RESUMEN [semana|mes] — tus cifras: solicitudes, confirmaciones, inasistencias\n"
        "• RESPONDER <código|teléfono> <texto> — escribirle a quien pidió la cita desde el "
        "número del consultorio (o responde a su mensaje)\n"
        "• EQUIPO <teléfono> <nombre> — dar acceso al escritorio web a alguien de tu equipo\n"
        "• AYUDA — esta lista\n"
        "Las fechas también valen como DD/MM (24/12).\n"
        "Con una sola solicitud pendiente basta con SI o NO."
    ),
    "doctor.unknown": "🤔 No reconocí ese mensaje como un comando; no cambié nada.",
    "doctor.hint.missing_code": "Falta el código (por ejemplo K7M3QX); no cambié nada.",
    "doctor.hint.bad_code": (
        "«{value}» no es un código: son de 4 a 8 letras y números, como K7M3QX. No cambié nada."
    ),
    "doctor.hint.missing_date": "Falta la fecha, por ejemplo 2026-12-24 o 24/12; no cambié nada.",
    "doctor.hint.bad_date": (
        "«{value}» no es una fecha válida: escribe AAAA-MM-DD (como 2026-12-24), DD/MM "
        "(como 24/12), hoy o mañana. No cambié nada."
    ),
    "doctor.hint.bad_range": (
        "«{value}» no es un horario válido: escribe HH:MM-HH:MM con el inicio antes del fin "
        "(como 10:00-12:00). No cambié nada."
    ),
    "doctor.hint.note_type": (
        "Indica el tipo de nota: diagnostico, tratamiento, seguimiento o receta. No cambié nada."
    ),
    "doctor.hint.missing_note_text": "Falta el texto de la nota; no cambié nada.",
    "doctor.hint.bad_phone": (
        "Escribe el teléfono en formato internacional, como +5215512345678. No cambié nada."
    ),
    "doctor.hint.missing_reply_to": (
        "Indica a quién escribir: RESPONDER <código o teléfono> <texto>, como "
        "RESPONDER K7M3QX Te esperamos mañana. No envié nada."
    ),
    "doctor.hint.bad_reply_to": (
        "«{value}» no es un código ni un teléfono: escribe RESPONDER <código o teléfono> "
        "<texto>, como RESPONDER K7M3QX Te esperamos mañana o RESPONDER 55 1234 5678 "
        "Te esperamos mañana. No envié nada."
    ),
    "doctor.hint.missing_reply_text": (
        "Falta el texto del mensaje: RESPONDER <código o teléfono> <texto>. No envié nada."
    ),
    "doctor.reply_sent": "✉️ Se lo envié a {patient} desde el número del consultorio.",
    "doctor.reply_window_closed": (
        "⌛ No envié nada: {patient} escribió por última vez el {last_wrote}, y WhatsApp solo "
        "deja escribirle libremente hasta 24 horas después de su último mensaje. Llámale o "
        "escríbele desde tu WhatsApp."
    ),
    "doctor.reply_unknown_patient": (
        "🔎 {phone} nunca le ha escrito a tu consultorio, así que no puedo escribirle desde "
        "aquí. No envié nada."
    ),
    "doctor.approved": ("✅ Aprobada {code}: {patient_name}, {when} ({service}). Ya le avisamos."),
    "doctor.rejected": (
        "❌ Rechazada {code}: {patient_name}, {when}. Ya le avisamos.{reason_text}"
    ),
    "doctor.cancelled": (
        "🗓️ Cancelada {code}: {patient_name}, {when}. Ya le avisamos.{reason_text}"
    ),
    "doctor.completed": "✔️ {code} completada: {patient_name}, {when}.",
    "doctor.no_show": "🚷 {code} marcada como no asistió: {patient_name}, {when}.",
    "doctor.nothing_pending": "No tienes solicitudes pendientes. 🎉",
    "doctor.which_pending": (
        "Tienes {count} solicitudes pendientes; dime cuál:\n{lines}\n"
        "Escribe APROBAR <código> o RECHAZAR <código> [motivo]."
    ),
    "doctor.which_pending.line": "• {code}{urgent_mark} — {patient_name}, {when}",
    "doctor.pending": "📋 Solicitudes pendientes ({count}):\n{lines}",
    "choices.doctor_button": "Ver solicitudes",  # opens a WhatsApp list (≤ 20 characters)
    "doctor.rights.pending": (
        "🔐 Pedidos de pacientes sobre sus datos, sin responder ({count}):\n{lines}"
    ),
    "doctor.rights.line": "• {kind} — {phone}, pedido el {requested}; vence el {due}",
    "doctor.rights.access": "acceso",
    "doctor.rights.correction": "corrección",
    "doctor.rights.withdrawal": "retiro del consentimiento",
    "doctor.rights.erasure": "borrado",
    "doctor.pending.approve": "Aprobar {code}",
    "doctor.pending.line": (
        "• {code}{urgent_mark} — {patient_name}, {age_text}\n"
        "  {service}, {when}\n"
        "  Urgencia: {urgency}. Responde antes de las {deadline}."
    ),
    "doctor.pending.move_line": (
        "• {code}{urgent_mark} — {patient_name}, {age_text}: cambio de cita\n"
        "  {service}, del {old_when} al {when}\n"
        "  Urgencia: {urgency}. Responde antes de las {deadline}."
    ),
    "doctor.agenda": "📅 Agenda del {day}:\n{lines}",
    "doctor.agenda.empty": "📅 No tienes citas el {day}.",
    "doctor.booking_line": "• {time} {code}{urgent_mark} — {patient_name}, {service} ({status})",
    "doctor.status.pending": "esperando tu respuesta",
    "doctor.status.approved": "aprobada",
    "doctor.status.rejected": "rechazada",
    "doctor.status.expired": "expirada",
    "doctor.status.cancelled": "cancelada",
    "doctor.status.confirmed": "confirmada",
    "doctor.status.completed": "completada",
    "doctor.status.no_show": "marcada como no asistió",
    "doctor.status.attending": "confirmada ✅ dijo que viene",
    "doctor.note_saved": "📝 Guardé la nota de {note_type} en {code}.",
    "doctor.note_saved_private": (
        "🔒 Guardé la nota privada de {note_type} en {code}; es solo para el consultorio."
    ),
    "doctor.note_type.diagnosis": "diagnóstico",
    "doctor.note_type.treatment": "tratamiento",
    "doctor.note_type.follow_up": "seguimiento",
    "doctor.note_type.prescription": "receta",
    "doctor.blocked": "🚫 Bloqueé {period}. Horarios cerrados: {count}.",
    "doctor.unblocked": (
        "🔓 Desbloqueé {period}. Horarios abiertos de nuevo: {count}; los libres se ofrecen "
        "a la lista de espera."
    ),
    "doctor.blocked.affected": (
        "Estas citas siguen en pie en ese periodo; decide qué hacer con cada una "
        "(por ejemplo CANCELAR <código> [motivo]):\n{lines}"
    ),
    "doctor.period.day": "todo el {day}",
    "doctor.period.range": "el {day}, de {start} a {end}",
    "doctor.summary": (
        "📊 Resumen del {first} al {last}:\n"
        "• Solicitudes: {requests} (aprobadas {approved}, rechazadas {rejected}, "
        "vencidas sin respuesta {expired}, retiradas {withdrawn})\n"
        "• Aprobación: {approval_rate}; tiempo de respuesta (mediana): {answer_time}\n"
        "• Citas: {appointments} (confirmaron asistencia {confirmed}, completadas {completed})\n"
        "• Inasistencias: {no_shows} ({no_show_rate})\n"
        "• Cancelaciones: {cancellations} (con poca anticipación {late})\n"
        "• Mensajes por solicitud: {per_booking}\n"
        "• Lugares liberados que ocupó la lista de espera: {refilled}; "
        "tiempo en ocuparlos (mediana): {refill_time}"
    ),
    "doctor.summary.none": "—",
    "doctor.duration.minutes": "{minutes} min",
    "doctor.duration.hours": "{hours} h {minutes} min",
    "doctor.hint.bad_period": (
        "«{value}» no es un periodo: escribe RESUMEN, RESUMEN semana o RESUMEN mes. No cambié nada."
    ),
    "doctor.forgiven": (
        "🤝 Listo: las inasistencias de {phone} ({count}) ya no cuentan; puede agendar "
        "por chat como cualquier paciente."
    ),
    "doctor.resumed": "▶️ Listo: el asistente vuelve a contestarle a {phone}.",
    "doctor.not_on_hold": (
        "{phone} no estaba esperando a una persona; el asistente ya le contesta."
    ),
    "doctor.hint.team": (
        "Escribe EQUIPO <teléfono> <nombre>, con el teléfono en formato internacional, como "
        "EQUIPO +5215512345678 Ana. No cambié nada."
    ),
    "doctor.team_added": (
        "👥 Listo: {name} ({phone}) ya es parte de tu equipo. Puede entrar al escritorio web "
        "con su número; le llegará un código por WhatsApp."
    ),
    "doctor.team_refused.bad_phone": (
        "Escribe el teléfono en formato internacional, como +5215512345678. No cambié nada."
    ),
    "doctor.team_refused.bad_name": (
        "Escribe un nombre de hasta 120 letras después del teléfono. No cambié nada."
    ),
    "doctor.team_refused.is_doctor": "{phone} es tu propio número; ya tienes acceso.",
    "doctor.team_refused.already": "{phone} ya es parte de tu equipo; no cambié nada.",
    "doctor.team_refused.not_found": "No encontré a esa persona en tu equipo; no cambié nada.",
    "doctor.refused.not_found": (
        "🔎 No encontré {code} entre las solicitudes y citas de tu consultorio. "
        "Escribe PENDIENTES o AGENDA para verlas."
    ),
    "doctor.refused.illegal": "⚠️ {code} ya está {status}; no cambié nada.",
    "doctor.refused.expired": (
        "⌛ {code} expiró a las {deadline}: pasó la hora límite para responder. El horario "
        "quedó libre y ya le avisamos a quien la pidió."
    ),
    "doctor.refused.expired_unknown_time": (
        "⌛ {code} expiró: pasó la hora límite para responder. El horario quedó libre y "
        "ya le avisamos a quien la pidió."
    ),
    "doctor.refused.not_started": (
        "⏳ La cita {code} todavía no empieza; márcala cuando haya comenzado."
    ),
    "doctor.refused.already_started": (
        "⏳ La cita {code} ya empezó, así que ya no se puede cancelar. Márcala con "
        "COMPLETADA {code} o NOASISTIO {code}."
    ),
    "doctor.refused.slot_not_bookable": (
        "⚠️ Ese horario ya no se puede usar (está bloqueado, ya pasó o queda fuera de tu "
        "agenda). No cambié nada."
    ),
    "doctor.refused.other": "⚠️ No pude hacerlo; no cambié nada. Inténtalo de nuevo.",
    "doctor.refused.bad_input": "⚠️ Algo del mensaje no es válido; no cambié nada.",
}
