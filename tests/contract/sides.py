"""One practice, built twice: in memory (the unit tests' fakes) and on PostgreSQL (the real ones).

The contract tests talk to both through `bot_flows.ports` only. What a test must arrange
that the Protocols cannot (another patient's booking, a hand-off under way) and what it
must read that they do not show (what the doctor was told, the notes kept) goes through
the few methods of `Sides`, written once per world. The practice, its services and its
slots are the same data in both.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from app.booking.codes import ALPHABET
from app.booking.intake import PatientIntake
from app.conversation.services import PatientContact, SqlDoctorServices, SqlPatientServices
from app.models import AppointmentNote, Contact, Conversation, MessageLog, Reservation
from bot_flows.patient_states import PatientState
from bot_flows.ports import DoctorServices, PatientServices, PracticeDetails, ServiceOption
from bot_flows.texts import render_notification
from tests.conftest import FrozenClock
from tests.factories import intake, make_practice, make_service, make_slot
from tests.unit.fake_doctor_services import FakeContact, FakeDoctorServices
from tests.unit.fake_patient_services import FakePatientServices

PATIENT = "+525512345678"  # the patient writing, in the E.164 form the inbox stores
OTHER = "+525587654321"  # someone else, who takes slots meanwhile
DOCTOR = "+525511111111"
HOLD_MINUTES = 30
ZONE = ZoneInfo("America/Mexico_City")

CONSULTA = "Consulta general"
ULTRASONIDO = "Ultrasonido"
# The clock stands at 09:00 on Tuesday 1 December 2026 in Mexico City (15:00 UTC).
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (date(2026, 12, 1) + timedelta(days=n) for n in range(4))
FAR = date(2027, 2, 15)  # past the 60-day booking horizon
# Created in this order, which is not the order of their names.
# In the clinic file's order, which is not by name: patients are offered them so.
SERVICES: dict[str, tuple[int, Decimal]] = {
    ULTRASONIDO: (30, Decimal("900.00")),
    CONSULTA: (30, Decimal("500.00")),
}
SLOTS: dict[str, list[tuple[date, time]]] = {
    CONSULTA: [
        (TUESDAY, time(9, 30)),  # inside the hour's notice
        (TUESDAY, time(10, 30)),
        (TUESDAY, time(11, 0)),
        (WEDNESDAY, time(10, 0)),
        (WEDNESDAY, time(10, 30)),  # the doctor cannot also do the ultrasound at 10:30
        (WEDNESDAY, time(11, 0)),
        (FRIDAY, time(10, 0)),
        (FRIDAY, time(19, 0)),  # Saturday in UTC, still Friday in Mexico City
        (FAR, time(10, 0)),
    ],
    ULTRASONIDO: [(WEDNESDAY, time(10, 30)), (THURSDAY, time(12, 0))],
}
PRACTICE: dict[str, Any] = {
    "name": "Dra. Contrato",
    "language": "es",
    "timezone": "America/Mexico_City",
    "emergency_phone": "+525599999999",
    "cancellation_policy": "Cancela con 24 horas de anticipación.",
    "min_notice_minutes": 60,
    "booking_horizon_days": 60,
    "address": "Av. Insurgentes Sur 123, consultorio 4",
    "doctor_title": "Dra.",
    "doctor_gender": "f",
    "show_prices": True,
    "currency": "MXN",
    "intake": {"sex": "optional"},
}
# What a patient's conversation tells the doctor (the other doctor-bound messages
# belong to booking transitions, which the fakes do not write).
TOLD_PURPOSES = ("doctor_handoff", "doctor_patient_message")


def instant(day: date, at: time) -> datetime:
    """The UTC instant of a local day and time at the practice."""
    return datetime.combine(day, at, tzinfo=ZONE).astimezone(UTC)


@dataclass(frozen=True)
class Told:
    """A message the doctor was sent about a patient: its purpose and the facts it says."""

    purpose: str
    facts: dict[str, Any]


class Sides(ABC):
    """A practice's patient side and doctor side, plus what tests arrange and read around them.

    `patient()` and `doctor()` open one "message" each: on PostgreSQL one transaction,
    committed when the block ends, as the inbox does.
    """

    name: str
    clock: FrozenClock

    @abstractmethod
    def service_id(self, name: str) -> uuid.UUID: ...

    @abstractmethod
    def slot(self, service: str, day: date, at: time) -> uuid.UUID: ...

    @abstractmethod
    def patient(self) -> AbstractContextManager[PatientServices]:
        """The services of a message from `PATIENT`."""

    @abstractmethod
    def doctor(self) -> AbstractContextManager[DoctorServices]:
        """The services of a message from the doctor."""

    @abstractmethod
    def given_request(
        self, service: str, day: date, at: time, phone: str = OTHER, **fields: Any
    ) -> str:
        """A request of `phone` waiting for the doctor (the practice asks for approval)."""

    @abstractmethod
    def given_appointment(
        self, service: str, day: date, at: time, phone: str = OTHER, **fields: Any
    ) -> str:
        """A confirmed appointment of `phone`."""

    @abstractmethod
    def given_hand_off(self, phone: str, until: datetime) -> None:
        """`phone` asked for a person and the bot stays quiet until `until`."""

    @abstractmethod
    def given_rejected(self, code: str) -> None:
        """The doctor rejected `PATIENT`'s waiting request `code`."""

    @abstractmethod
    def given_message_from(self, phone: str, at: datetime, name: str | None = None) -> None:
        """`phone` last wrote to the practice at `at` (and gave `name`, if any)."""

    @abstractmethod
    def given_relay(self, phone: str) -> str:
        """A message of `phone` was passed on to the doctor and delivered: its provider sid."""

    @abstractmethod
    def told_doctor(self) -> list[Told]:
        """What the patients' conversations told the doctor, oldest first."""

    @abstractmethod
    def doctor_replies(self) -> list[tuple[str, str]]:
        """(patient, text) of what the doctor wrote to patients through the practice number."""

    @abstractmethod
    def stored_language(self) -> str | None:
        """The language `PATIENT` chose, as kept for the next message."""

    @abstractmethod
    def notes(self) -> list[tuple[str, str, bool, str]]:
        """(code, type, private, text) of every note the doctor kept."""


class FakeSides(Sides):
    """The unit tests' in-memory services, set up with the practice's data."""

    name = "fake"

    def __init__(
        self, clock: FrozenClock, approval_required: bool, doctor_phone: str | None
    ) -> None:
        self.clock = clock
        self._approval_required = approval_required
        practice = PracticeDetails(id=uuid.uuid4(), doctor_phone=doctor_phone, **PRACTICE)
        self._patient = FakePatientServices(
            practice=practice,
            phone=PATIENT,
            now=clock.now,
            approval_required=approval_required,
            hold_minutes=HOLD_MINUTES,
        )
        self._doctor = FakeDoctorServices(practice, clock.now)
        self._services: dict[str, ServiceOption] = {}
        self._slots: dict[tuple[str, date, time], uuid.UUID] = {}
        for name, (duration, price) in SERVICES.items():
            service = self._patient.add_service(name, [], [], duration, price)
            self._services[name] = service
            for day, at in SLOTS[name]:
                slot = self._patient.add_slot(service, instant(day, at))
                self._slots[name, day, at] = slot.slot_id
                self._doctor.free_slots.append(slot.start)
        self._codes = 0

    def service_id(self, name: str) -> uuid.UUID:
        return self._services[name].id

    def slot(self, service: str, day: date, at: time) -> uuid.UUID:
        return self._slots[service, day, at]

    @contextmanager
    def patient(self) -> Iterator[PatientServices]:
        self._patient.now = self.clock.now
        yield self._patient

    @contextmanager
    def doctor(self) -> Iterator[DoctorServices]:
        self._doctor.now = self.clock.now
        yield self._doctor

    def given_request(
        self, service: str, day: date, at: time, phone: str = OTHER, **fields: Any
    ) -> str:
        assert self._approval_required, "without approval a hold is an appointment"
        told = intake(phone, **fields)
        start = instant(day, at)
        code = self._book(service, day, at, "request", told)
        self._doctor.add_request(
            code,
            start,
            expires_at=min(self.clock.now + timedelta(minutes=HOLD_MINUTES), start),
            patient_name=told.name,
            age=told.age,
            service=service,
            reason=told.chief_complaint,
            urgency=told.urgency,
            service_id=self.service_id(service),
            patient_phone=phone,
        )
        return code

    def given_appointment(
        self, service: str, day: date, at: time, phone: str = OTHER, **fields: Any
    ) -> str:
        told = intake(phone, **fields)
        code = self._book(service, day, at, "reservation", told)
        self._doctor.add_appointment(
            code,
            instant(day, at),
            patient_name=told.name,
            service=service,
            service_id=self.service_id(service),
            patient_phone=phone,
        )
        return code

    def _book(self, service: str, day: date, at: time, kind: str, told: PatientIntake) -> str:
        """Take the slot on the patient's side: as their own booking, or as someone else's.

        The doctor's fake keeps its own copy; the two fakes share nothing, which is
        why no contract test reads one side after acting on the other.
        """
        slot_id = self.slot(service, day, at)
        patient = self._patient
        patient.free[self.service_id(service)] = [
            slot for slot in patient.free[self.service_id(service)] if slot.slot_id != slot_id
        ]
        self._codes += 1
        code = "KQ" + "".join(ALPHABET[(self._codes // 25**n) % 25] for n in range(4))
        if told.phone == PATIENT:
            start = instant(day, at)
            patient.add_booking(
                code, self._services[service], start, kind, slot_id, told.name, told.urgency
            )
        return code

    def given_rejected(self, code: str) -> None:
        self._patient.close_request(code)

    def given_hand_off(self, phone: str, until: datetime) -> None:
        # The fake knows only who is on hold now; a hand-off already over is none.
        if until > self.clock.now:
            self._doctor.on_hold.add(phone)

    def given_message_from(self, phone: str, at: datetime, name: str | None = None) -> None:
        self._doctor.contacts[phone] = FakeContact(at, name)

    def given_relay(self, phone: str) -> str:
        sid = f"SM{uuid.uuid4().hex}"
        self._doctor.relayed[sid] = phone
        return sid

    def told_doctor(self) -> list[Told]:
        return [Told(purpose, facts) for purpose, facts in self._patient.told]

    def doctor_replies(self) -> list[tuple[str, str]]:
        return list(self._doctor.sent)

    def stored_language(self) -> str | None:
        return self._patient.language

    def notes(self) -> list[tuple[str, str, bool, str]]:
        return [(n.code, n.note_type, n.private, n.text) for n in self._doctor.notes]


class RealSides(Sides):
    """The real services on PostgreSQL, over a practice made with tests/factories.py."""

    name = "real"

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: FrozenClock,
        approval_required: bool,
        doctor_phone: str | None,
    ) -> None:
        self.clock = clock
        self._sessions = sessions
        self._approval_required = approval_required
        self._services: dict[str, uuid.UUID] = {}
        self._slots: dict[tuple[str, date, time], uuid.UUID] = {}
        with sessions.begin() as session:
            practice = make_practice(
                session,
                doctor_phone=doctor_phone,
                appointment_approval_required=approval_required,
                **PRACTICE,
            )
            for position, (name, (duration, price)) in enumerate(SERVICES.items()):
                service = make_service(
                    session, practice, name=name, duration=duration, price=price, position=position
                )
                self._services[name] = service.id
                for day, at in SLOTS[name]:
                    self._slots[name, day, at] = make_slot(session, service, instant(day, at)).id
        self.details = PracticeDetails(id=practice.id, doctor_phone=doctor_phone, **PRACTICE)

    def service_id(self, name: str) -> uuid.UUID:
        return self._services[name]

    def slot(self, service: str, day: date, at: time) -> uuid.UUID:
        return self._slots[service, day, at]

    def patient(self) -> AbstractContextManager[PatientServices]:
        return self._patient_of(PATIENT)

    @contextmanager
    def _patient_of(self, phone: str) -> Iterator[SqlPatientServices]:
        with self._sessions.begin() as session:
            yield SqlPatientServices(
                session,
                self.details,
                self._contact(session, phone),
                self.clock.now,
                render_notification,
                HOLD_MINUTES,
                f"SM{uuid.uuid4().hex}",
            )

    def _contact(self, session: Session, phone: str) -> PatientContact:
        """The writer's contact row, made on their first message as the inbox does."""
        session.execute(
            insert(Contact)
            .values(profile_id=self.details.id, phone=phone)
            .on_conflict_do_nothing(index_elements=[Contact.profile_id, Contact.phone])
        )
        row = session.execute(
            select(
                Contact.id,
                Contact.phone,
                Contact.language,
                Contact.patient_name,
                Contact.patient_age,
                Contact.patient_gender,
            ).where(Contact.profile_id == self.details.id, Contact.phone == phone)
        ).one()
        return PatientContact(*row)

    @contextmanager
    def doctor(self) -> Iterator[DoctorServices]:
        with self._sessions.begin() as session:
            yield SqlDoctorServices(
                session,
                self.details,
                self.clock.now,
                render_notification,
                HOLD_MINUTES,
                f"SM{uuid.uuid4().hex}",
            )

    def given_request(
        self, service: str, day: date, at: time, phone: str = OTHER, **fields: Any
    ) -> str:
        assert self._approval_required, "without approval a hold is an appointment"
        with self._patient_of(phone) as patient:
            return patient.hold(self.slot(service, day, at), intake(phone, **fields)).code

    def given_appointment(
        self, service: str, day: date, at: time, phone: str = OTHER, **fields: Any
    ) -> str:
        with self._patient_of(phone) as patient:
            hold = patient.hold(self.slot(service, day, at), intake(phone, **fields))
        if not hold.confirmed:
            with self.doctor() as doctor:
                doctor.approve(hold.code)
        return hold.code

    def given_rejected(self, code: str) -> None:
        with self.doctor() as doctor:
            doctor.reject(code, None)

    def given_hand_off(self, phone: str, until: datetime) -> None:
        with self._sessions.begin() as session:
            session.add(
                Conversation(
                    profile_id=self.details.id,
                    phone=phone,
                    state=PatientState.HANDOFF,
                    data={},
                    handoff_until=until,
                )
            )

    def given_message_from(self, phone: str, at: datetime, name: str | None = None) -> None:
        with self._sessions.begin() as session:
            session.execute(
                insert(Contact)
                .values(profile_id=self.details.id, phone=phone)
                .on_conflict_do_nothing(index_elements=[Contact.profile_id, Contact.phone])
            )
            session.execute(
                update(Contact)
                .where(Contact.profile_id == self.details.id, Contact.phone == phone)
                .values(last_inbound_at=at, patient_name=name)
            )

    def given_relay(self, phone: str) -> str:
        """Passed on by the patient's own services, then given the sid a delivery stores."""
        with self._patient_of(phone) as patient:
            patient.forward_to_practice("¿Me pueden llamar?", urgent=False)
        sid = f"SM{uuid.uuid4().hex}"
        with self._sessions.begin() as session:
            session.execute(
                update(MessageLog)
                .where(
                    MessageLog.profile_id == self.details.id,
                    MessageLog.purpose == "doctor_patient_message",
                    MessageLog.provider_sid.is_(None),
                )
                .values(provider_sid=sid)
            )
        return sid

    def doctor_replies(self) -> list[tuple[str, str]]:
        with self._sessions() as session:
            rows = session.execute(
                select(MessageLog.phone, MessageLog.variables)
                .where(
                    MessageLog.profile_id == self.details.id,
                    MessageLog.direction == "out",
                    MessageLog.purpose == "doctor_reply",
                )
                .order_by(MessageLog.created_at)
            )
            return [(phone, str((facts or {}).get("body"))) for phone, facts in rows]

    def told_doctor(self) -> list[Told]:
        with self._sessions() as session:
            rows = session.execute(
                select(MessageLog.purpose, MessageLog.variables)
                .where(
                    MessageLog.profile_id == self.details.id,
                    MessageLog.direction == "out",
                    MessageLog.phone == self.details.doctor_phone,
                    MessageLog.purpose.in_(TOLD_PURPOSES),
                )
                .order_by(MessageLog.created_at)
            )
            return [Told(purpose or "", variables or {}) for purpose, variables in rows]

    def stored_language(self) -> str | None:
        with self._sessions() as session:
            return session.scalar(
                select(Contact.language).where(
                    Contact.profile_id == self.details.id, Contact.phone == PATIENT
                )
            )

    def notes(self) -> list[tuple[str, str, bool, str]]:
        with self._sessions() as session:
            rows = session.execute(
                select(
                    Reservation.code,
                    AppointmentNote.note_type,
                    AppointmentNote.is_private,
                    AppointmentNote.content,
                )
                .join(Reservation, Reservation.id == AppointmentNote.reservation_id)
                .where(AppointmentNote.profile_id == self.details.id)
                .order_by(AppointmentNote.created_at)
            )
            return [(code or "", kind, private, text) for code, kind, private, text in rows]
