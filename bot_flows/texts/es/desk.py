"""The web desk, in Spanish: pages for the doctor and their staff, and the sign-in code."""

TEXTS: dict[str, str] = {
    "notification.desk_code": (
        "🔐 Tu código para entrar al escritorio de Citabot de {doctor}: *{code}*. Vence en "
        "{minutes} minutos. Si no lo pediste, ignora este mensaje."
    ),
    "desk.title": "Escritorio",
    "desk.nav.agenda": "Agenda",
    "desk.nav.block": "Bloquear",
    "desk.nav.waitlist": "Lista de espera",
    "desk.nav.calendar": "Calendario",
    "desk.nav.settings": "Ajustes",
    "desk.nav.team": "Equipo",
    "desk.nav.audit": "Registro",
    "desk.logout": "Salir",
    # Sign-in
    "desk.login.title": "Entrar",
    "desk.login.explain": (
        "Escribe el número de WhatsApp con el que el consultorio te registró: te enviaremos "
        "un código de 6 dígitos."
    ),
    "desk.login.phone": "Tu número de WhatsApp",
    "desk.login.send": "Enviarme el código",
    "desk.login.too_many": "Pediste demasiados códigos. Espera un rato y vuelve a intentarlo.",
    "desk.login.locked": (
        "Por seguridad, este número no puede entrar por unos minutos (demasiados códigos "
        "equivocados)."
    ),
    "desk.code.title": "Tu código",
    "desk.code.explain": (
        "Si {phone} está registrado en un consultorio, le enviamos un código por WhatsApp. "
        "Vence en 10 minutos."
    ),
    "desk.code.label": "Código de 6 dígitos",
    "desk.code.enter": "Entrar",
    "desk.code.again": "Pedir otro código",
    "desk.code.wrong": "Ese código no es correcto. Revísalo y vuelve a escribirlo.",
    "desk.code.expired": "Ese código ya no vale (venció o ya se usó). Pide otro.",
    "desk.code.locked": (
        "Demasiados intentos equivocados: por seguridad, espera unos minutos y pide otro código."
    ),
    # The agenda
    "desk.agenda.pending": "Solicitudes por responder: {count}",
    "desk.agenda.rights": "Derechos sobre datos personales por atender: {count}",
    "desk.rights.access": "Acceso a sus datos",
    "desk.rights.correction": "Corrección de datos",
    "desk.rights.withdrawal": "Retiro del consentimiento",
    "desk.rights.erasure": "Borrado de datos",
    "desk.rights.due": "plazo legal: {day}",
    "desk.rights.overdue": "plazo legal vencido el {day}",
    "desk.agenda.answer_by": "Responder antes de las {time}",
    "desk.agenda.today": "Hoy",
    "desk.agenda.show_day": "Ver el día",
    "desk.agenda.show_week": "Ver la semana",
    "desk.agenda.empty": "Sin citas.",
    "desk.agenda.confirmed": "dijo que viene ✅",
    "desk.status.pending": "solicitud por responder",
    "desk.status.confirmed": "confirmada",
    "desk.status.completed": "atendida",
    "desk.status.no_show": "no asistió",
    "desk.status.cancelled": "cancelada",
    "desk.status.approved": "aprobada",
    "desk.status.rejected": "rechazada",
    "desk.status.expired": "vencida",
}
