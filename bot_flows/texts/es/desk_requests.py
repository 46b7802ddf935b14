"""The desk's requests and appointments pages (Spanish)."""

TEXTS: dict[str, str] = {
    # A request
    "desk.request.title": "Solicitud {code}",
    "desk.request.back": "Volver a la agenda",
    "desk.request.answer_by": "Responde antes de: {time}. Después vence y el horario se libera.",
    "desk.request.moving_from": "Pide mover su cita de {time} a este horario.",
    "desk.request.urgent": (
        "Marcada URGENTE: el paciente lo indicó o mencionó un signo de alarma (el bot ya le "
        "dio el número de emergencias)."
    ),
    "desk.request.patient": "Paciente",
    "desk.request.name": "Nombre",
    "desk.request.age": "Edad",
    "desk.request.age_value": "{age} años",
    "desk.request.sex": "Sexo",
    "desk.request.sex.female": "femenino",
    "desk.request.sex.male": "masculino",
    "desk.request.sex.other": "otro / prefiere no decir",
    "desk.request.phone": "Teléfono",
    "desk.request.contact": "Prefiere que lo contacten por",
    "desk.request.contact.whatsapp": "WhatsApp",
    "desk.request.contact.phone": "llamada",
    "desk.request.contact.email": "correo ({email})",
    "desk.request.appointment": "Cita pedida",
    "desk.request.service": "Servicio",
    "desk.request.when": "Cuándo",
    "desk.request.urgency": "Urgencia",
    "desk.request.urgency.low": "baja",
    "desk.request.urgency.normal": "normal",
    "desk.request.urgency.high": "alta",
    "desk.request.urgency.urgent": "URGENTE",
    "desk.request.intake": "Lo que contó el paciente",
    "desk.request.reason": "Motivo",
    "desk.request.symptoms": "Síntomas",
    "desk.request.history": "Antecedentes",
    "desk.request.medications": "Medicamentos",
    "desk.request.allergies": "Alergias",
    "desk.request.not_given": "no indicado",
    "desk.request.status": "Estado: {status}",
    "desk.request.rejection_reason": "Motivo del rechazo: {reason}",
    "desk.request.see_appointment": "Ver la cita",
    "desk.request.answer": "Responder",
    "desk.request.approve": "Aprobar",
    "desk.request.reject": "Rechazar",
    "desk.request.reject_reason": "Motivo del rechazo (opcional; se lo enviamos al paciente)",
    "desk.request.alternatives": "Otros horarios libres cercanos",
    "desk.request.alternatives_offered": (
        "Si rechazas, le ofreceremos estos horarios al paciente para que elija otro."
    ),
    "desk.request.no_alternatives": "No hay otros horarios libres cercanos de este servicio.",
    "desk.request.approved": "Aprobada {code}. Le avisamos al paciente por WhatsApp.",
    "desk.request.rejected": "Rechazada {code}. Le avisamos al paciente por WhatsApp.",
    "desk.request.reason_too_long": "El motivo puede tener hasta 300 caracteres.",
    "desk.request.refused.expired": (
        "La solicitud {code} venció ({time}): el horario quedó libre y ya le avisamos al "
        "paciente. No cambió nada más."
    ),
    "desk.request.refused.expired_unknown_time": (
        "La solicitud {code} venció: el horario quedó libre y ya le avisamos al paciente."
    ),
    "desk.request.refused.illegal": "La solicitud {code} ya está {status}: no cambió nada.",
    "desk.request.refused.other": "No se pudo responder la solicitud {code}; no cambió nada.",
    # An appointment
    "desk.appointment.title": "Cita {code}",
    "desk.appointment.status": "Estado: {status}",
    "desk.appointment.attendance_confirmed": "El paciente confirmó que viene ({time}).",
    "desk.appointment.attendance_unconfirmed": "El paciente aún no confirma su asistencia.",
    "desk.appointment.completed_at": "Atendida: {time}",
    "desk.appointment.cancelled_at": "Cancelada: {time}",
    "desk.appointment.cancelled_by.patient": "Cancelada por el paciente: {time}",
    "desk.appointment.cancelled_by.doctor": "Cancelada por el consultorio: {time}",
    "desk.appointment.cancelled_by.release": ("Liberada por falta de confirmación: {time}"),
    "desk.appointment.see_request": "Ver lo que contó el paciente (solicitud {code})",
    "desk.appointment.move_requested": "El paciente pidió mover esta cita: ver la solicitud {code}",
    "desk.appointment.actions": "Acciones",
    "desk.appointment.complete": "Atendida",
    "desk.appointment.no_show": "No asistió",
    "desk.appointment.cancel": "Cancelar la cita",
    "desk.appointment.cancel_reason": "Motivo (opcional; se lo enviamos al paciente)",
    "desk.appointment.not_started_yet": (
        "Podrás marcarla como atendida o no asistió cuando llegue su hora."
    ),
    "desk.appointment.no_move": (
        "Para cambiar el horario, cancela la cita con un motivo; el paciente puede pedir otro "
        "horario por WhatsApp."
    ),
    "desk.appointment.earlier": "Citas anteriores de este paciente aquí",
    "desk.appointment.no_earlier": "Es su primera cita en este consultorio.",
    "desk.appointment.notes": "Notas",
    "desk.appointment.no_notes": "Sin notas todavía.",
    "desk.appointment.private": "privada",
    "desk.appointment.add_note": "Agregar nota",
    "desk.appointment.note_type": "Tipo",
    "desk.appointment.note_type.diagnosis": "Diagnóstico",
    "desk.appointment.note_type.treatment": "Tratamiento",
    "desk.appointment.note_type.follow_up": "Seguimiento",
    "desk.appointment.note_type.prescription": "Receta",
    "desk.appointment.note_private": "Privada (solo para ti)",
    "desk.appointment.note_text": "Nota",
    "desk.appointment.save_note": "Guardar nota",
    "desk.appointment.note_saved": "Nota guardada en la cita {code}.",
    "desk.appointment.note_saved_private": "Nota privada guardada en la cita {code}.",
    "desk.appointment.note_empty": "Escribe la nota antes de guardarla.",
    "desk.appointment.note_too_long": "La nota puede tener hasta 4000 caracteres.",
    "desk.appointment.reason_too_long": "El motivo puede tener hasta 300 caracteres.",
    "desk.appointment.completed": "Cita {code} marcada como atendida.",
    "desk.appointment.no_show_marked": "Cita {code} marcada como no asistió.",
    "desk.appointment.cancelled": "Cita {code} cancelada. Le avisamos al paciente por WhatsApp.",
    "desk.appointment.refused.illegal": "La cita {code} ya está {status}: no cambió nada.",
    "desk.appointment.refused.not_started": (
        "La cita {code} aún no empieza: márcala como atendida o no asistió desde su hora."
    ),
    "desk.appointment.refused.already_started": (
        "La cita {code} ya empezó: no se puede cancelar; márcala como atendida o no asistió."
    ),
    "desk.appointment.refused.expired": "La cita {code} no cambió.",
    "desk.appointment.refused.expired_unknown_time": "La cita {code} no cambió.",
    "desk.appointment.refused.other": "No se pudo cambiar la cita {code}; no cambió nada.",
}
