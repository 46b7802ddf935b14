"""The desk's practice settings, blocks, waitlist, team, audit pages (Spanish)."""

TEXTS: dict[str, str] = {
    # Settings
    "desk.settings.title": "Ajustes del consultorio",
    "desk.settings.explain": (
        "Los cambios se revisan igual que el archivo del consultorio. Al guardar, los "
        "horarios libres que ven los pacientes se vuelven a calcular."
    ),
    "desk.settings.refused": "No guardé nada: revisa lo marcado.",
    "desk.settings.saved": "Guardé los cambios; los horarios libres ya siguen los nuevos ajustes.",
    "desk.settings.unchanged": "No había nada que cambiar.",
    "desk.settings.services": "Servicios",
    "desk.settings.service.name": "Nombre",
    "desk.settings.service.duration": "Duración (minutos)",
    "desk.settings.service.price": "Precio",
    "desk.settings.service.active": "Se ofrece a los pacientes",
    "desk.settings.service.new": "Agregar un servicio",
    "desk.settings.hours": "Horario semanal",
    "desk.settings.hours.window": "Horario {number}",
    "desk.settings.hours.new": "Agregar un horario",
    "desk.settings.hours.days": "Días",
    "desk.settings.hours.start": "Desde",
    "desk.settings.hours.end": "Hasta",
    "desk.settings.hours.slot": "Una cita cada (minutos)",
    "desk.settings.hours.remove": "Quitar este horario",
    "desk.settings.day.0": "Dom",
    "desk.settings.day.1": "Lun",
    "desk.settings.day.2": "Mar",
    "desk.settings.day.3": "Mié",
    "desk.settings.day.4": "Jue",
    "desk.settings.day.5": "Vie",
    "desk.settings.day.6": "Sáb",
    "desk.settings.closed": "Días cerrados",
    "desk.settings.closed.explain": (
        "Borra una fecha para volver a abrir ese día; escribe una nueva en el último campo."
    ),
    "desk.settings.booking": "Reservas",
    "desk.settings.approval_required": "Aprobar cada cita antes de confirmarla",
    "desk.settings.min_notice_minutes": "Anticipación mínima para reservar (minutos)",
    "desk.settings.booking_horizon_days": "Se puede reservar hasta con estos días de anticipación",
    "desk.settings.save": "Guardar",
    "desk.settings.error.services": "Deja al menos un servicio que se ofrezca a los pacientes.",
    "desk.settings.error.service.name": (
        "Escribe un nombre (hasta 255 letras) distinto del de los otros servicios."
    ),
    "desk.settings.error.service.duration": (
        "La duración es un número entero de 1 a 480 minutos, y debe caber en algún horario."
    ),
    "desk.settings.error.service.price": (
        "Escribe un precio de 0 o más, con hasta 2 decimales, como 500.00."
    ),
    "desk.settings.error.hours.day": "Marca al menos un día.",
    "desk.settings.error.hours.start": "Escribe la hora de inicio, como 09:00.",
    "desk.settings.error.hours.end": "Escribe la hora de fin, posterior a la de inicio.",
    "desk.settings.error.hours.slot": "Una cita cada 5 a 480 minutos, en número entero.",
    "desk.settings.error.hours.window": (
        "Este horario se cruza con otro el mismo día, o no cabe en él ni una cita."
    ),
    "desk.settings.error.closed": "Escribe cada fecha como 2026-12-25.",
    "desk.settings.error.approval_required": "Elige si apruebas cada cita.",
    "desk.settings.error.min_notice_minutes": (
        "La anticipación mínima es un número entero de minutos, menor que el plazo para reservar."
    ),
    "desk.settings.error.booking_horizon_days": "El plazo para reservar es de 1 a 365 días.",
    "desk.settings.error.other": (
        "Algunos datos del consultorio no pasan la revisión ({fields}); corrígelos en el "
        "archivo del consultorio."
    ),
    # Blocks
    "desk.block.title": "Bloquear un día o un horario",
    "desk.block.explain": (
        "Nadie podrá reservar en ese periodo. Las citas que ya hay siguen en pie: antes de "
        "bloquear verás cuáles son."
    ),
    "desk.block.day": "Día",
    "desk.block.start": "Desde (opcional)",
    "desk.block.end": "Hasta (opcional)",
    "desk.block.preview": "Ver a qué afecta",
    "desk.block.preview.title": "Bloquear {period}",
    "desk.block.preview.none": "No hay citas ni solicitudes en ese periodo.",
    "desk.block.preview.some": (
        "Estas citas y solicitudes siguen en pie si bloqueas; luego decide qué hacer con cada una:"
    ),
    "desk.block.confirm": "Bloquear",
    "desk.block.done": (
        "Bloqueé {period}. Horarios cerrados: {count}. Citas y solicitudes que siguen en pie: "
        "{bookings}."
    ),
    "desk.block.reopened": (
        "Desbloqueé {period}. Horarios abiertos de nuevo: {count}; los libres se ofrecen a la "
        "lista de espera."
    ),
    "desk.block.list": "Días y horarios cerrados",
    "desk.block.list.none": "No hay nada cerrado de hoy en adelante.",
    "desk.block.unblock": "Desbloquear",
    "desk.block.period.day": "todo el {day}",
    "desk.block.period.range": "el {day}, de {start} a {end}",
    "desk.block.error.day": "Elige el día, como 2026-12-24.",
    "desk.block.error.range": (
        "Escribe las dos horas, con el inicio antes del fin (como 10:00 y 12:00), o ninguna "
        "para todo el día."
    ),
    # The waitlist
    "desk.waitlist.title": "Lista de espera",
    "desk.waitlist.explain": (
        "Cuando se libera un horario, se ofrece a quienes esperan ese servicio, en orden de "
        "llegada."
    ),
    "desk.waitlist.empty": "Nadie está esperando.",
    "desk.waitlist.unnamed": "Sin nombre",
    "desk.waitlist.phone_end": "teléfono terminado en {digits}",
    "desk.waitlist.days": "del {first} al {last}",
    "desk.waitlist.part.any": "a cualquier hora",
    "desk.waitlist.part.morning": "por la mañana",
    "desk.waitlist.part.afternoon": "por la tarde",
    "desk.waitlist.status.waiting": "esperando",
    "desk.waitlist.status.offered": "con un horario ofrecido",
    "desk.waitlist.offer": "Se le ofreció el {when}; la oferta vence a las {expires}.",
    # The team
    "desk.team.title": "Equipo",
    "desk.team.explain": (
        "Quienes están aquí entran al escritorio con su WhatsApp. El personal ve la agenda, "
        "las solicitudes y los bloqueos, pero no las notas clínicas ni las privadas."
    ),
    "desk.team.role.doctor": "Médico(a)",
    "desk.team.role.staff": "Personal",
    "desk.team.remove": "Quitar",
    "desk.team.add": "Agregar a alguien",
    "desk.team.phone": "Su número de WhatsApp",
    "desk.team.name": "Su nombre",
    "desk.team.submit": "Agregar",
    "desk.team.tip": "También puedes escribir por WhatsApp: EQUIPO +52 55 1234 5678 Nombre.",
    "desk.team.added": "{name} ya es parte del equipo: puede entrar con su número.",
    "desk.team.removed": "{name} ya no es parte del equipo; su sesión se cerró.",
    "desk.team.error.bad_phone": (
        "Escribe el número en formato internacional, con + y código de país, como +52 55 1234 5678."
    ),
    "desk.team.error.bad_name": "Escribe su nombre (hasta 120 letras).",
    "desk.team.error.is_doctor": "Ese es el número del médico; ya tiene acceso.",
    "desk.team.error.already": "Ese número ya es parte del equipo.",
    "desk.team.error.not_found": "Esa persona no está en el equipo.",
    # The audit log
    "desk.audit.title": "Registro de actividad",
    "desk.audit.explain": "Quién leyó datos de pacientes o cambió algo, y cuándo.",
    "desk.audit.empty": "Todavía no hay nada registrado.",
    "desk.audit.who": "Quién",
    "desk.audit.action": "Qué hizo",
    "desk.audit.subject": "Sobre qué",
    "desk.audit.when": "Cuándo",
    "desk.audit.nobody": "—",
    "desk.audit.newer": "← Más recientes",
    "desk.audit.older": "Anteriores →",
    "desk.audit.action.settings": "cambió los ajustes",
    "desk.audit.field.services": "servicios",
    "desk.audit.field.availability": "horario semanal",
    "desk.audit.field.closed": "días cerrados",
    "desk.audit.field.approval_required": "aprobación de citas",
    "desk.audit.field.min_notice_minutes": "anticipación mínima",
    "desk.audit.field.booking_horizon_days": "plazo para reservar",
    "desk.audit.action.block": "bloqueó",
    "desk.audit.action.unblock": "desbloqueó",
    "desk.audit.action.add_member": "agregó al equipo a",
    "desk.audit.action.remove_member": "quitó del equipo a",
}
