"""Notices: messages the booking engine queues for patients and doctors."""

TEXTS: dict[str, str] = {
    "notice.approve": "Aprobar",  # the notice's buttons (≤ 20 characters)
    "notice.reject": "Rechazar",  # the notice's buttons (≤ 20 characters)
    "urgency.low": "baja",
    "urgency.normal": "normal",
    "urgency.high": "alta",
    "urgency.urgent": "URGENTE",
    "notification.doctor_new_request": (
        "🩺 Nueva solicitud {code}{urgent_mark}\n"
        "Paciente: {patient_name}, {age_text}\n"
        "Servicio: {service}\n"
        "Cuándo: {when}\n"
        "Motivo: {reason}\n"
        "Urgencia: {urgency_text}\n"
        "Responde antes de las {deadline}:\n"
        "APROBAR {code}  o  RECHAZAR {code} [motivo]"
    ),
    "notification.doctor_new_booking": (
        "📅 Nueva cita confirmada {code}{urgent_mark}\n"
        "Paciente: {patient_name}, {age_text}\n"
        "Servicio: {service}\n"
        "Cuándo: {when}\n"
        "Motivo: {reason}\n"
        "Urgencia: {urgency_text}"
    ),
    "notification.patient_approved": (
        "✅ ¡Tu cita está confirmada!\n{service} {with_doctor}\n{when}\nCódigo: {code}"
        "{details}\nTe recordaremos un día antes y dos horas antes."
    ),
    "notification.patient_rejected": (
        "Lo sentimos, {the_doctor} no puede atenderte el {when}.{reason_text}\n{alternatives_text}"
    ),
    "alternatives": "Horarios libres cercanos:\n{times}\nEscribe *menu* para agendar uno.",
    # When the patient's next message can pick one by its number (app/conversation/rebooking.py).
    "alternatives_numbered": (
        "Horarios libres cercanos:\n{times}\n"
        "Responde con el número y enviamos tu solicitud con los mismos datos, o escribe *menu*."
    ),
    "alternatives_none": "Escribe *menu* para elegir otro.",
    "notification.patient_expired": (
        "⌛ No llegó a tiempo la respuesta {of_the_doctor} a tu solicitud para el {when}, así "
        "que liberamos el horario.\n{alternatives_text}"
    ),
    "notification.doctor_released": (
        "🔓 Liberé la cita {code} de {patient_name} ({when}, {service}): no confirmó su "
        "asistencia. El horario quedó libre para la lista de espera."
    ),
    # The morning agenda: its lines are AGENDA's ("doctor.booking_line").
    "notification.doctor_morning_agenda": (
        "☀️ Buenos días. 📅 Tu agenda de hoy, {agenda_day}:\n{agenda_lines}{agenda_attending}"
    ),
    "agenda.attending": "\n✅ Dijeron que vienen: {attending} de {appointments} citas.",
    "notification.patient_waitlist_offer": (
        "🔔 Se liberó un lugar {with_doctor}: {service}, {when}.\n"
        "Estás en la lista de espera: ¿lo quieres? Responde *1* para apartarlo, *2* si no "
        "o *3* para salir de la lista. "
        "Se lo ofrecemos a pocas personas a la vez y es para quien conteste primero; "
        "la oferta dura {minutes} minutos."
    ),
    "notification.patient_waitlist_gone": (
        "Ese lugar {with_doctor} ya lo tomó otra persona 🙏 Sigues en la lista de espera: "
        "te avisamos si se libera otro."
    ),
    "notification.patient_cancelled_by_doctor": (
        "Tu cita del {when} ({service}) fue cancelada por el consultorio.{reason_text}\n"
        "Escribe *menu* para elegir otro horario."
    ),
    "notification.doctor_cancelled_by_patient": (
        "❌ {patient_name} canceló su cita {code} del {when} ({service})."
    ),
    "notification.doctor_request_withdrawn": (
        "↩️ {patient_name} retiró su solicitud {code} del {when}. Ya no necesitas responderla."
    ),
    "notification.doctor_rescheduled": (
        "🔁 {patient_name} cambió su cita {code} ({service}) del {old_when} al {when}."
    ),
    "notification.doctor_move_request": (
        "🔁 {patient_name} pide cambiar su cita {old_code} del {old_when} al {when} "
        "({service}).{urgent_mark}\n"
        "Su cita actual sigue en pie hasta que respondas, antes de las {deadline}:\n"
        "APROBAR {code}  o  RECHAZAR {code} [motivo]"
    ),
    "notification.patient_move_approved": (
        "✅ ¡Listo! Se aprobó el cambio: tu cita de {service} {with_doctor} ahora es el "
        "{when} (antes: {old_when}).\nTu nuevo código es {code}.{details}"
    ),
    "notification.patient_move_rejected": (
        "Lo sentimos, {the_doctor} no puede cambiar tu cita al {when}.{reason_text}\n"
        "Tu cita sigue como estaba. Escribe *menu* si quieres elegir otro horario."
    ),
    "notification.patient_move_expired": (
        "⌛ No llegó a tiempo la respuesta {of_the_doctor} a tu cambio al {when}, así que tu "
        "cita sigue como estaba. Escribe *menu* si quieres elegir otro horario."
    ),
    "notification.doctor_handoff": (
        "🙋 {patient_label} quiere hablar con el consultorio. El asistente no le responderá "
        "durante 24 horas. Responde a este mensaje o escribe RESPONDER {phone} <texto> y le "
        "llegará desde el número del consultorio. Para que el asistente vuelva a atenderle "
        "antes: REANUDAR {phone}"
    ),
    "notification.doctor_patient_message": (
        "{urgent_text}💬 Mensaje de {patient_label}:\n{body}\n"
        "↩️ Responde a este mensaje o escribe RESPONDER {phone} <texto>."
    ),
    "notification.doctor_reply": "*{doctor}:* {body}",
    "inbox_deferred": (
        "Tenemos un problema técnico en este momento 🛠️ Guardamos tu mensaje y te"
        " responderemos en unos minutos. No hace falta que lo vuelvas a enviar."
    ),
    # Past the flood limit: said once per run of unread messages; the question stays the same.
    "flood": (
        "Vas muy rápido 🙏 No leí tu último mensaje. Espera unos segundos y vuelve a escribirlo."
    ),
    "flood_unread": (
        "Vas muy rápido 🙏 No leí «{quote}». Espera unos segundos y vuelve a escribirlo."
    ),
    "forward_urgent": "🚨 URGENTE: puede ser una emergencia; ya le pedimos llamar a emergencias.\n",
    "patient_label": "{patient_name} ({phone})",
    "reason_text": " Motivo: {reason}",
    "age": "{age} años",
    "age_unknown": "edad no indicada",
    # How sentences name the doctor (bot_flows/texts/grammar.py): the article that goes
    # with a title, and the doctor as a noun; x is neutral wording.
    "grammar.article.f": "la",
    "grammar.article.m": "el",
    "grammar.article.x": "",
    "grammar.the_doctor.f": "la doctora",
    "grammar.the_doctor.m": "el doctor",
    "grammar.the_doctor.x": "el consultorio",
    "grammar.of": "de",
    "grammar.to": "a",
    "grammar.with": "con",
    # What a confirmation adds when the practice set it.
    "details.address": "📍 {address}",
    "details.price": "💵 Precio: {price}",
    "details.policy": "📋 {policy}",
    "details.calendar": "📅 Agrégala a tu calendario: {calendar}",
    "not_given": "no indicado",
}
