"""The WhatsApp conversation end to end: signed Twilio webhooks in, TwiML and rows out.

Patients and the doctor chat through `POST /webhooks/whatsapp` against real
PostgreSQL; each test checks what people are told and what the database holds.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import (
    Consent,
    Contact,
    Conversation,
    MessageLog,
    Reservation,
    ReservationRequest,
    TimeSlot,
)
from bot_flows.texts import doctor_values, text
from tests.e2e.conftest import DAY_1, PATH, Person, World, make_practice_setup, new_sid, sign

pytestmark = pytest.mark.postgres

# The default intake settings: name, age, reason, the health gate ("no": none), urgency.
INTAKE = ("María Pérez", "34", "Dolor de cabeza", "no", "2")
HEALTH_QUESTIONS = (
    "patient.ask_reason",
    "patient.ask_health",
    "patient.ask_symptoms",
    "patient.ask_history",
    "patient.ask_medications",
    "patient.ask_allergies",
)


def es(key: str, **values: object) -> str:
    return text(key, "es", **values)


def doctor_of(world: World) -> dict[str, str]:
    """How Spanish sentences name the world's doctor."""
    profile = world.practice.profile
    return doctor_values(profile.name, profile.doctor_title, profile.doctor_gender, "es")


def start(patient: Person) -> list[str]:
    """A new patient says hello and accepts the privacy notice: the main menu."""
    welcome = patient.say("hola")
    assert welcome[1].startswith("🔒 Antes de empezar")
    return patient.say("1")


def reach_summary(
    patient: Person, day: str = "1", time: str = "1", intake: tuple[str, ...] = INTAKE
) -> list[str]:
    """From the menu: book, pick a day and time, answer the intake; the summary."""
    assert patient.say("1")[0].startswith("📅 ¿Qué día te acomoda?")
    assert patient.say(day)[0].startswith("🕐 ¿A qué hora")
    assert patient.say(time) == [es("patient.ask_name")]
    return patient.says(*intake)


def book(patient: Person, time: str = "1") -> list[str]:
    """A new patient's whole booking, confirmed: the replies to "1. Confirmar"."""
    start(patient)
    summary = reach_summary(patient, time=time)
    assert summary[0].startswith("📋 Revisa tu solicitud")
    return patient.say("1")


def latest_request(world: World, phone: str) -> ReservationRequest | None:
    with world.sessions() as session:
        return session.scalars(
            select(ReservationRequest)
            .where(ReservationRequest.patient_phone == phone)
            .order_by(ReservationRequest.created_at.desc())
        ).first()


def request_of(world: World, phone: str) -> ReservationRequest:
    """The patient's latest request, which must exist."""
    request = latest_request(world, phone)
    assert request is not None
    return request


def reservation_of(world: World, code: str) -> Reservation:
    with world.sessions() as session:
        return session.scalars(select(Reservation).where(Reservation.code == code)).one()


def conversation_of(world: World, phone: str) -> Conversation:
    with world.sessions() as session:
        return session.scalars(select(Conversation).where(Conversation.phone == phone)).one()


def inbound_count(world: World, phone: str) -> int:
    with world.sessions() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(MessageLog)
                .where(MessageLog.direction == "in", MessageLog.phone == phone)
            )
            or 0
        )


def inbound_bodies(world: World, phone: str) -> list[str]:
    with world.sessions() as session:
        return list(
            session.scalars(
                select(MessageLog.body)
                .where(MessageLog.direction == "in", MessageLog.phone == phone)
                .order_by(MessageLog.created_at, MessageLog.provider_sid)  # sids count up
            )
        )


# --- booking, approval, rejection, expiry -------------------------------------------------


def test_a_booking_approved_by_the_doctor_reaches_the_patient(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    sent = book(patient)
    request = request_of(world, patient.phone)
    assert request.status == "pending" and request.chief_complaint == "Dolor de cabeza"
    assert request.expires_at == world.clock.now + timedelta(minutes=30)
    assert sent[0].startswith(f"✅ ¡Listo! Enviamos tu solicitud *{request.code}*")
    assert "miércoles 2 de diciembre, 10:00" in sent[0] and "09:30" in sent[0]
    assert sent[1] == es("patient.menu")
    assert conversation_of(world, patient.phone).data == {}  # answers dropped once sent
    [notification] = world.outbox(doctor.phone, "doctor_new_request")
    assert (
        f"Nueva solicitud {request.code}" in notification.body
        and "María Pérez" in notification.body
    )

    approved = doctor.say(f"APROBAR {request.code}")
    assert approved == [
        f"✅ Aprobada {request.code}: María Pérez, miércoles 2 de diciembre, 10:00 "
        "(Consulta general). Ya le avisamos."
    ]
    assert request_of(world, patient.phone).status == "approved"
    assert reservation_of(world, request.code).status == "confirmed"
    [told] = world.outbox(patient.phone, "patient_approved")
    assert told.status == "queued" and "¡Tu cita está confirmada!" in told.body
    world.run_jobs()
    assert {m.status for m in world.outbox(patient.phone)} == {"sent"}


def test_a_rejection_tells_the_patient_the_reason(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    book(patient)
    code = request_of(world, patient.phone).code
    reply = doctor.say(f"rechazar {code.lower()} no tengo consulta ese día")
    assert reply[0].startswith(f"❌ Rechazada {code}")
    request = request_of(world, patient.phone)
    assert request.status == "rejected" and request.rejection_reason == "no tengo consulta ese día"
    [told] = world.outbox(patient.phone, "patient_rejected")
    assert "Motivo: no tengo consulta ese día" in told.body
    # The slot is free again: the next patient is offered it first.
    other = world.patient()
    start(other)
    other.say("1")
    assert other.say("1")[0].splitlines()[1] == "1. 10:00"


def test_a_returning_patient_books_again_in_seven_messages(world: World) -> None:
    """Only why they come is asked again; the rest is their last request's, shown to check."""
    patient, doctor = world.patient(), world.doctor()
    start(patient)
    reach_summary(patient, intake=("María Pérez", "34", "Dolor de cabeza", "Asma", "no", "no", "2"))
    patient.say("1")
    doctor.say(f"rechazar {request_of(world, patient.phone).code}")
    world.clock.advance(days=2)
    again = ("quiero una cita", "1", "1", "Control de presión", "2", "1")
    replies = [patient.say(body) for body in again]
    assert len(again) <= 7
    assert replies[2] == [es("patient.ask_reason")]
    assert "Tus datos de la vez pasada:\nNombre: María Pérez\nEdad: 34 años\n" in replies[4][0]
    assert "Antecedentes: Asma" in replies[4][0] and "4. Cambiar mis datos" in replies[4][0]
    assert replies[5][0].startswith("✅ ¡Listo! Enviamos tu solicitud")
    request = request_of(world, patient.phone)
    assert (request.patient_name, request.patient_age, request.medical_history) == (
        "María Pérez", 34, "Asma",
    )  # fmt: skip
    assert request.chief_complaint == "Control de presión" and request.status == "pending"


def test_a_hold_the_doctor_never_answers_expires_and_the_patient_is_told(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    book(patient)
    code = request_of(world, patient.phone).code
    world.clock.advance(minutes=29)
    assert world.tick().expired_holds == 0
    world.clock.advance(minutes=2)
    assert world.tick().expired_holds == 1
    assert request_of(world, patient.phone).status == "expired"
    [told] = world.outbox(patient.phone, "patient_expired")
    assert told.status == "sent" and told.body.startswith("⌛")
    late = doctor.say(f"APROBAR {code}")
    assert late == [es("doctor.refused.illegal", code=code, status="expirada")]
    assert request_of(world, patient.phone).status == "expired"


# --- cancel and reschedule ----------------------------------------------------------------


def approved_booking(world: World, patient: Person) -> str:
    book(patient)
    code = request_of(world, patient.phone).code
    world.doctor().say(f"SI {code}")
    return code


def test_a_patient_cancels_an_approved_appointment(world: World) -> None:
    patient = world.patient()
    code = approved_booking(world, patient)
    action = patient.say("3")
    assert action[0].startswith(f"*{code}* · Consulta general · miércoles 2 de diciembre")
    assert patient.say("1")[0].startswith(f"¿Seguro que quieres cancelar tu cita *{code}*")
    done = patient.say("1")
    assert done == [es("patient.cancelled", code=code), es("patient.menu")]
    assert reservation_of(world, code).status == "cancelled"
    [told] = world.outbox(world.practice.doctor_phone, "doctor_cancelled_by_patient")
    assert code in told.body
    assert patient.say("2")[0] == es("patient.no_bookings")


def test_a_patient_withdraws_a_request_the_doctor_has_not_answered(world: World) -> None:
    patient = world.patient()
    book(patient)
    code = request_of(world, patient.phone).code
    patient.say("3")
    assert patient.say("2")[0] == es("patient.move_request", code=code)  # cannot move it
    assert patient.say("1")[0].startswith(f"¿Retiras tu solicitud *{code}*")
    assert patient.say("sí")[0] == es("patient.withdrawn", code=code)
    assert request_of(world, patient.phone).status == "cancelled"
    assert world.outbox(world.practice.doctor_phone, "doctor_request_withdrawn")
    assert world.doctor().say(f"APROBAR {code}")[0].startswith(f"⚠️ {code} ya está")


def test_a_reschedule_at_an_approval_practice_waits_for_the_doctor(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    code = approved_booking(world, patient)
    old_slot = reservation_of(world, code).slot_id
    world.clock.advance(minutes=5)  # a later visit: the booking's messages are not a flood
    patient.say("3")
    assert patient.say("2")[0].startswith("📅 ¿Qué día te acomoda?")
    times = patient.say("2")  # Thursday
    assert times[0].startswith("🕐 ¿A qué hora, el jueves 3 de diciembre?")
    asked = patient.say("10:30")  # typed instead of its number
    assert asked == [
        es(
            "patient.move_confirm",
            code=code,
            old="miércoles 2 de diciembre, 10:00",
            new="jueves 3 de diciembre, 10:30",
        )
    ]
    sent = patient.say("1")
    assert sent[0].startswith(f"📨 Le pedimos a {world.practice.profile.name} cambiar tu cita")
    move = request_of(world, patient.phone)
    assert move.code != code and move.status == "pending"
    world.run_jobs()
    [notice] = world.outbox(world.practice.doctor_phone, "doctor_move_request")
    assert f"pide cambiar su cita {code} del miércoles 2 de diciembre, 10:00" in notice.body
    assert f"APROBAR {move.code}" in notice.body and notice.status == "sent"
    # Before the doctor answers, the old appointment stands and cannot move again.
    assert reservation_of(world, code).status == "confirmed"
    assert reservation_of(world, code).slot_id == old_slot
    pending = doctor.say("PENDIENTES")[0]
    assert "cambio de cita" in pending and "del miércoles 2 de diciembre, 10:00" in pending
    assert patient.say("3")[0].startswith("¿Cuál quieres cancelar o cambiar?")
    patient.say("1")  # the appointment, Wednesday; the move's request is Thursday's
    assert patient.say("2")[0] == es(
        "patient.move_pending", code=code, when="jueves 3 de diciembre, 10:30"
    )
    approved = doctor.say(f"APROBAR {move.code}")
    assert approved[0].startswith(f"✅ Aprobada {move.code}")
    world.run_jobs()
    assert reservation_of(world, code).status == "cancelled"
    moved = reservation_of(world, move.code)
    assert moved.status == "confirmed"
    with world.sessions() as session:
        old, new = session.get_one(TimeSlot, old_slot), session.get_one(TimeSlot, moved.slot_id)
        assert (old.status, old.current_reservations) == ("available", 0)
        assert (new.status, new.start_time) == ("reserved", DAY_1 + timedelta(days=1, minutes=30))
    [told] = world.outbox(patient.phone, "patient_move_approved")
    assert "ahora es el jueves 3 de diciembre, 10:30" in told.body and told.status == "sent"


def test_a_time_taken_meanwhile_offers_the_nearest_free_times(world: World) -> None:
    slow, quick = world.patient(), world.patient()
    start(slow)
    reach_summary(slow)  # Wednesday 10:00, not confirmed yet
    book(quick)  # takes Wednesday 10:00
    taken = slow.say("1")
    assert taken[0] == es("patient.slot_taken")
    assert taken[1].splitlines() == [
        "Estos son los horarios libres más cercanos:",
        "1. miércoles 2 de diciembre, 10:30",
        "2. miércoles 2 de diciembre, 11:00",
        "3. miércoles 2 de diciembre, 11:30",
    ]
    assert latest_request(world, slow.phone) is None
    summary = slow.say("2")
    assert summary[0].startswith("📋 Revisa tu solicitud:\nConsulta general\nmiércoles 2 de")
    assert "11:00" in summary[0] and "Motivo: Dolor de cabeza" in summary[0]
    assert slow.say("1")[0].startswith("✅ ¡Listo!")
    with world.sessions() as session:
        slot = session.get_one(TimeSlot, request_of(world, slow.phone).slot_id)
    assert slot.start_time == DAY_1 + timedelta(hours=1)


def test_a_practice_without_approval_confirms_at_once(world: World) -> None:
    practice = make_practice_setup(
        world.sessions, [DAY_1 + timedelta(days=3)], appointment_approval_required=False
    )
    patient = world.patient(practice=practice)
    booked = book(patient)
    code = request_of(world, patient.phone).code
    assert booked[0].startswith(f"✅ ¡Listo! Tu cita *{code}* quedó confirmada para el sábado 5")
    assert reservation_of(world, code).status == "confirmed"
    assert world.outbox(practice.doctor_phone, "doctor_new_booking")


def test_a_booking_left_half_done_for_a_day_starts_over_and_forgets(world: World) -> None:
    patient = world.patient()
    start(patient)
    patient.says("1", "1", "1", "Ana Ruiz", "40", "me duele el oído")
    assert conversation_of(world, patient.phone).data["reason"] == "me duele el oído"
    world.clock.advance(hours=24, minutes=1)
    assert patient.say("hola") == [es("patient.idle_reset"), es("patient.menu")]
    assert conversation_of(world, patient.phone).data == {}


# --- consent, hand-off, red flags, language -----------------------------------------------


def test_declining_consent_asks_nothing_about_health_and_stores_nothing(world: World) -> None:
    patient = world.patient()
    assert patient.say("hola")[0] == es("patient.welcome", **doctor_of(world))
    assert patient.say("no") == [es("patient.declined")]
    assert patient.say("me duele la cabeza")[0].startswith("🔒 Antes de empezar")
    assert patient.say("2") == [es("patient.declined")]
    said = [reply for replies in patient.heard for reply in replies]
    assert not any(es(key) in said for key in HEALTH_QUESTIONS)
    with world.sessions() as session:
        consents = session.scalars(select(Consent.accepted)).all()
        contact = session.scalars(select(Contact)).one()
        conversation = session.scalars(select(Conversation)).one()
    assert consents == [False, False]
    assert (contact.patient_name, contact.patient_age, contact.patient_gender) == (None,) * 3
    assert conversation.state == "declined" and conversation.data == {}
    assert latest_request(world, patient.phone) is None
    assert inbound_bodies(world, patient.phone) == [
        "hola", "no", "[sin consentimiento: 18 caracteres]", "2",
    ]  # fmt: skip


def test_before_consent_only_fixed_words_are_logged_as_written(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    patient.say("Hola, me duele la cabeza desde ayer")
    patient.say("¿es gratis?")
    patient.say("Sí, acepto")
    patient.says("1", "1")
    patient.say("Dolor de oído")  # after consent: as written, the doctor's records need it
    doctor.say("PENDIENTES")
    assert inbound_bodies(world, patient.phone) == [
        "[sin consentimiento: 35 caracteres]", "[sin consentimiento: 11 caracteres]",
        "Sí, acepto", "1", "1", "Dolor de oído",
    ]  # fmt: skip
    assert inbound_bodies(world, doctor.phone) == ["PENDIENTES"]


def test_a_hand_off_quiets_the_bot_until_the_doctor_resumes_it(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    start(patient)
    assert patient.say("4") == [es("patient.handoff")]
    [told] = world.outbox(doctor.phone, "doctor_handoff")
    assert patient.phone in told.body and f"REANUDAR {patient.phone}" in told.body
    assert patient.say("hola, ¿me pueden llamar?") == []
    assert patient.say("1") == []
    assert inbound_count(world, patient.phone) == 5  # still logged for the practice to read
    passed_on = [m.body for m in world.outbox(doctor.phone, "doctor_patient_message")]
    how_to_answer = f"\n↩️ Responde a este mensaje o escribe RESPONDER {patient.phone} <texto>."
    assert passed_on == [
        f"💬 Mensaje de {patient.phone}:\nhola, ¿me pueden llamar?{how_to_answer}",
        f"💬 Mensaje de {patient.phone}:\n1{how_to_answer}",
    ]
    assert patient.say("me duele mucho el pecho") == [es("patient.emergency", phone="911")]
    [*_, urgent] = world.outbox(doctor.phone, "doctor_patient_message")
    assert urgent.body.startswith("🚨 URGENTE") and "\nme duele mucho el pecho\n" in urgent.body
    assert doctor.say(f"REANUDAR {patient.phone}") == [es("doctor.resumed", phone=patient.phone)]
    assert patient.say("hola") == [es("patient.back"), es("patient.menu")]
    assert conversation_of(world, patient.phone).handoff_until is None


def test_a_flood_during_a_hand_off_is_not_passed_on(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    start(patient)
    patient.say("4")
    world.clock.advance(minutes=1)
    answers = [patient.say(f"¿hola? {n}") for n in range(40)]
    assert answers[30] == [es("flood_unread", quote="¿hola? 30")]
    forwarded = world.outbox(doctor.phone, "doctor_patient_message")
    assert [(m.variables or {}).get("body") for m in forwarded] == [
        f"¿hola? {n}" for n in range(30)
    ]


def test_a_hand_off_ends_by_itself_after_24_hours(world: World) -> None:
    patient = world.patient()
    start(patient)
    patient.say("4")
    world.clock.advance(hours=23, minutes=59)
    assert patient.say("hola") == []
    world.clock.advance(minutes=2)
    assert patient.say("hola") == [es("patient.back"), es("patient.menu")]


def test_a_red_flag_gets_the_emergency_number_and_an_urgent_request(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    start(patient)
    patient.say("1")
    patient.say("1")
    patient.says("1", "Juan Ruiz", "58")
    warned = patient.say("Tengo DOLOR DE PECHO muy fuerte")
    assert warned[0] == es("patient.emergency", phone="911")
    assert warned[1] == es("patient.ask_health")
    summary = patient.say("hipertensión")  # kept as the history; then each of the others
    assert summary == [es("patient.ask_medications")]
    summary = patient.says("losartán", "ninguna")  # not asked how urgent it is
    assert "Urgencia: URGENTE" in summary[0]
    patient.say("1")
    request = request_of(world, patient.phone)
    assert request.urgency_level == "urgent" and request.medical_history == "hipertensión"
    [notification] = world.outbox(doctor.phone, "doctor_new_request")
    assert (
        f"Nueva solicitud {request.code} ‼️" in notification.body and "URGENTE" in notification.body
    )


def test_a_red_flag_before_consent_is_answered_and_nothing_is_stored(world: World) -> None:
    patient = world.patient()
    patient.say("hola")
    notification = es("patient.consent", **doctor_of(world))
    warned = patient.say("no puedo respirar")
    assert warned == [es("patient.emergency", phone="911"), notification]
    assert patient.say("No entiendo") == [es("patient.not_understood"), notification]
    conversation = conversation_of(world, patient.phone)
    assert conversation.state == "consent" and conversation.data == {}
    with world.sessions() as session:
        assert session.scalars(select(Consent)).all() == []  # neither answer was a refusal


def test_the_patient_switches_language_both_ways(world: World) -> None:
    patient = world.patient()
    start(patient)
    switched = patient.say("English")
    assert switched == [text("patient.language_set", "en"), text("patient.menu", "en")]
    days = patient.say("1")
    assert days[0].splitlines()[1] == "1. Wednesday, December 2"
    assert patient.say("1")[0].splitlines()[1] == "1. 10:00 AM"
    with world.sessions() as session:
        assert session.scalars(select(Contact.language)).one() == "en"
    back = patient.say("español")
    assert back[0] == es("patient.language_set")
    assert back[1].startswith("🕐 ¿A qué hora, el miércoles 2 de diciembre?")
    with world.sessions() as session:
        assert session.scalars(select(Contact.language)).one() == "es"


# --- bad input ----------------------------------------------------------------------------


def test_unsigned_or_badly_signed_requests_are_refused_and_change_nothing(world: World) -> None:
    patient = world.patient()
    before = world.row_counts()
    form = {
        "MessageSid": new_sid(),
        "From": f"whatsapp:{patient.phone}",
        "To": f"whatsapp:{world.practice.number}",
        "Body": "hola",
    }
    url = world.base_url + PATH
    attempts = [
        {},
        {"X-Twilio-Signature": ""},
        {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
        {"X-Twilio-Signature": sign(url, form, token="someone-elses-token")},
        {"X-Twilio-Signature": sign("https://evil.example" + PATH, form)},
        {"X-Twilio-Signature": sign(url, form | {"Body": "adiós"})},
    ]
    for headers in attempts:
        assert patient.client.post(PATH, data=form, headers=headers).status_code == 403
    status = {"MessageSid": new_sid(), "MessageStatus": "delivered"}
    assert patient.client.post(PATH + "/status", data=status).status_code == 403
    assert world.row_counts() == before


def test_the_same_message_sid_five_times_is_answered_once(world: World) -> None:
    patient = world.patient()
    sid = new_sid()
    answers = [patient.say("hola", sid=sid) for _ in range(5)]
    assert len(answers[0]) == 2 and answers[1:] == [[]] * 4
    assert inbound_count(world, patient.phone) == 1
    assert conversation_of(world, patient.phone).state == "consent"


def test_the_same_message_sid_twenty_times_at_once_has_one_effect(world: World) -> None:
    patient = world.patient()
    start(patient)
    sid = new_sid()
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(
            pool.map(lambda _: world.patient(patient.phone).say("4", sid=sid), range(20))
        )
    assert sorted(answers, key=len, reverse=True) == [[es("patient.handoff")]] + [[]] * 19
    assert len(world.outbox(world.practice.doctor_phone, "doctor_handoff")) == 1
    with world.sessions() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(MessageLog).where(MessageLog.provider_sid == sid)
            )
            == 1
        )


def test_messages_arriving_together_are_answered_one_at_a_time(world: World) -> None:
    """Twenty numbers, each sending its first message twice at once (two different sids)."""
    phones = [world.patient().phone for _ in range(20)]
    welcome = es("patient.welcome", **doctor_of(world))
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda phone: world.patient(phone).say("hola"), phones * 2))
    for phone in phones:
        mine = [answers[i] for i in (phones.index(phone), len(phones) + phones.index(phone))]
        # One of the two came first and got the welcome; the other answered the consent.
        firsts = sorted(replies[0] for replies in mine)
        assert firsts == sorted([welcome, es("patient.not_understood")])
        assert conversation_of(world, phone).state == "consent"
    assert world.row_counts()["conversation"] == 20


def test_a_very_long_message_is_capped_not_refused(world: World) -> None:
    patient = world.patient()
    start(patient)
    patient.says("1", "1", "1")
    long_name = "Ana " * 2500  # 10,000 characters
    assert patient.say(long_name) == [es("patient.ask_age")]
    with world.sessions() as session:
        stored = session.scalars(
            select(MessageLog.body)
            .where(MessageLog.direction == "in")
            .order_by(func.length(MessageLog.body).desc())
        ).first()
    assert stored is not None and len(stored) == 2000
    assert len(conversation_of(world, patient.phone).data["name"]) <= 120


def test_emoji_right_to_left_and_nul_characters(world: World) -> None:
    patient = world.patient()
    start(patient)
    assert patient.say("👍🏽🙏") == [es("patient.you_are_welcome")]  # a thumbs-up, not a riddle
    assert patient.say("1️⃣")[0].startswith("📅 ¿Qué día")  # a keycap emoji is a number
    patient.says("1", "1")
    name = "مريم\u200f الحسن 🌸"
    assert patient.say(name + "\x00\x01") == [es("patient.ask_age")]
    # The letters stay as written; the flower and the direction mark are not the name.
    assert conversation_of(world, patient.phone).data["name"] == "مريم الحسن"
    assert patient.say("שלושים\x00") == [es("patient.bad_age"), es("patient.ask_age")]
    with world.sessions() as session:
        bodies = session.scalars(select(MessageLog.body).where(MessageLog.direction == "in"))
        assert not any("\x00" in body for body in bodies)


def test_a_media_only_message_is_answered_kindly(world: World) -> None:
    patient = world.patient()
    start(patient)
    media = {"NumMedia": "1", "MediaContentType0": "audio/ogg", "MediaUrl0": "https://x/1"}
    replies = patient.say(None, **media)
    assert replies == [es("patient.text_only"), es("patient.menu")]
    assert conversation_of(world, patient.phone).state == "menu"
    with world.sessions() as session:
        logged = session.scalars(select(MessageLog).where(MessageLog.purpose == "media")).one()
    assert logged.body == ""


def test_sql_looking_text_is_only_text(world: World) -> None:
    patient = world.patient()
    start(patient)
    patient.says("1", "1", "1")
    sneaky = "Dolor'); DROP TABLE reservation_request; --"
    patient.says(*INTAKE[:2])
    patient.say(sneaky)  # the reason is free text, kept as written
    patient.says(*INTAKE[3:])
    patient.say("1")
    assert request_of(world, patient.phone).chief_complaint == sneaky
    assert patient.say("Robert'); DROP TABLE x; --")[0] == es("patient.not_understood")


def test_another_practices_code_is_refused_and_changes_nothing(world: World) -> None:
    patient = world.patient()
    book(patient)
    code = request_of(world, patient.phone).code
    other = make_practice_setup(world.sessions, [DAY_1 + timedelta(days=2)])
    other_doctor = world.doctor(other)
    before = world.row_counts()
    for command in (f"APROBAR {code}", f"RECHAZAR {code} no", f"CANCELAR {code}"):
        assert other_doctor.say(command)[0] == es("doctor.refused.not_found", code=code)
    assert request_of(world, patient.phone).status == "pending"
    after = world.row_counts()
    assert after.pop("message_log") == before.pop("message_log") + 6  # 3 in, 3 replies
    assert after.pop("contact") == before.pop("contact") + 1
    assert after.pop("conversation") == before.pop("conversation") + 1
    assert after == before


def test_a_message_to_a_number_no_practice_uses_is_refused(world: World) -> None:
    before = world.row_counts()
    stranger = world.person("+5215599999999", world.practice)
    stranger.practice_number = "+14150000000"
    assert stranger.post("hola").status_code == 404
    assert world.row_counts() == before


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"From": "whatsapp:+5215512345678", "To": "whatsapp:+14155238886", "Body": "hola"},
        {"MessageSid": "SM1", "To": "whatsapp:+14155238886", "Body": "hola"},
        {"MessageSid": "SM1", "From": "whatsapp:+5215512345678", "Body": "hola"},
        {"MessageSid": "SM1", "From": "whatsapp:hola", "To": "whatsapp:+14155238886"},
        {"MessageSid": "SM1", "From": "whatsapp:+5215512345678", "To": "twilio"},
        {"MessageSid": "S" * 65, "From": "whatsapp:+5215512345678", "To": "whatsapp:+1"},
        {
            "MessageSid": "SM1",
            "From": "whatsapp:+5215512345678",
            "To": "whatsapp:+14155238886",
            "NumMedia": "many",
        },
        {
            "MessageSid": "SM1",
            "From": "whatsapp:+5215512345678",
            "To": "whatsapp:+14155238886",
            "NumMedia": "-1",
        },
    ],
)
def test_missing_or_malformed_fields_get_400(world: World, form: dict[str, str]) -> None:
    before = world.row_counts()
    headers = {"X-Twilio-Signature": sign(world.base_url + PATH, form)}
    response = world.app.test_client().post(PATH, data=form, headers=headers)
    assert response.status_code == 400
    assert world.row_counts() == before


@pytest.mark.parametrize(
    "changed",
    [
        {"MessageSid": "SM\x00123"},
        {"MessageSid": "SM 123"},
        {"MessageSid": "SMé123"},
        {"From": "whatsapp:+52\x003300000009"},
        {"To": "whatsapp:\x00"},
        {"NumMedia": "²"},
        {"NumMedia": "9" * 5000},
    ],
)
def test_strange_values_in_twilios_fields_get_400(world: World, changed: dict[str, str]) -> None:
    before = world.row_counts()
    assert world.patient().post("hola", **changed).status_code == 400
    assert world.row_counts() == before


@pytest.mark.parametrize(
    "form",
    [
        {"MessageSid": "SM\x00", "MessageStatus": "failed"},
        {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "\x00\x00"},
        {"MessageSid": "SM1", "MessageStatus": "x" * 1000},
        {"MessageSid": "SM1", "MessageStatus": "delivered\x00"},
        {"MessageStatus": "delivered"},
    ],
)
def test_strange_delivery_status_callbacks_never_get_a_server_error(
    world: World, form: dict[str, str]
) -> None:
    url = world.base_url + PATH + "/status"
    headers = {"X-Twilio-Signature": sign(url, form)}
    response = world.app.test_client().post(PATH + "/status", data=form, headers=headers)
    assert response.status_code in {204, 400}


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/json", b'{"Body": "hola"}'),
        ("application/x-www-form-urlencoded", b"%%%&&&=\xff\xfe"),
        ("multipart/form-data; boundary=zz", b"--zz\r\nnot a part"),
        ("text/plain", b"\x00" * 100),
    ],
)
def test_a_body_that_is_no_form_gets_400_never_500(
    world: World, content_type: str, data: bytes
) -> None:
    headers = {"X-Twilio-Signature": sign(world.base_url + PATH, {})}
    response = world.app.test_client().post(
        PATH, data=data, content_type=content_type, headers=headers
    )
    assert response.status_code == 400


def test_a_flood_is_told_once_what_was_not_read_then_not_answered(world: World) -> None:
    flooder, neighbour = world.patient(), world.patient()
    start(flooder)
    world.clock.advance(minutes=1)
    answers = [flooder.say("hola") for _ in range(300)]
    assert all(answer for answer in answers[:30])
    assert answers[30] == [es("flood_unread", quote="hola")]
    assert answers[31:] == [[]] * 269
    assert inbound_count(world, flooder.phone) == 302
    assert start(neighbour) == [es("patient.consent_thanks"), es("patient.menu")]
    world.clock.advance(minutes=2)  # at most a minute's penalty after a flood stops
    assert flooder.say("menu") == [es("patient.menu")]


def test_the_doctor_is_never_throttled(world: World) -> None:
    doctor = world.doctor()
    answers = [doctor.say("pendientes") for _ in range(60)]
    assert answers[0] and answers == [answers[0]] * 60  # each one answered as the first


# --- fuzz ---------------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["1", "2", "3", "4", "hola", "menu", "ayuda", "english", "español", "no", "si", "10:30",
     "dolor de pecho", "APROBAR", "RECHAZAR", "PENDIENTES", "AGENDA 25/11", "BLOQUEAR hoy",
     "CANCELAR", "NOTA", "REANUDAR", "ninguno", "34", "👍", "0", "999", "mañana"]
)  # fmt: skip
BODIES = st.one_of(
    WORDS,
    st.text(max_size=80),
    st.lists(WORDS, min_size=1, max_size=4).map(" ".join),
    st.builds(lambda w, n: f"{w} {n}", WORDS, st.from_regex(r"[A-Z0-9]{4,8}", fullmatch=True)),
)


MESSAGES = st.tuples(
    st.integers(0, 4),  # who: four patients, then the doctor
    BODIES,
    st.sampled_from(["none", "media", "button"]),
    st.integers(0, 99),  # which known request code a command or button names
)


@pytest.mark.slow
def test_two_thousand_random_messages_never_get_a_server_error(world: World) -> None:
    people = [*(world.patient() for _ in range(4)), world.doctor()]
    first = world.patient()
    book(first)  # a real code for the doctor's commands and buttons from the start
    codes = [request_of(world, first.phone).code]
    sent = 0

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(MESSAGES, min_size=50, max_size=50))
    def chat(batch: list[tuple[int, str, str, int]]) -> None:
        nonlocal sent
        for who, body, extra, pick in batch:
            code = codes[pick % len(codes)]
            body = body.replace("APROBAR", f"APROBAR {code}").replace("RECHAZAR", f"NO {code}")
            world.clock.advance(seconds=7)  # fast, but under the flood limit
            if extra == "media":
                response = people[who].post(body or None, NumMedia="1", MediaUrl0="https://m/1")
            elif extra == "button":
                response = people[who].post(body, ButtonPayload=f"APROBAR {code}")
            else:
                response = people[who].post(body)
            assert response.status_code == 200, (who, body, extra, response.status_code)
            sent += 1
        with world.sessions() as session:
            codes[:] = session.scalars(select(ReservationRequest.code))
        world.tick()

    chat()
    with world.sessions() as session:
        received = session.scalar(
            select(func.count()).select_from(MessageLog).where(MessageLog.direction == "in")
        )
    # Each message processed once (the booking's too: six and the intake), none lost to an error.
    assert received == sent + 6 + len(INTAKE) and sent >= 2000
