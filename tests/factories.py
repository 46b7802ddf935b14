"""Small factories for tests: a practice with services and slots, and a patient's intake."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from app.booking.context import BookingContext
from app.booking.intake import PatientIntake, Urgency
from app.clock import Clock
from app.config import Config
from app.conversation.choices import render_notice
from app.conversation.rebooking import await_choice_of_times
from app.conversation.reminders import await_reminder_answers
from app.messaging.interactive import LIST_PICKER, QUICK_REPLY, Interactive, Item, to_json
from app.models import MedicalService, Practice, TimeSlot
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

_numbers = itertools.count(1)


def make_practice(session: Session, **fields: object) -> Practice:
    """A practice in Mexico City with a doctor's phone, approval required by default."""
    n = next(_numbers)
    values: dict[str, object] = {
        "name": f"Dra. Prueba {n}",
        "timezone": "America/Mexico_City",
        "language": "es",
        "doctor_phone": f"+5255{n:08d}",
        "whatsapp_number": f"+1415{n:07d}",
        "appointment_approval_required": True,
        "min_notice_minutes": 60,
        "booking_horizon_days": 60,
    }
    profile = Practice(**(values | fields))
    session.add(profile)
    session.flush()
    return profile


def make_service(session: Session, profile: Practice, **fields: object) -> MedicalService:
    values: dict[str, object] = {
        "profile_id": profile.id,
        "name": f"Consulta {next(_numbers)}",
        "duration": 30,
        "price": Decimal("500.00"),
    }
    service = MedicalService(**(values | fields))
    session.add(service)
    session.flush()
    return service


def make_slot(
    session: Session,
    service: MedicalService,
    start: datetime,
    minutes: int | None = None,
    capacity: int = 1,
) -> TimeSlot:
    slot = TimeSlot(
        profile_id=service.profile_id,
        service_id=service.id,
        start_time=start,
        end_time=start + timedelta(minutes=minutes or service.duration),
        max_reservations=capacity,
    )
    session.add(slot)
    session.flush()
    return slot


def intake(phone: str | None = None, **fields: object) -> PatientIntake:
    """A patient's intake; a fresh phone number unless one is given."""
    values: dict[str, object] = {
        "phone": phone or f"+5255{90000000 + next(_numbers):08d}",
        "name": "María Pérez",
        "age": 34,
        "gender": "F",
        "chief_complaint": "Dolor de cabeza",
        "urgency": Urgency.NORMAL,
    }
    return PatientIntake(**(values | fields))


def context(
    sessions: sessionmaker[Session], clock: Clock, hold_minutes: int = 30
) -> BookingContext:
    return BookingContext(
        sessions=sessions,
        clock=clock,
        render=render_notice,
        hold_minutes=hold_minutes,
        on_reminded=await_reminder_answers,
        offer_other_times=await_choice_of_times,
    )


def new_id() -> uuid.UUID:
    return uuid.uuid4()


# A reply's list and buttons as delivery keeps them (`message_log.variables["interactive"]`),
# for the simulator's tests to show and tap.
DAYS_LIST = to_json(
    LIST_PICKER,
    Interactive(
        "📅 ¿Qué día te queda mejor?",
        (
            Item("day:2026-12-02", "miércoles 2 de diciembre", "9 horarios"),
            Item("day:2026-12-03", "jueves 3 de diciembre"),
            Item("more:day", "Más días", "Los siguientes 7 días"),
        ),
        "Ver opciones",
    ),
)
DAYS_NUMBERED = (
    "📅 ¿Qué día te queda mejor?\n1. miércoles 2 de diciembre\n2. jueves 3 de diciembre"
    "\n3. Más días"
)
CONSENT_BUTTONS = to_json(
    QUICK_REPLY,
    Interactive(
        "¿Aceptas el aviso de privacidad?",
        (Item("consent:1", "Sí, acepto"), Item("consent:2", "No acepto")),
        "",
    ),
)


def twilio_config(database_url: str, fake: FakeTwilio, **settings: object) -> Config:
    """The app's settings on the Twilio backend, its API (SDK calls, content sync) at `fake`."""
    return Config(
        database_url=database_url,
        messaging_backend="twilio",
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_base_url=fake.base_url,
        environment="testing",
        **settings,  # type: ignore[arg-type]
    )
