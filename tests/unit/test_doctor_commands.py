"""The doctor's WhatsApp commands, against an in-memory services.

Every answer is rendered in both languages (a missing key or placeholder fails),
and the services' log shows that a command changes only what it names, and a message
that cannot be read changes nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.booking.appointments import NOTE_TYPES
from app.booking.errors import BookingError, SlotNotBookable, SlotTaken
from bot_flows.doctor import BY_WORD, answer_doctor, button_payloads
from bot_flows.doctor_parsing import NOTE_WORDS, fold_word
from bot_flows.engine import Said
from bot_flows.texts import text
from tests.unit.fake_doctor_services import FakeContact, FakeDoctorServices
from tests.unit.fake_patient_services import PRACTICE

ZONE = "America/Mexico_City"  # UTC-6 all year
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Mexico City
WEDNESDAY_1030 = datetime(2026, 12, 2, 16, 30, tzinfo=UTC)
WEDNESDAY_1030_ES = "miércoles 2 de diciembre, 10:30"
LANGUAGES = ("es", "en")


@dataclass
class Reply:
    said: list[Said]
    body: str  # every message, rendered in the practice's language

    @property
    def keys(self) -> list[str]:
        return [said.key for said in self.said]


def make_services(language: str = "es", now: datetime = NOW) -> FakeDoctorServices:
    return FakeDoctorServices(replace(PRACTICE, language=language), now)


def ask(
    services: FakeDoctorServices,
    message: str,
    payload: str | None = None,
    replied_to: str | None = None,
) -> Reply:
    """Send `message` as the doctor; render the answer in both languages to prove it renders."""
    said = answer_doctor(message, payload, services.now, services, replied_to)
    bodies = {lang: "\n\n".join(text(s.key, lang, **s.values) for s in said) for lang in LANGUAGES}
    return Reply(said, bodies[services.practice.language])


def services_with_request(language: str = "es", **details: object) -> FakeDoctorServices:
    services = make_services(language)
    services.add_request("K7M3QX", WEDNESDAY_1030, **details)
    return services


# --- approve and reject ------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "APROBAR K7M3QX",
        "aprobar k7m3qx",
        "  Aprobar    K7M3QX.  ",
        "APRÓBAR K7M3QX",
        "approve k7m3qx",
        "SÍ K7M3QX",
        "si k7m3qx",
        "Sí, K7M3QX",
        "YES K7M3QX",
    ],
)
def test_approve_names_the_patient_and_the_local_time(message: str) -> None:
    services = services_with_request()
    reply = ask(services, message)
    assert services.mutations == [("approve", ("K7M3QX",))]
    assert reply.keys == ["doctor.approved"]
    assert "María Pérez" in reply.body and WEDNESDAY_1030_ES in reply.body


def test_approve_answers_in_english_for_an_english_practice() -> None:
    reply = ask(services_with_request("en"), "approve K7M3QX")
    assert reply.body.startswith("✅ Approved K7M3QX: María Pérez, Wednesday, December 2, 10:30 AM")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("RECHAZAR K7M3QX Agenda llena", "Agenda llena"),
        ("rechazar   k7m3qx   agenda   llena", "agenda   llena"),
        ("reject K7M3QX Fully booked.", "Fully booked."),
        ("NO K7M3QX no puedo", "no puedo"),
        ("Rechazar K7M3QX", None),
    ],
)
def test_reject_echoes_the_reason(message: str, reason: str | None) -> None:
    services = services_with_request()
    reply = ask(services, message)
    assert services.mutations == [("reject", ("K7M3QX", reason))]
    assert reply.keys == ["doctor.rejected"]
    assert "María Pérez" in reply.body
    assert (f"Motivo: {reason}" in reply.body) == (reason is not None)


@pytest.mark.parametrize("message", ["SI", "sí", "Yes.", "APROBAR", "approve"])
def test_yes_without_a_code_approves_the_only_pending_request(message: str) -> None:
    services = services_with_request()
    assert ask(services, message).keys == ["doctor.approved"]
    assert services.mutations == [("approve", ("K7M3QX",))]


def test_no_without_a_code_rejects_the_only_pending_request_with_the_reason() -> None:
    services = services_with_request()
    reply = ask(services, "No, no puedo ese día")
    assert services.mutations == [("reject", ("K7M3QX", "no puedo ese día"))]
    assert "Motivo: no puedo ese día" in reply.body


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("NO fecha ocupada", "fecha ocupada"),  # FECHA: code letters, but not a code's length
        ("no ACE", "ACE"),
        ("RECHAZAR hecha la agenda", "hecha la agenda"),
    ],
)
def test_words_after_no_that_are_not_shaped_like_a_code_are_the_reason(
    message: str, reason: str
) -> None:
    services = services_with_request()
    ask(services, message)
    assert services.mutations == [("reject", ("K7M3QX", reason))]


def test_a_word_shaped_like_a_code_is_read_as_one() -> None:
    services = services_with_request()
    assert ask(services, "NO MARCHA").keys == ["doctor.refused.not_found"]
    assert services.requests["K7M3QX"].status == "pending"


@pytest.mark.parametrize("message", ["SI", "NO", "APROBAR", "rechazar"])
def test_yes_or_no_with_nothing_pending_says_so(message: str) -> None:
    services = make_services()
    assert ask(services, message).keys == ["doctor.nothing_pending"]
    assert services.mutations == []


@pytest.mark.parametrize("message", ["SI", "NO", "approve"])
def test_yes_or_no_with_several_pending_lists_them_and_changes_nothing(message: str) -> None:
    services = services_with_request()
    services.add_request("H4J9KP", WEDNESDAY_1030 + timedelta(hours=1), patient_name="Juan Ruiz")
    reply = ask(services, message)
    assert reply.keys == ["doctor.which_pending"]
    assert "K7M3QX" in reply.body and "H4J9KP" in reply.body and "Juan Ruiz" in reply.body
    assert services.mutations == []


# --- lists --------------------------------------------------------------------------------


@pytest.mark.parametrize("message", ["PENDIENTES", "pendientes", "¿Pendientes?", "PENDING."])
def test_pending_lists_what_the_doctor_needs_to_decide(message: str) -> None:
    services = services_with_request(age=34)
    services.add_request(
        "H4J9KP",
        WEDNESDAY_1030 + timedelta(hours=1),
        patient_name="Juan Ruiz",
        age=None,
        service="Control",
        urgency="urgent",
        expires_at=NOW + timedelta(minutes=45),
    )
    reply = ask(services, message)
    assert reply.keys == ["doctor.pending"]
    assert services.mutations == []
    _, first, second = reply.body.split("\n• ")
    assert "K7M3QX — María Pérez, 34 años" in first and WEDNESDAY_1030_ES in first
    assert "Urgencia: normal" in first and "antes de las 09:30" in first
    assert second.startswith("H4J9KP ‼️ — Juan Ruiz, edad no indicada")
    assert "Control" in second and "URGENTE" in second and "09:45" in second


def test_pending_with_nothing_waiting() -> None:
    assert ask(make_services("en"), "pending").body == "You have no pending requests. 🎉"


def test_agenda_lists_the_day_in_time_order_with_status() -> None:
    services = make_services()
    services.add_appointment("AAAA3", WEDNESDAY_1030 + timedelta(hours=2), patient_name="Ana")
    services.add_request("K7M3QX", WEDNESDAY_1030, patient_name="Luis", urgency="urgent")
    services.add_appointment("CCCC4", WEDNESDAY_1030 - timedelta(hours=1), status="completed")
    services.add_appointment("DDDD6", WEDNESDAY_1030 + timedelta(hours=3), status="no_show")
    services.add_appointment("EEEE7", WEDNESDAY_1030 + timedelta(hours=4), status="cancelled")
    reply = ask(services, "AGENDA 2026-12-02")
    assert services.calls == [("agenda", (date(2026, 12, 2),))]
    assert reply.body.splitlines() == [
        "📅 Agenda del miércoles, 2 de diciembre de 2026:",
        "• 09:30 CCCC4 — María Pérez, Consulta general (completada)",
        "• 10:30 K7M3QX ‼️ — Luis, Consulta general (esperando tu respuesta)",
        "• 12:30 AAAA3 — Ana, Consulta general (confirmada)",
        "• 13:30 DDDD6 — María Pérez, Consulta general (marcada como no asistió)",
    ]


def test_agenda_marks_the_patients_who_confirmed_they_will_come() -> None:
    services = make_services()
    services.add_appointment("AAAA3", WEDNESDAY_1030, attendance_confirmed_at=NOW)
    services.add_appointment("BBBB5", WEDNESDAY_1030 + timedelta(hours=1), patient_name="Ana")
    assert ask(services, "AGENDA mañana").body.splitlines()[1:] == [
        "• 10:30 AAAA3 — María Pérez, Consulta general (confirmada ✅ dijo que viene)",
        "• 11:30 BBBB5 — Ana, Consulta general (confirmada)",
    ]
    english = make_services("en")
    english.add_appointment("AAAA3", WEDNESDAY_1030, attendance_confirmed_at=NOW)
    assert "(confirmed ✅ said they'll come)" in ask(english, "agenda tomorrow").body


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("AGENDA", date(2026, 12, 1)),
        ("agenda hoy", date(2026, 12, 1)),
        ("Agenda Today.", date(2026, 12, 1)),
        ("AGENDA MAÑANA", date(2026, 12, 2)),
        ("agenda manana", date(2026, 12, 2)),
        ("agenda tomorrow", date(2026, 12, 2)),
        ("agenda 2026-12-24", date(2026, 12, 24)),
        ("agenda 24/12/2026", date(2026, 12, 24)),
        ("agenda 24/12", date(2026, 12, 24)),
        ("agenda 1/12", date(2026, 12, 1)),
    ],
)
def test_agenda_days_are_local_where_today_differs_from_utc(message: str, day: date) -> None:
    services = make_services(
        now=datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    )  # still Dec 1, 21:00 locally
    reply = ask(services, message)
    assert services.calls == [("agenda", (day,))]
    assert reply.keys == ["doctor.agenda.empty"]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("25/11", date(2026, 11, 25)),  # last week: this year's, not next year's
        ("25/11/2026", date(2026, 11, 25)),
        ("05/01", date(2027, 1, 5)),  # next month: next year's
        ("5/1/2027", date(2027, 1, 5)),
        ("24.12", date(2026, 12, 24)),
        ("24-12-2026", date(2026, 12, 24)),
        ("25/11.", date(2026, 11, 25)),
        ("29/02", date(2028, 2, 29)),  # the nearest leap year
        ("2026-11-25", date(2026, 11, 25)),
    ],
)
def test_agenda_reads_day_month_dates_as_the_nearest_such_day(written: str, day: date) -> None:
    services = make_services()
    reply = ask(services, f"AGENDA {written}")
    assert services.calls == [("agenda", (day,))]
    assert reply.keys == ["doctor.agenda.empty"]


@pytest.mark.parametrize(
    ("message", "day"),
    [("BLOQUEAR 24/12", date(2026, 12, 24)), ("block 02/01/2027 10:00-12:00", date(2027, 1, 2))],
)
def test_block_reads_day_month_dates(message: str, day: date) -> None:
    services = make_services()
    ask(services, message)
    assert [(name, args[0]) for name, args in services.mutations] == [("block", day)]


def test_an_empty_day_in_english() -> None:
    reply = ask(make_services("en"), "AGENDA 2026-12-24")
    assert reply.body == "📅 You have no appointments on Thursday, December 24, 2026."


# --- appointments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("CANCELAR K7M3QX Me surgió una urgencia", "Me surgió una urgencia"),
        ("cancel k7m3qx", None),
    ],
)
def test_cancel_an_appointment(message: str, reason: str | None) -> None:
    services = make_services()
    services.add_appointment("K7M3QX", WEDNESDAY_1030)
    reply = ask(services, message)
    assert services.mutations == [("cancel", ("K7M3QX", reason))]
    assert reply.keys == ["doctor.cancelled"] and WEDNESDAY_1030_ES in reply.body
    assert services.appointments["K7M3QX"].status == "cancelled"


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("COMPLETADA K7M3QX", "completed"),
        ("completed k7m3qx", "completed"),
        ("Done K7M3QX.", "completed"),
        ("NOASISTIO K7M3QX", "no_show"),
        ("No asistió K7M3QX", "no_show"),
        ("NO ASISTIO  k7m3qx", "no_show"),
        ("no-show K7M3QX", "no_show"),
        ("NOSHOW K7M3QX", "no_show"),
    ],
)
def test_complete_and_no_show(message: str, status: str) -> None:
    services = make_services()
    services.add_appointment("K7M3QX", NOW - timedelta(hours=1))
    reply = ask(services, message)
    assert services.appointments["K7M3QX"].status == status
    assert len(services.mutations) == 1
    assert reply.keys == [f"doctor.{status}"] and "María Pérez" in reply.body


@pytest.mark.parametrize(
    ("message", "note_type", "private", "content"),
    [
        ("NOTA K7M3QX diagnóstico Migraña tensional", "diagnosis", False, "Migraña tensional"),
        ("nota k7m3qx RECETA privada Paracetamol 1 g", "prescription", True, "Paracetamol 1 g"),
        ("Nota K7M3QX tratamiento  Reposo.\nAgua.", "treatment", False, "Reposo.\nAgua."),
        ("NOTE K7M3QX follow-up private Call in a week", "follow_up", True, "Call in a week"),
        ("note K7M3QX diagnosis Tension headache", "diagnosis", False, "Tension headache"),
    ],
)  # fmt: skip
def test_notes_are_saved_private_or_not(
    message: str, note_type: str, private: bool, content: str
) -> None:
    services = make_services()
    services.add_appointment("K7M3QX", NOW - timedelta(hours=1))
    reply = ask(services, message)
    assert services.mutations == [("note", ("K7M3QX", note_type, private, content))]
    assert reply.keys == ["doctor.note_saved_private" if private else "doctor.note_saved"]


def test_every_note_word_maps_to_a_stored_note_type() -> None:
    assert set(NOTE_WORDS.values()) == set(NOTE_TYPES)


# --- block and resume ---------------------------------------------------------------------


def test_block_a_whole_day() -> None:
    services = make_services()
    services.free_slots = [WEDNESDAY_1030 + timedelta(minutes=30 * n) for n in range(4)]
    reply = ask(services, "BLOQUEAR 2026-12-02")
    assert services.mutations == [("block", (date(2026, 12, 2), None, None))]
    assert (
        reply.body == "🚫 Bloqueé todo el miércoles, 2 de diciembre de 2026. Horarios cerrados: 4."
    )


def test_unblock_opens_what_was_blocked_and_says_the_waitlist_gets_it() -> None:
    services = make_services()
    services.free_slots = [WEDNESDAY_1030 + timedelta(minutes=30 * n) for n in range(4)]
    ask(services, "BLOQUEAR 2026-12-02 10:00-12:00")
    reply = ask(services, "desbloquear 2/12 10:00-12:00")
    assert services.mutations[-1] == ("unblock", (date(2026, 12, 2), time(10), time(12)))
    assert reply.body == (
        "🔓 Desbloqueé el miércoles, 2 de diciembre de 2026, de 10:00 a 12:00. Horarios "
        "abiertos de nuevo: 3; los libres se ofrecen a la lista de espera."
    )
    assert ask(make_services("en"), "UNBLOCK 2026-12-02").keys == ["doctor.unblocked"]


@pytest.mark.parametrize(
    "message",
    [
        "BLOQUEAR 2026-12-02 10:00-12:00",
        "bloquear 2026-12-02 10:00 - 12:00.",
        "block 2026-12-02 10:00\u201312:00",  # a phone's en dash
    ],
)
def test_block_a_range_lists_the_bookings_it_keeps(message: str) -> None:
    services = make_services()
    services.free_slots = [
        WEDNESDAY_1030 + timedelta(minutes=30),
        WEDNESDAY_1030 + timedelta(hours=3),
    ]
    services.add_appointment("K7M3QX", WEDNESDAY_1030, patient_name="Luis")
    services.add_request("H4J9KP", WEDNESDAY_1030 + timedelta(hours=1), patient_name="Eva")
    reply = ask(services, message)
    assert services.mutations == [("block", (date(2026, 12, 2), time(10), time(12)))]
    assert reply.keys == ["doctor.blocked", "doctor.blocked.affected"]
    blocked, affected = reply.body.split("\n\n")
    assert "el miércoles, 2 de diciembre de 2026, de 10:00 a 12:00" in blocked
    assert blocked.endswith("Horarios cerrados: 1.")
    assert affected.splitlines()[1:] == [
        "• 10:30 K7M3QX — Luis, Consulta general (confirmada)",
        "• 11:30 H4J9KP — Eva, Consulta general (esperando tu respuesta)",
    ]
    assert services.appointments["K7M3QX"].status == "confirmed"  # kept, never dropped


def test_block_tomorrow_in_english() -> None:
    reply = ask(make_services("en"), "BLOCK tomorrow 9:00-13:30")
    assert reply.body == (
        "🚫 Blocked Wednesday, December 2, 2026, from 9:00 AM to 1:30 PM. Times closed: 0."
    )


@pytest.mark.parametrize("message", ["REANUDAR +52 1 55 1234 5678", "resume +525512345678."])
def test_resume_hands_the_patient_back_to_the_bot(message: str) -> None:
    services = make_services()
    services.on_hold.add("+525512345678")
    reply = ask(services, message)
    assert services.mutations == [("resume_bot", ("+525512345678",))]
    assert reply.keys == ["doctor.resumed"] and "+525512345678" in reply.body


@pytest.mark.parametrize("message", ["PERDONAR +52 1 55 1234 5678", "forgive +525512345678"])
def test_forgive_lets_the_patients_no_shows_stop_counting(message: str) -> None:
    services = make_services()
    services.no_shows["+525512345678"] = 2
    reply = ask(services, message)
    assert services.mutations == [("forgive", ("+525512345678",))]
    assert reply.keys == ["doctor.forgiven"]
    assert "+525512345678" in reply.body and "(2)" in reply.body
    assert services.no_shows["+525512345678"] == 0


def test_resume_a_patient_who_was_not_waiting() -> None:
    reply = ask(make_services(), "REANUDAR +525512345678")
    assert reply.keys == ["doctor.not_on_hold"]


# --- replies to patients through the practice number (RESPONDER, WhatsApp's reply) ----------

PATIENT = "+525512345678"


def services_with_patient(last_wrote: timedelta = timedelta(hours=2)) -> FakeDoctorServices:
    """A practice with request K7M3QX of PATIENT, who last wrote `last_wrote` before now."""
    services = services_with_request(patient_phone=PATIENT)
    services.contacts[PATIENT] = FakeContact(NOW - last_wrote, "María Pérez")
    return services


@pytest.mark.parametrize(
    "message",
    [
        "RESPONDER K7M3QX Sí, tómalo con comida",
        "responder k7m3qx Sí, tómalo con comida",
        "Reply K7M3QX. Sí, tómalo con comida",
        "RESPONDER +52 55 1234 5678 Sí, tómalo con comida",
        "RESPONDER +5215512345678 Sí, tómalo con comida",
        "RESPONDER 55 1234 5678 Sí, tómalo con comida",
        "responder (55) 1234-5678 Sí, tómalo con comida",
        "RESPONDER 5512345678 Sí, tómalo con comida",
    ],
)
def test_reply_by_code_or_phone_reaches_the_patient(message: str) -> None:
    services = services_with_patient()
    reply = ask(services, message)
    assert services.sent == [(PATIENT, "Sí, tómalo con comida")]
    assert reply.keys == ["doctor.reply_sent"]
    assert reply.body == (
        "✉️ Se lo envié a María Pérez (+525512345678) desde el número del consultorio."
    )


def test_a_reply_keeps_its_lines_and_a_number_after_the_phone_is_text() -> None:
    services = services_with_patient()
    ask(services, "RESPONDER 55 1234 5678 2 pastillas al día\nDespués de comer")
    assert services.sent == [(PATIENT, "2 pastillas al día\nDespués de comer")]


@pytest.mark.parametrize("message", ["RESPONDER 55 1234 5678", "RESPONDER +5215512345678 "])
def test_a_phone_without_text_sends_nothing(message: str) -> None:
    services = services_with_patient()
    assert ask(services, message).keys == ["doctor.hint.missing_reply_text"]
    assert services.calls == []


def test_a_reply_outside_whatsapps_24_hours_is_not_sent_and_says_when_they_last_wrote() -> None:
    services = services_with_patient(last_wrote=timedelta(hours=25))
    reply = ask(services, "RESPONDER K7M3QX ¿Cómo sigues?")
    assert services.sent == []
    assert reply.keys == ["doctor.reply_window_closed"]
    assert "lunes 30 de noviembre, 08:00" in reply.body  # 25 h before Tuesday 09:00


@pytest.mark.parametrize("phone", ["+525587654321", "+525511111111"])
def test_a_reply_to_a_number_that_never_wrote_or_the_doctors_own_is_not_sent(phone: str) -> None:
    services = services_with_patient()
    services.contacts[phone] = FakeContact(NOW)  # the doctor writes too, but is no patient
    if phone != PRACTICE.doctor_phone:
        del services.contacts[phone]
    reply = ask(services, f"RESPONDER {phone} hola")
    assert services.sent == [] and reply.keys == ["doctor.reply_unknown_patient"]
    assert phone in reply.body


def test_a_reply_to_an_unknown_code_is_not_found() -> None:
    services = services_with_patient()
    assert ask(services, "RESPONDER H4J9KP hola").keys == ["doctor.refused.not_found"]
    assert services.sent == []


def test_a_phone_that_is_no_number_in_the_practices_country_is_refused() -> None:
    services = services_with_patient()
    reply = ask(services, "RESPONDER +52 12 hola")
    assert reply.keys == ["doctor.hint.bad_reply_to"] and "«+5212»" in reply.body
    assert services.calls == []


@pytest.mark.parametrize("text", ["No, no lo tomes en ayunas", "Sí", "APROBAR", "👍"])
def test_whatsapps_reply_to_a_relayed_message_goes_to_that_patient_as_written(text: str) -> None:
    services = services_with_patient()
    services.relayed["SMrelay"] = PATIENT
    reply = ask(services, text, replied_to="SMrelay")
    assert services.sent == [(PATIENT, text)]
    assert [call[0] for call in services.mutations] == ["reply_to_patient"]
    assert reply.keys == ["doctor.reply_sent"]


def test_a_reply_to_a_relayed_message_may_still_be_a_reply_or_resume_command() -> None:
    services = services_with_patient()
    services.relayed["SMrelay"] = PATIENT
    services.on_hold.add(PATIENT)
    assert ask(services, f"REANUDAR {PATIENT}", replied_to="SMrelay").keys == ["doctor.resumed"]
    ask(services, "RESPONDER K7M3QX Te esperamos", replied_to="SMrelay")
    assert services.sent == [(PATIENT, "Te esperamos")]


def test_an_empty_reply_to_a_relayed_message_sends_nothing() -> None:
    services = services_with_patient()
    services.relayed["SMrelay"] = PATIENT
    assert ask(services, "  ", replied_to="SMrelay").keys == ["doctor.hint.missing_reply_text"]
    assert services.sent == []


def test_a_reply_to_anything_else_is_read_as_a_command() -> None:
    services = services_with_patient()
    reply = ask(services, "SI", replied_to="SMnewrequestnotice")
    assert reply.keys == ["doctor.approved"] and services.sent == []


def test_a_button_wins_over_the_reply_it_was_tapped_in() -> None:
    services = services_with_patient()
    services.relayed["SMrelay"] = PATIENT
    ask(services, "Aprobar", button_payloads("K7M3QX")[0], replied_to="SMrelay")
    assert services.mutations == [("approve", ("K7M3QX",))]


@pytest.mark.parametrize(("language", "command"), [("es", "RESPONDER"), ("en", "REPLY")])
def test_help_lists_reply(language: str, command: str) -> None:
    assert f"• {command} <" in ask(make_services(language), "AYUDA").body


@pytest.mark.parametrize("message", ["AYUDA", "ayuda", "Help?", "HELP me"])
def test_help(message: str) -> None:
    services = make_services()
    assert ask(services, message).keys == ["doctor.help"]
    assert services.calls == []


@pytest.mark.parametrize(("language", "iso"), [("es", "AAAA-MM-DD"), ("en", "YYYY-MM-DD")])
def test_help_shows_dates_as_the_product_writes_them(language: str, iso: str) -> None:
    help_text = ask(make_services(language), "AYUDA").body
    assert f"AGENDA [hoy|mañana|{iso}]" in help_text or f"[today|tomorrow|{iso}]" in help_text
    assert f"<{iso}> [HH:MM-HH:MM]" in help_text
    assert help_text.index(iso) < help_text.index("DD/MM")


@pytest.mark.parametrize("message", ["AGENDA 2026-12-02", "AGENDA 2/12", "agenda 02/12/2026"])
def test_the_agenda_reads_every_date_the_help_mentions(message: str) -> None:
    services = make_services()
    services.add_appointment("K7M3QX", WEDNESDAY_1030, patient_name="Ana")
    assert ask(services, message).keys == ["doctor.agenda"]


# --- refusals -----------------------------------------------------------------------------


def test_an_unknown_code_is_not_found_and_reveals_nothing() -> None:
    services = services_with_request()
    reply = ask(services, "APROBAR QQQQ44")
    assert reply.keys == ["doctor.refused.not_found"]
    assert "QQQQ44" in reply.body and "María" not in reply.body


@pytest.mark.parametrize("message", ["APROBAR K7M3QX", "RECHAZAR K7M3QX"])
def test_a_second_answer_says_the_request_is_already_approved(message: str) -> None:
    services = services_with_request()
    ask(services, "APROBAR K7M3QX")
    reply = ask(services, message)
    assert reply.keys == ["doctor.refused.illegal"]
    assert reply.body == "⚠️ K7M3QX ya está aprobada; no cambié nada."
    assert len(services.mutations) == 2


def test_cancelling_twice_says_it_was_cancelled() -> None:
    services = make_services()
    services.add_appointment("K7M3QX", WEDNESDAY_1030)
    ask(services, "CANCELAR K7M3QX")
    assert "K7M3QX ya está cancelada" in ask(services, "CANCELAR K7M3QX").body


def test_an_illegal_move_in_english() -> None:
    services = make_services("en")
    services.add_appointment("K7M3QX", NOW - timedelta(hours=1), status="no_show")
    assert ask(services, "DONE K7M3QX").body.startswith("⚠️ K7M3QX is already marked as a no-show")


def test_a_late_answer_says_the_request_expired_and_the_patient_was_told() -> None:
    services = services_with_request(expires_at=NOW - timedelta(minutes=1))
    reply = ask(services, "SI K7M3QX")
    assert reply.keys == ["doctor.refused.expired"]
    assert "K7M3QX expiró a las 08:59" in reply.body and "le avisamos a quien" in reply.body


def test_an_appointment_cannot_be_closed_before_it_starts() -> None:
    services = make_services()
    services.add_appointment("K7M3QX", WEDNESDAY_1030)
    assert ask(services, "COMPLETADA K7M3QX").keys == ["doctor.refused.not_started"]
    assert services.appointments["K7M3QX"].status == "confirmed"


@pytest.mark.parametrize(
    ("error", "keys"),
    [
        (SlotNotBookable("blocked"), ["doctor.refused.slot_not_bookable"]),
        (SlotTaken(), ["doctor.refused.other"]),
        (BookingError(), ["doctor.refused.other"]),
        (ValueError("bad"), ["doctor.refused.bad_input", "doctor.help"]),
    ],
)
def test_other_refusals_become_sentences(error: Exception, keys: list[str]) -> None:
    services = services_with_request()
    services.refuse_with = error
    assert ask(services, "APROBAR K7M3QX").keys == keys


# --- what cannot be read changes nothing ---------------------------------------------------


@pytest.mark.parametrize(
    ("message", "hint"),
    [
        ("hola doctora", "doctor.unknown"),
        ("", "doctor.unknown"),
        ("   ", "doctor.unknown"),
        ("👍", "doctor.unknown"),
        ("APROBARK7M3QX", "doctor.unknown"),
        ("SI K7-M3QX", "doctor.hint.bad_code"),
        ("NO 3", "doctor.hint.bad_code"),
        ("CANCELAR", "doctor.hint.missing_code"),
        ("cancelar K7", "doctor.hint.bad_code"),
        ("COMPLETADA", "doctor.hint.missing_code"),
        ("noasistio ????", "doctor.hint.bad_code"),
        ("AGENDA 2026-13-40", "doctor.hint.bad_date"),
        ("agenda 12/24/2026", "doctor.hint.bad_date"),
        ("agenda 31/02", "doctor.hint.bad_date"),
        ("agenda 29/02/2027", "doctor.hint.bad_date"),
        ("agenda 24/12/26", "doctor.hint.bad_date"),
        ("agenda 24/12-2026", "doctor.hint.bad_date"),
        ("agenda 0/12", "doctor.hint.bad_date"),
        ("agenda ayer", "doctor.hint.bad_date"),
        ("BLOQUEAR", "doctor.hint.missing_date"),
        ("BLOQUEAR 2026-02-30", "doctor.hint.bad_date"),
        ("BLOQUEAR 2026-12-24 10:00-09:00", "doctor.hint.bad_range"),
        ("BLOQUEAR 2026-12-24 10:00-10:00", "doctor.hint.bad_range"),
        ("BLOQUEAR 2026-12-24 25:00-26:00", "doctor.hint.bad_range"),
        ("BLOQUEAR 2026-12-24 de 10 a 12", "doctor.hint.bad_range"),
        ("BLOQUEAR 2026-12-24 10:00", "doctor.hint.bad_range"),
        ("NOTA", "doctor.hint.missing_code"),
        ("NOTA K7M3QX", "doctor.hint.note_type"),
        ("NOTA K7M3QX receipt Paracetamol", "doctor.hint.note_type"),
        ("NOTA K7M3QX receta", "doctor.hint.missing_note_text"),
        ("NOTA K7M3QX receta privada", "doctor.hint.missing_note_text"),
        ("REANUDAR", "doctor.hint.bad_phone"),
        ("REANUDAR 5512345678", "doctor.hint.bad_phone"),
        ("REANUDAR +52 12", "doctor.hint.bad_phone"),
        ("PERDONAR", "doctor.hint.bad_phone"),
        ("PERDONAR María", "doctor.hint.bad_phone"),
        ("RESPONDER", "doctor.hint.missing_reply_to"),
        ("RESPONDER K7M3QX", "doctor.hint.missing_reply_text"),
        ("reply K7M3QX  ", "doctor.hint.missing_reply_text"),
        ("responder hola, ¿cómo sigues?", "doctor.hint.bad_reply_to"),
    ],
)
def test_what_cannot_be_read_gets_a_hint_and_the_help_and_touches_nothing(
    message: str, hint: str
) -> None:
    services = services_with_request()
    reply = ask(services, message)
    assert reply.keys == [hint, "doctor.help"]
    assert services.calls == []


def test_a_hint_quotes_the_bad_part() -> None:
    reply = ask(make_services(), "BLOQUEAR 2026-12-24 10:00-09:00")
    assert reply.body.startswith("«10:00-09:00» no es un horario válido")


# --- buttons ------------------------------------------------------------------------------


def test_button_payloads_act_on_their_own_code_whatever_else_is_pending() -> None:
    services = services_with_request()
    services.add_request("H4J9KP", WEDNESDAY_1030 + timedelta(hours=1))
    assert ask(services, "Aprobar", button_payloads("K7M3QX")[0]).keys == ["doctor.approved"]
    assert ask(services, "Rechazar", button_payloads("H4J9KP")[1]).keys == ["doctor.rejected"]
    assert services.mutations == [("approve", ("K7M3QX",)), ("reject", ("H4J9KP", None))]


def test_a_payload_wins_over_the_text() -> None:
    services = services_with_request()
    ask(services, "RECHAZAR K7M3QX", "APROBAR K7M3QX")
    assert services.mutations == [("approve", ("K7M3QX",))]


@pytest.mark.parametrize("payload", ["APROBAR", "APROBAR K7-M3QX", "CANCELAR K7M3QX", "SI", "x"])
def test_an_unknown_payload_is_never_guessed_from_the_text(payload: str) -> None:
    services = services_with_request()
    assert ask(services, "SI", payload).keys == ["doctor.unknown", "doctor.help"]
    assert services.calls == []


# --- anything at all ----------------------------------------------------------------------


COMMAND_WORDS = sorted(BY_WORD)


def starts_with_a_command_word(message: str) -> bool:
    words = message.split()
    return bool(words) and fold_word(words[0]) in BY_WORD


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=120),
        st.tuples(st.sampled_from(COMMAND_WORDS), st.text(max_size=60)).map(" ".join),
        st.lists(st.sampled_from([*COMMAND_WORDS, "K7M3QX", "hoy", "privada", "10:00-12:00"])).map(
            " ".join
        ),
    )
)
def test_any_text_gets_an_answer_and_only_commands_change_anything(message: str) -> None:
    services = services_with_request()
    services.add_appointment("H4J9KP", NOW - timedelta(hours=1))
    reply = ask(services, message)
    assert reply.said
    assert not services.mutations or starts_with_a_command_word(message)


@pytest.mark.parametrize("language", ["es", "en"])
def test_each_pending_request_is_a_choice_whose_tap_approves_it(language: str) -> None:
    services = services_with_request(language)
    services.add_request("H4J9KP", WEDNESDAY_1030 + timedelta(hours=1), patient_name="Juan Ruiz")
    [listed] = ask(services, "PENDIENTES").said
    ids = [choice.id for choice in listed.choices]
    assert sorted(ids) == ["APROBAR H4J9KP", "APROBAR K7M3QX"]  # in the list's order
    assert all(len(choice.title or "") <= 24 for choice in listed.choices)
    # WhatsApp sends the item's id, and its title as the body: the id decides.
    ask(services, "(list)", payload="APROBAR H4J9KP")
    assert services.requests["H4J9KP"].status == "approved"
    assert services.requests["K7M3QX"].status == "pending"


# --- the team -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "phone", "name"),
    [
        ("EQUIPO +5215512345678 Ana", "+525512345678", "Ana"),
        ("equipo +52 55 1234 5678 Ana María López", "+525512345678", "Ana María López"),
        ("TEAM +1 415 555 0100 Sam.", "+14155550100", "Sam"),
    ],
)
def test_team_adds_a_staff_member_by_phone_and_name(message: str, phone: str, name: str) -> None:
    services = make_services()
    reply = ask(services, message)
    assert services.mutations == [("add_member", (phone, name))]
    assert reply.keys == ["doctor.team_added"]
    assert reply.body.startswith(f"👥 Listo: {name} ({phone}) ya es parte de tu equipo.")


@pytest.mark.parametrize(
    "message",
    ["EQUIPO", "EQUIPO Ana", "EQUIPO 5512345678 Ana", "EQUIPO +5215512345678", "team +52 12 Ana"],
)
def test_team_without_an_international_phone_and_a_name_changes_nothing(message: str) -> None:
    services = make_services()
    reply = ask(services, message)
    assert reply.keys == ["doctor.hint.team", "doctor.help"]
    assert services.calls == []


def test_team_refuses_a_current_member_and_the_doctors_own_number() -> None:
    services = make_services("en")
    ask(services, "TEAM +525512345678 Ana")
    again = ask(services, "TEAM +525512345678 Ana")
    assert again.body == "+525512345678 is already on your team; nothing was changed."
    own = ask(services, f"EQUIPO {services.practice.doctor_phone} Yo")
    assert own.keys == ["doctor.team_refused.is_doctor"]
    assert list(services.members) == ["+525512345678"]


@pytest.mark.parametrize(("language", "command"), [("es", "EQUIPO"), ("en", "TEAM")])
def test_help_lists_team(language: str, command: str) -> None:
    assert f"• {command} <" in ask(make_services(language), "AYUDA").body
