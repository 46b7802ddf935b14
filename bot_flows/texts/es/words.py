"""The words a Spanish speaker writes, keyed by what they mean.

Written folded, as the flows compare them: lower case, no accents ("si", "manana"),
single spaces. Every language's words are accepted everywhere, so these are read
together with the English ones (`bot_flows.texts.recognised`).
"""

WORDS: dict[str, tuple[str, ...]] = {
    # Understood in every state of the patient's conversation
    "menu": ("menu", "inicio", "menu principal", "volver al menu"),
    "help": ("ayuda", "ayudame", "ayuda por favor"),
    "language.es": ("espanol", "en espanol", "castellano"),
    "language.en": ("ingles", "en ingles"),
    # Telling a patient's language from what they write (bot_flows/language.py): words
    # one language uses and the other does not ("no", "ok", "me" and "a" are in both).
    "language.detect.es": (
        "hola", "holi", "buenas", "buenos dias", "buenas tardes", "buenas noches", "cita",
        "quiero", "quisiera", "queria", "necesito", "por favor", "gracias", "tengo", "estoy",
        "el", "la", "los", "las", "de", "del", "que", "y", "con", "mi", "mis", "es", "un",
        "una", "para", "por", "desde", "hace", "pero", "muy", "puedo", "como", "cuando",
        "donde", "dolor", "duele", "ayer", "hoy", "manana", "semana", "tarde", "si", "nada",
        "ninguno", "ninguna", "consulta", "agendar", "doctora", "medico",
    ),
    "language.detect.en": (),
    # Thanks and acknowledgements: answered kindly, without the whole menu again.
    "thanks": (
        "gracias", "muchas gracias", "mil gracias", "ok", "okey", "okay", "ok gracias",
        "vale", "dale", "sale", "listo", "perfecto", "genial", "excelente", "de acuerdo",
        "gracias doctora", "gracias doctor", "bueno", "super", "entendido",
    ),
    # The word that makes a message thanks, and the kind words that may come with it.
    "thanks.word": ("gracias", "agradezco", "agradecida", "agradecido", "pague"),
    "courtesy": (
        "muchas", "mil", "doctora", "doctor", "dra", "dr", "po", "ya", "dale", "sale", "orale",
        "listo", "no", "si", "ok", "vale", "bueno", "perfecto", "genial", "super", "le", "te",
        "dios", "se", "lo", "muy", "amable", "igualmente", "bendiciones", "hasta", "luego",
    ),
    "greeting": (
        "buen dia", "hola buen dia", "buenas buenas",
        "hola", "holi", "buenas", "buenos dias", "buenas tardes", "buenas noches", "hola buenas",
        "hola buenos dias", "hola buenas tardes", "hola buenas noches", "que tal", "hola que tal",
    ),
    # Numbered choices: "dos", "opción 2", "la 2"
    "number.1": ("uno", "una"),
    "number.2": ("dos",),
    "number.3": ("tres",),
    "number.4": ("cuatro",),
    "number.5": ("cinco",),
    "number.6": ("seis",),
    "number.7": ("siete",),
    "number.8": ("ocho",),
    "number.9": ("nueve",),
    # Hours in words ("a las diez"): never an option's position.
    "number.10": ("diez",),
    "number.11": ("once",),
    "number.12": ("doce",),
    "option": ("opcion", "numero", "la", "el"),
    # Numbers in words beyond the options', for ages ("treinta y cuatro", "veintidos")
    "number.13": ("trece",),
    "number.14": ("catorce",),
    "number.15": ("quince",),
    "number.16": ("dieciseis",),
    "number.17": ("diecisiete",),
    "number.18": ("dieciocho",),
    "number.19": ("diecinueve",),
    "number.20": ("veinte",),
    "number.21": ("veintiuno", "veintiun", "veintiuna"),
    "number.22": ("veintidos",),
    "number.23": ("veintitres",),
    "number.24": ("veinticuatro",),
    "number.25": ("veinticinco",),
    "number.26": ("veintiseis",),
    "number.27": ("veintisiete",),
    "number.28": ("veintiocho",),
    "number.29": ("veintinueve",),
    "number.30": ("treinta",),
    "number.40": ("cuarenta",),
    "number.50": ("cincuenta",),
    "number.60": ("sesenta",),
    "number.70": ("setenta",),
    "number.80": ("ochenta",),
    "number.90": ("noventa",),
    "number.100": ("cien",),
    "number.and": ("y",),
    # Yes and no: consent, the health questions' gate, cancelling
    # The privacy consent's own words, besides "yes" and "no".
    "consent.yes": ("va", "esta bien", "bueno esta bien", "asepto", "aceptado"),
    "consent.no": ("nel", "prefiero que no", "no acepto nada"),
    # Thumbs-up and the like: agreement where nothing needs an express word.
    "agree.emoji": ("👍", "👌", "✅", "🆗"),
    # A "but" after a yes asks for something else: "sí pero cámbiame la hora".
    "but": ("pero", "aunque"),
    "yes": (
        "si", "ok", "okay", "okey", "vale", "claro", "dale", "sip", "acepto", "de acuerdo",
        "si acepto", "si claro", "si gracias", "claro que si", "ok acepto",
    ),
    "no": ("no", "nop", "no acepto", "rechazo", "no gracias", "no quiero"),
    # Nothing to declare: optional intake questions
    "none": ("no", "ninguno", "ninguna", "ningun", "nada", "n/a", "na"),
    # Leaving a question the practice made optional unanswered
    "skip": ("saltar", "omitir", "paso", "prefiero no responder", "prefiero no contestar"),
    # A time typed instead of its number: "4 de la tarde", "16 hrs"
    "clock.morning": ("de la manana", "en la manana", "por la manana"),
    "clock.afternoon": ("de la tarde", "en la tarde", "por la tarde"),
    "clock.night": ("de la noche", "en la noche", "por la noche"),
    "clock.hours": ("h", "hr", "hrs", "horas"),
    # The main menu
    "main_menu.book": ("agendar", "reservar", "nueva cita", "sacar cita"),
    "main_menu.bookings": ("mis citas", "ver citas"),
    "main_menu.change": ("cancelar", "cambiar", "reagendar", "reprogramar"),
    "main_menu.person": ("humano", "persona", "asesor", "recepcion", "hablar"),
    # Booking: the day's next times, and the summary before sending
    "more_times": (
        "mas", "mas horarios", "mas horas", "otros horarios", "otras horas", "otra hora",
        "otros", "mas tarde", "ninguna de esas", "ninguna me sirve", "ninguno me sirve",
        "no me sirve ninguna", "ninguna de esas me sirve", "otro horario",
    ),
    # Before a bare number, these make it an hour ("a las 10"), never an option's position.
    "time.at": (
        "a las", "a la", "las", "como a las", "tipo", "tipo a las", "para las",
        "a eso de las",
    ),
    # Understanding what a patient asks for in words, at the menu or in the middle of a
    # booking ("quiero cancelar mi cita"): phrases matched as whole words.
    "intent.book": (
        "cita", "una cita", "agendar", "agenda", "agendo", "agendame", "reservar", "reserva",
        "sacar cita", "sacar turno", "turno", "un turno", "pedir hora", "pedir una hora",
        "una hora", "hora medica", "una consulta", "hora disponible", "tienen hora", "hay hora",
        "disponible", "tienen algo", "hay lugar", "me atienda", "me atiendan",
        "me vea", "me revise", "programar", "apartar", "separar",
    ),
    "intent.bookings": (
        "mis citas", "ver mis citas", "ver mi cita", "cuando es mi cita",
        "a que hora es mi cita", "que dia es mi cita", "mis turnos", "mi turno", "mi hora",
        "tengo cita", "tengo una cita", "ya tengo cita", "tengo turno", "tengo hora",
    ),
    "intent.change": (
        "cancelar", "cancelarla", "cancela", "cancelo", "anular", "cambiar", "cambiarla",
        "cambio", "reagendar", "reprogramar", "mover", "moverla", "posponer", "aplazar",
        "no voy a poder ir", "no puedo ir", "no podre ir", "no voy a ir", "ya no necesito",
    ),
    "intent.person": (
        "hablar con", "hablar con alguien", "comunicarme con", "me pasas con", "pasame con",
        "me pasa con", "me comunica con", "una persona", "humano",
        "asesor", "asesora", "recepcion", "secretaria", "que me llamen", "llamenme",
        "hablar con la doctora", "hablar con el doctor", "hablar con la dra", "hablar con el dr",
    ),
    # Days in words: weekday and month names come from Babel's locale data.
    "day.after_tomorrow": ("pasado manana", "pasadomanana", "o pasado"),
    "day.next": ("proximo", "proxima", "que viene", "entrante", "siguiente"),
    "week.next": (
        "la otra semana", "la proxima semana", "la semana que viene", "semana que viene",
        "proxima semana", "la semana entrante", "semana entrante", "la siguiente semana",
    ),
    "week.this": ("esta semana", "en la semana"),
    "more_days": (
        "mas dias", "otros dias", "otro dia", "otra fecha", "otras fechas", "mas fechas",
        "ninguno", "ninguna", "ninguno me sirve", "no me sirve ninguno",
    ),
    # Parts of the day and "as soon as possible", at the time question.
    "part.morning": (
        "en la manana", "por la manana", "de manana", "temprano", "a la manana",
        "manana temprano", "de la manana", "en las mananas", "en la mananita",
    ),
    "part.afternoon": (
        "en la tarde", "por la tarde", "de tarde", "a la tarde", "de la tarde", "en las tardes",
        "en la tardecita", "tardecita", "en la noche", "de la noche", "tarde",
    ),
    "time.earliest": (
        "lo antes posible", "lo mas pronto", "lo mas pronto posible", "cuanto antes",
        "la primera", "el primero", "la primera que haya", "la mas temprana", "la mas temprano",
        "lo primero que haya", "la que sea", "cualquiera", "la mas pronta",
    ),
    "time.noon": ("mediodia", "medio dia", "las doce del dia"),
    "time.half": ("y media",),
    "time.quarter": ("y cuarto",),
    "time.quarter_to": ("menos cuarto",),
    "summary.send": (
        "confirmar", "confirmo", "si", "ok", "si confirmo", "si confirmar", "enviar", "confirma",
        "todo correcto", "correcto", "esta bien", "perfecto", "dale",
    ),
    "summary.restart": (
        "de nuevo", "empezar de nuevo", "otra vez", "empezar otra vez", "esta mal", "me equivoque",
        "cambiame", "corregir",
    ),
    "summary.discard": ("cancelar", "canselar", "olvidalo", "mejor no", "ya no quiero"),
    "summary.change": ("cambiar mis datos", "cambiar datos", "cambiarlos", "actualizar mis datos"),
    # The intake
    # How people start their name ("Me llamo Ana Pérez"): not part of it.
    "name.intro": (
        "me llamo", "mi nombre es", "yo me llamo", "soy", "yo soy", "nombre", "mi nombre",
        "se llama", "mi nombre completo es", "nombre completo",
    ),
    # Courtesy before a name ("la señora Rosa Vargas"): not part of it.
    "name.courtesy": ("la senora", "el senor", "senora", "senor", "sra", "sr", "don", "dona"),
    # Small words inside a name, kept in lower case ("Sofía de la Cruz").
    "name.particle": ("de", "del", "la", "las", "los", "y", "e", "el"),
    # Ages: a number after these is no age in years ("tengo 2 hijos y 33 años").
    "age.years": ("anos", "ano", "anitos", "edad"),
    "age.other_units": (
        "meses", "mes", "semanas", "semana", "dias", "hijos", "hijas", "hijo", "hija", "kilos",
    ),
    # Only about that age: asked again rather than guessed.
    "age.approximate": ("como", "casi", "mas o menos", "aproximadamente", "y pico", "y tantos"),
    # "cumplo 30 el mes que viene": 29 now.
    "age.turning": ("cumplo", "voy a cumplir", "cumple", "va a cumplir"),
    "sex.female": ("femenino", "mujer", "f"),
    "sex.male": ("masculino", "hombre", "m"),
    "sex.other": ("otro", "prefiero no decir"),
    "urgency.low": ("baja",),
    "urgency.normal": ("normal", "media", "normalito"),
    "urgency.high": ("alta",),
    "urgency.urgent": ("urgente", "emergencia", "urjente", "urgentisimo"),
    # No hurry: low, unless a level is named too ("normal, nada grave").
    "urgency.calm": (
        "no hay apuro", "sin apuro", "no hay prisa", "sin prisa", "tranqui", "tranquilo",
        "nada grave", "no es grave",
    ),
    # A level between two: asked again.
    "urgency.between": ("medio urgente", "algo urgente", "mas o menos urgente", "medio"),
    # Said of urgency, these mean the opposite of the urgency word they hold.
    "urgency.negated": (
        "no es urgente", "no urgente", "nada urgente", "poco urgente", "no tan urgente",
        "no es tan urgente", "no muy urgente", "no es muy urgente", "no es nada urgente",
        "sin urgencia", "no es urgencia", "no es una emergencia", "no es emergencia",
    ),
    "negation": ("no", "nada", "poco", "sin", "tampoco", "ni"),
    "contact.whatsapp": ("whatsapp", "wa"),
    "contact.phone": ("llamada", "llamar", "telefono"),
    "contact.email": ("correo", "email", "mail", "e mail"),
    # A booking already made: change it, cancel it, answer its reminder
    "action.cancel": ("cancelar", "cancelarla"),
    "action.move": ("cambiar", "cambiarla", "mover", "reagendar", "reprogramar"),
    "cancel.confirm": (
        "si cancelar", "cancelar", "cancelarla", "cancelala", "si cancelarla", "si retirarla",
        "retirarla", "retirar",
    ),
    "cancel.keep": ("no conservarla", "conservarla", "mantenerla", "no cancelar", "no la cancele"),
    "reminder.confirm": (
        "confirmo", "confirmar", "si", "ok", "alli estare", "ahi estare", "confirmado",
        "ahi nos vemos", "nos vemos", "voy", "si voy", "dale",
    ),
    "reminder.cancel": (
        "cancelar", "cancelo", "cancela", "cancelela", "cancelala", "anula", "anular", "anulela",
    ),
    "reminder.change": ("cambiar", "reagendar", "reprogramar", "mover", "moverla", "otro dia"),
    # The waitlist: asking for it at the day or time question, and its questions
    "waitlist": (
        "avisame si se libera", "avisame si se desocupa", "me avisas si se libera",
        "me avisan si se libera", "avisame si alguien cancela", "si alguien cancela",
        "si se libera algo", "lista de espera", "avisame", "me avisas", "me avisan",
        "anotame", "apuntame", "si se desocupa",
    ),
    "waitlist.morning": (
        "manana", "en la manana", "por la manana", "temprano", "las mananas", "en las mananas",
        "de manana", "mananas",
    ),
    "waitlist.afternoon": ("tarde", "en la tarde", "por la tarde", "las tardes", "en las tardes"),
    "waitlist.any": (
        "cualquiera", "a cualquier hora", "cualquier hora", "me da igual", "da igual",
        "la que sea", "cuando sea", "si", "ok", "dale", "todo el dia", "cualquier horario",
    ),
    "waitlist.no": ("no", "no gracias", "mejor no", "no hace falta", "asi esta bien"),
    "offer.take": (
        "si", "lo quiero", "si lo quiero", "quiero", "lo tomo", "apartalo", "apartamelo", "ok",
        "dale", "si por favor", "me sirve", "si me sirve", "va", "lo acepto", "acepto",
    ),
    "offer.pass": ("no", "no gracias", "este no", "ese no", "no puedo", "paso", "no me sirve"),
    "offer.leave": (
        "salir", "salir de la lista", "sacame de la lista", "borrame", "borrame de la lista",
        "ya no me avises", "no me avises mas", "ya no quiero estar en la lista",
    ),
    "move.confirm": ("si cambiarla", "cambiarla", "si cambiar", "cambiar", "si moverla"),
    "move.keep": (
        "no dejarla como esta", "dejarla como esta", "dejarla", "no cambiar", "no cambiarla",
        "no la cambies", "mantenerla", "conservarla",
    ),
    # The doctor's commands: the first word, or two ("no asistió")
    "command.approve": ("aprobar", "si"),
    "command.reject": ("rechazar", "no"),
    "command.pending": ("pendientes",),
    "command.agenda": ("agenda",),
    "command.cancel": ("cancelar",),
    "command.complete": ("completada",),
    "command.no_show": ("noasistio", "no asistio", "no-asistio"),
    "command.note": ("nota",),
    "command.block": ("bloquear",),
    "command.unblock": ("desbloquear",),
    "command.resume": ("reanudar",),
    "command.forgive": ("perdonar",),
    "command.summary": ("resumen",),
    "command.reply": ("responder",),
    "command.help": ("ayuda",),
    "command.team": ("equipo",),
    # The doctor's arguments: a day, a note's type, a private note
    "period.week": ("semana",),
    "period.month": ("mes",),
    "day.today": ("hoy",),
    "day.tomorrow": ("manana",),
    "note.diagnosis": ("diagnostico",),
    "note.treatment": ("tratamiento",),
    "note.follow_up": ("seguimiento",),
    "note.prescription": ("receta",),
    "note.private": ("privada", "privado"),
    # MIS DATOS, at the menu: phrases matched as whole words
    "my_data": (
        "mis datos", "mis datos personales", "borrar mis datos", "borren mis datos",
        "quiero que borren mis datos", "retirar consentimiento", "retirar mi consentimiento",
        "ya no quiero que usen mis datos", "mi informacion", "mis datos por favor",
    ),
    "my_data.fix": ("corregir", "corregir mis datos"),
    "my_data.withdraw": ("retirar", "retirarlo", "retirar consentimiento"),
    "my_data.erase": ("borrar", "borrarlos", "borren", "borrar mis datos"),
    "my_data.back": ("volver", "regresar"),
    "fix.name": ("nombre", "mi nombre"),
    "fix.age": ("edad", "mi edad"),
    "fix.sex": ("sexo", "mi sexo"),
}  # fmt: skip

# Emergency signs: regular expressions over folded text, each matched as whole words
# ("dano" is "daño"). Common misspellings are written in where it is cheap
# ("desmallo", "corason", "inconsiente", "toraxico").
PATTERNS: dict[str, tuple[str, ...]] = {
    "red_flag.chest_pain": (
        r"dolor (?:fuerte |muy fuerte |intenso )?(?:(?:de|del|en|en el|en mi) )?pecho",
        r"dolor tora(?:c|x|s)ico",
        r"(?:me )?duele (?:mucho )?(?:el |mi )?pecho",
        r"(?:opresion|presion|punzada) (?:en el|en mi|del|en) pecho",
        r"infart\w*",
        r"ataque (?:al|del) cora[sz]on",
        r"ataque cardiac[oa]",
        r"paro cardiac[oa]",
    ),
    "red_flag.breathing": (
        r"no (?:puedo|puede|podemos|pueden) respirar",
        r"no (?:respira|esta respirando)",
        r"(?:deja|dejo) de respirar",
        r"(?:me|le|nos) cuesta (?:mucho |trabajo )?respirar",
        r"dificultad (?:para|al) respirar",
        r"(?:me|le) falta (?:el )?aire",
        r"no (?:me|le) entra (?:el )?aire",
        r"falta de aire",
        r"(?:me|se) (?:ahogo|ahoga|esta ahogando|estoy ahogando)",
        r"respir\w* con dificultad",
    ),
    "red_flag.bleeding": (
        # "sangrado vaginal abundante": one word may say where.
        r"sangrado (?:\w+ )?(?:abundante|fuerte|muy fuerte|que no para)",
        r"(?:sangra|sangrando|sangro) (?:mucho|demasiado|sin parar)",
        r"mucha sangre",
        r"hemorr?agia",
        r"no (?:para|deja) de sangrar",
        r"(?:vomit\w*|tos\w*) (?:con )?sangre",
    ),
    "red_flag.unconscious": (
        r"perd\w* (?:el )?(?:conocimiento|sentido|la conciencia)",
        r"perdida de (?:la )?(?:conciencia|conocimiento)",
        r"(?:se|me|le) desma(?:y|ll)\w*",
        r"desma(?:y|ll)o",
        r"incon(?:sc|s|c)iente",
        # Not "no responde": patients write it about the doctor who has not answered yet.
        r"no (?:reacciona|despierta)",
        r"convul(?:s|c)ion\w*",
    ),
    "red_flag.stroke": (
        r"derrame cerebral",
        r"embolia",
        r"accidente cerebro ?vascular",
        r"acv",
        r"(?:cara|boca) (?:caida|torcida|chueca|paralizada)",
        r"no (?:puedo|puede) (?:hablar|mover (?:el|la|mi) (?:brazo|pierna|mano|cara))",
        r"(?:habla|lengua) (?:arrastrada|trabada)",
        r"arrastra las palabras",
        r"(?:se me|se le) (?:durmio|paralizo) (?:la mitad|un lado|medio)",
        r"paralisis",
    ),
    "red_flag.suicide": (
        r"sui(?:c|s)id\w*",
        r"quitarme la vida",
        r"(?:me )?quiero morir\w*",
        r"ganas de morir\w*",
        r"no quiero (?:vivir|seguir viviendo)",
        r"matarme",
        r"me (?:quiero|voy a) matar",
        r"hacerme dano",
        r"acabar con mi vida",
    ),
}
