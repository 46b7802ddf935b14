"""The desk's calendar feeds pages (Spanish), and the calendar files' words."""

TEXTS: dict[str, str] = {
    "desk.calendar.title": "Tu calendario",
    "desk.calendar.explain": (
        "Ve las citas del consultorio en Google Calendar, Outlook o el Calendario de Apple: "
        "suscríbete con una dirección privada. Muestra la hora, el servicio, el nombre de pila "
        "del paciente y el código; nada clínico. Las solicitudes por responder aparecen como "
        "provisionales."
    ),
    "desk.calendar.your_url": "Tu dirección privada de calendario",
    "desk.calendar.shown_once": (
        "Cópiala ahora: por seguridad solo la mostramos esta vez. Si la pierdes, crea otra."
    ),
    "desk.calendar.how_to": (
        "En tu calendario, busca «Agregar calendario» → «Desde URL» (o «Suscribirse») y pega "
        "la dirección. Se actualiza sola cada pocos minutos u horas, según la aplicación."
    ),
    "desk.calendar.active": (
        "Tienes una dirección de calendario activa. Por seguridad solo se muestra una vez, al "
        "crearla: si la perdiste, crea una nueva y la anterior dejará de funcionar."
    ),
    "desk.calendar.none": "Aún no tienes una dirección de calendario.",
    "desk.calendar.private": (
        "Quien tenga la dirección ve la agenda del consultorio: no la compartas. Puedes "
        "desactivarla cuando quieras."
    ),
    "desk.calendar.create": "Crear mi dirección",
    "desk.calendar.replace": "Crear una dirección nueva",
    "desk.calendar.revoke": "Desactivar la dirección",
    "desk.calendar.revoked": "Listo: tu dirección de calendario dejó de funcionar.",
    # In the files themselves
    "desk.calendar.feed_name": "Citas · {practice}",
    "desk.calendar.file_code": "Código de tu cita: {code}",
}
