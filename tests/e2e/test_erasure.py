"""A patient's rights end to end: see, correct, withdraw, erase; then nothing of them is left
but the blocked clinical record, sealed, until the daily job erases it when the law allows.

Dates: the frozen clock starts on Tuesday 2026-12-01, 09:00 in Mexico City. The visit is on
Wednesday 2026-12-02 at 10:00; Mexico keeps its record 5 years, to 2031-12-02.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from app.background import jobs
from app.background.runtime import get_runtime
from app.booking import appointments
from app.models import BlockedRecord, Consent, MessageLog, Reservation, RightsRequest
from app.sealed import PREFIX, keyring
from bot_flows.texts import text as catalogue
from tests.desk_helpers import sign_in
from tests.e2e.conftest import DAY_1, DAY_2, Person, PracticeSetup, World, make_practice_setup
from tests.e2e.test_conversation import request_of, reservation_of

PHONE = "+523312345678"  # Guadalajara
FIRST_NAME, CORRECTED = "Marisol Quintero", "Marisol Quintero Aranda"
CANARIES = {
    "reason": "canario-motivo dolor de rodilla",
    "history": "canario-antecedente artritis",
    "medications": "canario-medicamento naproxeno",
    "allergies": "canario-alergia sulfas",
    "note": "canario-nota del doctor",
}
VISIT_KEPT_UNTIL = datetime(2031, 12, 2, 16, 0, tzinfo=UTC)  # the visit + 5 years (NOM-004)


def es(key: str, **values: object) -> str:
    return catalogue(key, "es", **values)


def mexican_practice(world: World) -> PracticeSetup:
    """A practice in Mexico (its number says so): its country's law sets the terms."""
    starts = [DAY_1, DAY_2]
    return make_practice_setup(world.sessions, starts, whatsapp_number="+525512340000")


def book(patient: Person) -> list[str]:
    """A first booking with a canary in every free-text answer; the replies to "confirm"."""
    patient.says("1", "1", "1")  # book, the first day, its first time
    patient.says(FIRST_NAME, "41", CANARIES["reason"])
    patient.say(CANARIES["history"])  # the health question: kept as the history
    patient.says(CANARIES["medications"], CANARIES["allergies"])
    assert patient.say("2")[0].startswith("📋 Revisa tu solicitud")  # urgency: normal
    return patient.say("1")


def identifiers() -> list[str]:
    """What must not be left anywhere: the phone (as stored and as people write it),
    both names, and every answer."""
    return [PHONE, PHONE[-10:], "33 1234 5678", FIRST_NAME, CORRECTED, *CANARIES.values()]


def stored_text(sessions: sessionmaker[Session]) -> dict[str, list[str]]:
    """Every text-like value of every table, as stored and, where sealed, as it opens."""
    found: dict[str, list[str]] = {}
    with sessions() as session:
        columns = session.execute(
            text(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name <> 'alembic_version'"
                " AND data_type IN ('text', 'character varying', 'json', 'jsonb')"
            )
        ).all()
        for table, column in columns:
            values = session.scalars(
                text(f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL')
            ).all()
            found[f"{table}.{column}"] = [*values, *(opened(value) for value in values)]
    return found


def opened(value: str) -> str:
    """A sealed value's plain text (in a JSON wrapper or not); other values as they are."""
    for sealed in re.findall(r"enc:v1:[0-9a-f]{8}:[A-Za-z0-9_-]+", value):
        value = value.replace(sealed, keyring().open(sealed))
    return value


def holding(sessions: sessionmaker[Session], needles: list[str]) -> dict[str, list[str]]:
    """Which columns hold which of `needles`, in clear or once opened."""
    return {
        column: hits
        for column, values in stored_text(sessions).items()
        if (hits := [n for n in needles if any(n.casefold() in v.casefold() for v in values)])
    }


def run_everything(world: World) -> None:
    """Deliveries and the erasure's job; the erasure waits a minute for a notice to go."""
    for _ in range(3):
        world.run_jobs()
        world.clock.advance(minutes=2)


def test_see_correct_withdraw_and_erase_leaves_only_the_blocked_record(
    app: Flask, world: World
) -> None:
    practice = mexican_practice(world)
    patient, doctor = world.patient(PHONE, practice), world.doctor(practice)
    patient.say("hola")
    patient.say("1")  # consent
    assert book(patient)[0].startswith("✅ ¡Listo!")
    visit = request_of(world, PHONE)
    doctor.say(f"APROBAR {visit.code}")
    world.clock.advance(minutes=5)
    # A second appointment, the next day (the only day left), still pending: a returning
    # patient answers only why they come.
    patient.says("1", "1", "1", "control de la rodilla", "2")
    assert patient.say("1")[0].startswith("✅ ¡Listo!")
    later = request_of(world, PHONE)
    assert later.code != visit.code
    doctor.say(f"APROBAR {later.code}")
    with app.app_context():
        ctx = get_runtime().booking
    appointments.add_note(
        ctx,
        profile_id=practice.profile.id,
        code=visit.code,
        note_type="diagnosis",
        content=CANARIES["note"],
        private=True,
    )
    run_everything(world)

    # The visit has happened (the doctor did not mark it: a past confirmed one counts).
    world.clock.now = DAY_1 + timedelta(hours=2)

    # 1. MIS DATOS: identity and each request with the answers; never the doctor's note.
    seen = "\n".join(patient.say("mis datos"))
    assert FIRST_NAME in seen and CANARIES["reason"] in seen and CANARIES["allergies"] in seen
    assert CANARIES["note"] not in seen

    # 2. Correct the name: the contact and both requests now carry it.
    patient.says("1", "1")
    assert patient.say(CORRECTED)[0] == es("patient.my_data.corrected")
    assert request_of(world, PHONE).patient_name == CORRECTED

    world.clock.advance(minutes=5)
    # 3. Withdraw consent: the confirmation is the last message they get.
    patient.says("mis datos", "2")
    assert patient.say("1") == [es("patient.my_data.withdrawn")]
    before = len(world.outbox(PHONE))
    world.clock.advance(minutes=5)  # past DAY_2 - 24 h: the 24-hour reminder is due
    assert world.clock.now > DAY_2 - timedelta(hours=24)
    world.tick()
    run_everything(world)
    # The reminder's turn came and went (its flag is set), and nothing was queued to them.
    assert reservation_of(world, later.code).reminder_24h_sent
    assert len(world.outbox(PHONE)) == before

    # 4. Erasure: what still was to come is cancelled; what went and what is kept, told.
    world.clock.advance(minutes=5)  # the frozen clock would meet the flood limit
    patient.say("mis datos")
    patient.say("3")
    erased = patient.say("1")
    assert erased[0] == es("patient.my_data.erased_cancelled", codes=later.code)
    assert erased[1].startswith("🗑️ Listo, borramos tus datos")
    assert erased[2] == es("patient.my_data.record_kept", visits=1, until="2 de diciembre de 2031")
    run_everything(world)

    with world.sessions() as session:
        [asked] = session.scalars(
            select(RightsRequest).where(RightsRequest.kind == "erasure")
        ).all()
        assert asked.answered_at is not None and asked.phone.startswith("h:")
        assert asked.how_answered == "erased; 1 visits blocked until 2031-12-02"
        assert {c.phone for c in session.scalars(select(Consent))} <= {asked.phone}
        assert {m.phone for m in session.scalars(select(MessageLog))} - {
            asked.phone,
            practice.doctor_phone,
        } == set()
        # The agenda keeps the visit's place, without the patient.
        kept = session.scalars(select(Reservation).where(Reservation.code == visit.code)).one()
        assert (kept.patient_name, kept.notes, kept.calendar_token) == ("—", None, None)
        [blocked] = session.scalars(select(BlockedRecord)).all()
        assert blocked.blocked_until == VISIT_KEPT_UNTIL
        record = json.loads(blocked.record)  # opened with the key: the record is whole
    assert record["patient"]["name"] == CORRECTED and record["patient"]["phone"] == PHONE
    assert record["answers"]["chief_complaint"] == CANARIES["reason"]
    assert record["notes"][0]["content"] == CANARIES["note"]

    # No table holds the name, the phone or an answer, but the blocked record, sealed.
    assert holding(world.sessions, identifiers()) == {
        "blocked_record.record": [PHONE, PHONE[-10:], FIRST_NAME, CORRECTED, *CANARIES.values()]
    }
    with world.sessions() as session:
        raw = session.scalar(text("SELECT record FROM blocked_record"))
    assert raw.startswith(PREFIX)
    assert not any(needle.casefold() in raw.casefold() for needle in identifiers())

    # Unusable: MIS DATOS from the same phone finds nothing (it starts as a stranger).
    patient.say("hola")
    patient.say("1")
    shown = "\n".join(patient.say("mis datos"))
    assert es("patient.my_data.no_bookings") in shown and CORRECTED not in shown

    # The daily run before the record's end keeps it; after, erases it.
    world.clock.now = VISIT_KEPT_UNTIL - timedelta(days=1)
    with app.app_context():
        assert "0 blocked records erased" in jobs.apply_retention()
    world.clock.now = VISIT_KEPT_UNTIL + timedelta(hours=1)
    with app.app_context():
        assert "1 blocked records erased" in jobs.apply_retention()
    # The same phone wrote again after the erasure ("hola", "mis datos"): those new
    # messages are its own, as a new patient's; nothing from before remains.
    assert holding(world.sessions, [FIRST_NAME, CORRECTED, *CANARIES.values()]) == {}


def test_the_desk_shows_an_erasure_until_it_is_carried_out(world: World) -> None:
    """Open rights requests are on the desk's agenda with the law's deadline, the phone
    masked; an erasure leaves it once its job has run (LFPDPPP: 20 working days from
    Tuesday 2026-12-01 is Tuesday 29 December)."""
    practice = mexican_practice(world)
    patient = world.patient(PHONE, practice)
    patient.says("hola", "1", "mis datos", "3")
    patient.say("1")
    client = world.app.test_client()
    sign_in(client, world.sessions, practice.doctor_phone)
    page = client.get("/desk/").get_data(as_text=True)
    assert "Derechos sobre datos personales por atender: 1" in page
    assert "Borrado de datos" in page and "*********5678" in page and PHONE not in page
    assert "plazo legal: martes 29 de diciembre" in page
    run_everything(world)
    page = client.get("/desk/").get_data(as_text=True)
    assert "Derechos sobre datos personales" not in page
