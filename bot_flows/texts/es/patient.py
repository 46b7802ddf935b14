"""The patient sentences: short, warm, numbered; one idea per message."""

TEXTS: dict[str, str] = {
    # Welcome and consent
    "patient.welcome": "¡Hola! 👋 Soy el asistente {of_doctor}. Te ayudo a agendar tu cita.",
    "patient.welcome_back": "¡Hola de nuevo! 👋 Soy el asistente {of_doctor}.",
    "patient.consent": (
        "🔒 Antes de empezar: para agendar guardaremos tu nombre, tu número y lo que nos "
        "cuentes sobre tu salud. Solo lo verá el equipo {of_doctor}, para atenderte; no lo "
        "compartimos con nadie más. Puedes pedir al consultorio que lo borre cuando quieras.\n\n"
        "¿Aceptas?\n1. Sí, acepto\n2. No acepto"
    ),
    "patient.consent_thanks": "¡Gracias! 🙌",
    "patient.declined": (
        "Entendido. No guardaremos nada tuyo. Si cambias de opinión, escríbenos cuando quieras. 🙏"
    ),
    # Menu and everywhere
    "patient.menu": (
        "¿Qué necesitas?\n1. Agendar una cita\n2. Mis citas\n3. Cancelar o cambiar una cita\n"
        "4. Hablar con el consultorio"
    ),
    "patient.greeted": "¡Hola! 👋",
    "patient.you_are_welcome": "¡Con gusto! 😊 Si necesitas algo más, escribe *menu*.",
    "patient.not_understood": "No te entendí 🙈 Responde con el número de una opción.",
    "patient.text_only": "Por ahora solo puedo leer mensajes de texto ✍️",
    "patient.language_set": "De acuerdo, seguimos en español.",
    # Offered under the welcome when the practice or the number's country would have chosen
    # the other language; each is written in the language it offers, in both catalogues.
    "patient.offer_language.es": "Escribe *español* para continuar en español.",
    "patient.offer_language.en": "Reply *English* to continue in English.",
    "patient.idle_reset": (
        "¡Hola de nuevo! 👋 Pasó un tiempo, así que empezamos desde el inicio "
        "(borré tus respuestas anteriores)."
    ),
    "patient.emergency": (
        "⚠️ Lo que describes puede ser una emergencia. Llama ahora al {phone} o ve a urgencias. "
        "Por este chat no podemos atender emergencias."
    ),
    "patient.handoff": (
        "Listo, avisé al consultorio. Te escribirán por aquí lo antes posible. "
        "Si quieres volver al menú, escribe *menu*."
    ),
    "patient.back": "¡Hola de nuevo! 👋",
    # Help
    "patient.help.consent": (
        "Necesitamos tu permiso para guardar tus datos antes de agendar. Responde *1* para "
        "aceptar o *2* si no aceptas. Escribe *english* para leerlo en inglés."
    ),
    "patient.help.menu": (
        "Responde con el número de lo que necesitas. En cualquier momento: *menu* vuelve aquí, "
        "*ayuda* te explica qué hacer y *english* cambia el idioma a inglés. Escribe *mis datos* "
        "para ver, corregir o borrar lo que guardamos de ti."
    ),
    "patient.help.choose": (
        "Responde solo con el número de la opción, por ejemplo *1*. Escribe *menu* para volver "
        "al inicio."
    ),
    "patient.help.time": (
        "Responde con el número de la hora, o escríbela, por ejemplo *10:30*. Si ninguna te "
        "sirve, escribe *avísame* y te anoto en la lista de espera. Escribe *menu* para volver "
        "al inicio."
    ),
    "patient.help.write": (
        "Escribe tu respuesta con tus propias palabras. Escribe *menu* para volver al inicio."
    ),
    "patient.help.optional": (
        "Escribe tu respuesta con tus propias palabras, o *no* si no aplica. Escribe *menu* "
        "para volver al inicio."
    ),
    "patient.help.rebook": (
        "Responde con el número de un horario, por ejemplo *1*: te preguntaremos antes de "
        "enviar la solicitud, con los datos que ya nos diste. Para otro día escribe *menu*."
    ),
    "patient.help.age": "Escribe tu edad en números, por ejemplo *34*.",
    "patient.help.email": "Escribe tu correo completo, por ejemplo *nombre@ejemplo.com*.",
    # Booking: service, day, time
    "patient.services": "¿Qué servicio necesitas?\n{options}",
    "patient.service_option": "{name} ({duration} min)",
    "patient.minutes": "{n} min",
    "patient.no_services": (
        "Por ahora no hay servicios para agendar por aquí. Elige *4* para hablar con el "
        "consultorio."
    ),
    "patient.days": "📅 ¿Qué día te acomoda?\n{options}",
    "patient.no_days": (
        "Lo siento, ya no quedan horarios libres de {service} en los próximos días. Elige *4* "
        "para hablar con el consultorio."
    ),
    "patient.no_days_left": (
        "Lo siento, ya no quedan horarios libres de {service} en los próximos días 😕"
    ),
    "patient.day_full": "Ese día se acaba de llenar 😕 Elige otro, por favor.",
    "patient.slot_gone": "Ese horario ya no está libre 😕 Estos sí lo están:",
    "patient.old_list": "Esa lista ya no está vigente. Elige de esta, por favor:",
    "patient.times": "🕐 ¿A qué hora, el {day}?\n{options}",
    "patient.more_times": "Más horarios ➡️",
    "choices.button": "Ver opciones",  # opens a WhatsApp list (≤ 20 characters)
    "patient.more_days": "Más días ➡️",
    "patient.all_times": "Ver todos los horarios de ese día",
    "patient.part.morning": "mañana",
    "patient.part.afternoon": "tarde",
    "patient.no_times_in_part": (
        "En la {part} del {day} ya no hay lugar 😕 Te muestro todos sus horarios."
    ),
    "patient.day_unavailable": (
        "El {day} no hay horarios libres 😕 Te muestro los días libres más cercanos."
    ),
    "patient.week_unavailable": (
        "Esa semana ya no hay horarios libres 😕 Te muestro los días libres más cercanos."
    ),
    "patient.time_not_free": (
        "A las {time} del {day} no hay lugar 😕 Te muestro los horarios libres más cercanos."
    ),
    "patient.which_one": (
        "No estoy seguro de cuál quisiste decir 🤔 Responde con el número de una opción."
    ),
    # Intake
    "patient.ask_name": "¿Cuál es tu nombre completo?",
    "patient.ask_age": "¿Qué edad tienes? (solo el número)",
    "patient.bad_age": "Necesito tu edad en números, entre 0 y 120.",
    "patient.bad_name": (
        "Necesito el nombre completo de quien viene a la consulta: nombre y apellido, "
        "solo el de esa persona."
    ),
    "patient.ask_sex": "¿Cuál es tu sexo?\n1. Femenino\n2. Masculino\n3. Otro / prefiero no decir",
    "patient.ask_reason": (
        "¿Cuál es el motivo de tu consulta? Cuéntame tus síntomas y desde cuándo."
    ),
    "patient.ask_reason_brief": "¿Cuál es el motivo de tu consulta? Cuéntalo en pocas palabras.",
    "patient.reason_needed": (
        "Cuéntanos brevemente el motivo, por ejemplo: revisión general o dolor de garganta."
    ),
    "patient.ask_symptoms": "¿Qué síntomas tienes y desde cuándo? (escribe *no* si ninguno)",
    "patient.ask_health": (
        "¿Tienes alguna enfermedad, tomas algún medicamento o tienes alguna alergia? "
        "Responde *no* si ninguna; si sí, te pregunto una por una."
    ),
    "patient.answer_needed": "El consultorio necesita esta respuesta para tu cita 🙏",
    "patient.ask_history": (
        "¿Tienes alguna enfermedad, cirugía u otro antecedente médico? (escribe *no* si ninguno)"
    ),
    "patient.ask_medications": "¿Tomas algún medicamento actualmente? (escribe *no* si ninguno)",
    "patient.ask_allergies": "¿Tienes alguna alergia? (escribe *no* si ninguna)",
    "patient.ask_urgency": "¿Qué tan urgente es?\n1. Baja\n2. Normal\n3. Alta\n4. Urgente",
    "patient.ask_contact": (
        "¿Cómo prefieres que te contactemos?\n1. WhatsApp\n2. Llamada\n3. Correo electrónico"
    ),
    "patient.ask_email": "¿Cuál es tu correo electrónico?",
    "patient.bad_email": "Ese correo no parece válido. Escríbelo así: nombre@ejemplo.com",
    "patient.write_words": "Escríbelo con palabras, por favor ✍️",
    "patient.sex.female": "femenino",
    "patient.sex.male": "masculino",
    "patient.sex.other": "otro / prefiere no decir",
    "patient.contact.whatsapp": "WhatsApp",
    "patient.contact.phone": "llamada",
    "patient.contact.email": "correo ({email})",
    "patient.nothing": "no",
    # Summary and request
    "patient.summary": (
        "📋 Revisa tu solicitud:\n{service}\n{when}\n\n{answers}\n\n1. Confirmar\n"
        "2. Empezar de nuevo\n3. Cancelar"
    ),
    "patient.summary_kept": (
        "📋 Revisa tu solicitud:\n{service}\n{when}\n\n{answers}\n\n"
        "🗂️ Tus datos de la vez pasada:\n{kept}\n\n1. Confirmar\n2. Empezar de nuevo\n"
        "3. Cancelar\n4. Cambiar mis datos"
    ),
    "patient.field.name": "Nombre: {value}",
    "patient.field.age": "Edad: {value}",
    "patient.field.sex": "Sexo: {value}",
    "patient.field.reason": "Motivo: {value}",
    "patient.field.symptoms": "Síntomas: {value}",
    "patient.field.history": "Antecedentes: {value}",
    "patient.field.medications": "Medicamentos: {value}",
    "patient.field.allergies": "Alergias: {value}",
    "patient.field.urgency": "Urgencia: {value}",
    "patient.field.contact": "Contacto: {value}",
    "patient.discarded": "Listo, no enviamos nada y borré tus respuestas.",
    "patient.requested": (
        "✅ ¡Listo! Enviamos tu solicitud *{code}* para el {when}. Tendrás la respuesta "
        "{of_doctor} antes de las {deadline}; te avisaremos por aquí.{details}"
    ),
    "patient.booked": "✅ ¡Listo! Tu cita *{code}* quedó confirmada para el {when}.{details}",
    "patient.slot_taken": "Uy, alguien tomó ese horario hace un momento 😕",
    "patient.nearest": "Estos son los horarios libres más cercanos:\n{options}",
    # Another time after a rejection or an expiry, with the same answers
    "patient.rebook_options": (
        "Estos horarios siguen libres:\n{options}\n"
        "Responde con el número y enviamos tu solicitud con los mismos datos, o escribe *menu*."
    ),
    "patient.rebook_confirm": (
        "¿Enviamos {to_doctor} una nueva solicitud para el {when}, con los mismos datos de "
        "tu solicitud *{code}*?\n1. Sí, enviarla\n2. No, ver los otros horarios"
    ),
    "patient.rebook_gone": "No encontramos tu solicitud anterior, así que no podemos repetirla 🙏",
    "patient.rebook_none": (
        "Ya no quedan horarios libres cerca de ese 😕 Puedes elegir otro día desde el menú."
    ),
    "patient.open_request": (
        "Ya tienes una solicitud esperando respuesta {of_the_doctor} (código *{code}*). "
        "Te avisaremos en cuanto responda."
    ),
    "patient.chat_closed": (
        "Por ahora no puedo agendarte por este chat 🙏 Como hubo citas a las que no pudiste "
        "llegar, {the_doctor} prefiere agendar contigo directamente: llama al {phone}. "
        "Si prefieres, escribe *4* y le dejo tu mensaje."
    ),
    "patient.chat_closed_no_phone": (
        "Por ahora no puedo agendarte por este chat 🙏 Como hubo citas a las que no pudiste "
        "llegar, {the_doctor} prefiere agendar contigo directamente. Escribe *4* y le aviso "
        "para que te escriba."
    ),
    "patient.upcoming_appointment": (
        "Ya tienes una cita próxima (código *{code}*); puedes tener una a la vez. Escribe *2* "
        "para ver tus citas o *3* para cancelarla o cambiarla."
    ),
    "patient.try_again": "Algo falló de nuestro lado 🙏 Intenta de nuevo en un momento.",
    # My appointments, cancel, reschedule
    "patient.bookings": "📅 Tus citas:\n{bookings}",
    "patient.booking_line": "*{code}* · {service} · {when} · {status}",
    "patient.status.waiting": "esperando respuesta del consultorio",
    "patient.status.confirmed": "confirmada",
    "patient.status.move_waiting": "cambio de tu cita *{code}*, esperando respuesta",
    "patient.no_bookings": "No tienes citas próximas.",
    "patient.pick_booking": "¿Cuál quieres cancelar o cambiar?\n{options}",
    "patient.action": "{booking}\n¿Qué quieres hacer?\n1. Cancelarla\n2. Cambiar día u hora",
    "patient.policy": "📄 Política de cancelación: {policy}",
    "patient.cancel_confirm": (
        "¿Seguro que quieres cancelar tu cita *{code}* del {when}?\n1. Sí, cancelar\n"
        "2. No, conservarla"
    ),
    "patient.withdraw_confirm": (
        "¿Retiras tu solicitud *{code}* del {when}?\n1. Sí, retirarla\n2. No, conservarla"
    ),
    "patient.cancelled": "Listo, cancelamos tu cita *{code}* y avisamos al consultorio.",
    "patient.withdrawn": "Listo, retiraste tu solicitud *{code}* y avisamos al consultorio.",
    "patient.kept": "Perfecto, la conservamos 👍",
    "patient.booking_gone": "No encontré esa cita; quizá ya cambió. Revisa *2. Mis citas*.",
    "patient.move_request": (
        "Tu solicitud *{code}* aún espera respuesta del consultorio, así que no se puede mover. "
        "Si prefieres otra hora, retírala (opción 1) y agenda de nuevo."
    ),
    "patient.cannot_move": (
        "Esa cita ya no se puede cambiar por aquí. Elige *4* para hablar con el consultorio."
    ),
    "patient.already_started": (
        "Tu cita *{code}* ya empezó, así que ya no se puede cancelar ni cambiar por aquí. "
        "Elige *4* para hablar con el consultorio."
    ),
    "patient.moved": "✅ Listo, tu cita *{code}* ahora es el {when}.",
    "patient.move_confirm": (
        "¿Cambiar tu cita *{code}* del {old} al {new}?\n1. Sí, cambiarla\n2. No, dejarla como está"
    ),
    "patient.move_asked": (
        "📨 Le pedimos {to_doctor} cambiar tu cita *{code}* al {when}. Te responderá antes "
        "de las {deadline}; mientras tanto tu cita sigue como está."
    ),
    "patient.move_pending": (
        "Ya pediste cambiar tu cita *{code}* al {when} y aún esperamos la respuesta. "
        "Te avisaremos por aquí; hasta entonces tu cita sigue como está."
    ),
    "patient.move_pending_now": (
        "Ya hay un cambio de tu cita *{code}* esperando respuesta; te avisaremos por aquí. "
        "Hasta entonces tu cita sigue como está."
    ),
    # Reminders
    "patient.reminder": (
        "Sobre tu cita *{code}*, responde:\n1. Confirmo que asistiré\n2. Cancelar\n"
        "3. Cambiar día u hora"
    ),
    "patient.must_reconfirm": (
        "⚠️ Como faltaste a citas anteriores, te pediremos confirmar tu asistencia antes de "
        "la cita: si no confirmas, liberaremos el horario."
    ),
    # The waitlist
    "patient.waitlist_join": (
        "Puedo anotarte en la lista de espera de {service}: si se libera un horario entre hoy "
        "y el {until}, te escribo. ¿Qué horario te queda mejor?\n1. Por la mañana\n"
        "2. Por la tarde\n3. A cualquier hora\n4. No, gracias"
    ),
    "patient.waitlist_not_joined": (
        "Entendido 👍 Escribe *menu* cuando quieras buscar otro horario."
    ),
    "patient.waitlist_when": "⏳ Lista de espera: del {first} al {last}, {part}",
    "patient.waitlist_part.morning": "por la mañana",
    "patient.waitlist_part.afternoon": "por la tarde",
    "patient.waitlist_part.any": "a cualquier hora",
    "patient.waitlist_joined": (
        "✅ Listo, estás en la lista de espera de {service} hasta el {last}. Si se libera un "
        "horario te escribo: es para quien conteste primero. Cuando te lo ofrezca podrás "
        "tomarlo, dejarlo pasar o salir de la lista."
    ),
    "patient.waitlist_offer": (
        "🔔 Se liberó un horario: {service}, {when}. ¿Lo quieres?\n1. Sí, lo quiero\n"
        "2. No, este no\n3. Salir de la lista"
    ),
    "patient.waitlist_passed": "Entendido, sigues en la lista de espera 👍",
    "patient.waitlist_left": "Listo, saliste de la lista de espera. Escribe *menu* cuando quieras.",
    "patient.waitlist_too_late": (
        "Uy, ese horario ya lo tomó otra persona o la oferta venció 😕 Sigues en la lista de "
        "espera: te aviso si se libera otro."
    ),
    "patient.help.waitlist_offer": (
        "Responde *1* para tomar el horario, *2* si no te sirve (sigues en la lista) o *3* "
        "para salir de la lista de espera."
    ),
    "patient.attendance_thanks": "¡Gracias por confirmar! Te esperamos 🙌",
    # MIS DATOS: what is held about this phone, and the patient's rights over it
    "patient.my_data.held": (
        "📋 Esto es lo que el consultorio guarda de este número:\n"
        "Nombre: {name}\nEdad: {age}\nSexo: {sex}\nIdioma: {spoken}"
    ),
    "patient.my_data.booking": "🗓️ {code} · {service} · {when} · {status}\n{answers}",
    "patient.my_data.no_bookings": "No tienes citas ni solicitudes con el consultorio.",
    "patient.my_data.no_answers": "Sin respuestas guardadas.",
    "patient.my_data.unknown": "no indicado",
    "patient.my_data.language.es": "español",
    "patient.my_data.language.en": "inglés",
    "patient.my_data.reason": "Motivo: {value}",
    "patient.my_data.symptoms": "Síntomas: {value}",
    "patient.my_data.history": "Antecedentes: {value}",
    "patient.my_data.medications": "Medicamentos: {value}",
    "patient.my_data.allergies": "Alergias: {value}",
    "patient.my_data.status.pending": "esperando respuesta",
    "patient.my_data.status.confirmed": "confirmada",
    "patient.my_data.status.rejected": "no aceptada",
    "patient.my_data.status.expired": "vencida sin respuesta",
    "patient.my_data.status.cancelled": "cancelada",
    "patient.my_data.status.completed": "atendida",
    "patient.my_data.status.no_show": "no asististe",
    "patient.my_data.options": (
        "¿Qué quieres hacer?\n1. Corregir mis datos\n2. Retirar consentimiento\n"
        "3. Borrar mis datos\n4. Volver al menú"
    ),
    "patient.my_data.fix": "¿Qué dato quieres corregir?\n1. Nombre\n2. Edad\n3. Sexo",
    "patient.my_data.corrected": "✅ Listo, lo corregimos.",
    "patient.my_data.kept": "De acuerdo, no cambiamos nada.",
    "patient.my_data.withdraw_confirm": (
        "Si retiras tu consentimiento, dejaremos de usar tus datos y no te escribiremos más, "
        "salvo para confirmarlo.\n¿Lo retiras?\n1. Sí, lo retiro\n2. No"
    ),
    "patient.my_data.withdrawn": (
        "Listo: retiraste tu consentimiento. No usaremos tus datos ni te escribiremos más. "
        "Si algún día quieres volver, escríbenos. 🙏"
    ),
    "patient.my_data.erase_confirm": (
        "Si borramos tus datos, cancelamos tus citas y solicitudes pendientes, no te "
        "escribimos más y borramos tu nombre, tu número y tus respuestas. Lo que la ley "
        "obliga al consultorio a conservar (el expediente de las consultas a las que ya "
        "viniste) queda cifrado y bloqueado hasta que se cumpla su plazo.\n"
        "¿Borramos tus datos?\n1. Sí, bórrenlos\n2. No"
    ),
    "patient.my_data.erased_cancelled": "Cancelamos lo que tenías pendiente: {codes}.",
    "patient.my_data.erased": (
        "🗑️ Listo, borramos tus datos:\n"
        "• tu nombre, tu número, tu edad y tu sexo\n"
        "• tus respuestas de salud (solicitudes: {bookings})\n"
        "• el texto de tus mensajes (mensajes: {messages})\n"
        "No te escribiremos más."
    ),
    "patient.my_data.record_kept": (
        "⚖️ La ley obliga al consultorio a conservar el expediente de tus consultas "
        "atendidas (consultas: {visits}) hasta el {until}. Queda cifrado y bloqueado: nadie "
        "puede usarlo, y ese día se borra solo."
    ),
    "patient.my_data.nothing_kept": "No queda nada guardado con tu nombre ni con tu número.",
}
