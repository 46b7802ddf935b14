"""The real services: the flows' requests carried out inside the message's transaction.

Each services object is bound to one practice, one phone number and the moment the message
arrived. Booking use cases run as savepoints of the message's transaction
(`Savepoints`), so a refusal undoes only itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.booking import appointments, attendance, figures, moves, queries, requests, waitlist
from app.booking.blocking import BlockReport, block_period, unblock_period
from app.booking.context import BookingContext
from app.booking.errors import NotFound, SlotNotBookable
from app.booking.intake import ContactMethod, PatientIntake, Urgency
from app.booking.notifications import Notification, Render, queue_notifications
from app.conversation.calendar_links import appointment_url
from app.conversation.rebooking import await_choice_of_times
from app.conversation.waitlist import await_offer_answers
from app.db import Savepoints
from app.messaging.whatsapp_window import in_window
from app.models import (
    Consent,
    Contact,
    Conversation,
    MedicalService,
    MessageLog,
    Practice,
    RequestStatus,
    Reservation,
    ReservationRequest,
    RightsRequest,
    TimeSlot,
)
from app.phones import to_e164
from app.practices import members
from app.rights import erasure, held, register
from app.rights.deadlines import Kind
from app.rights.register import AT_ONCE
from app.scheduling import search
from bot_flows.ports import (
    ErasureDone,
    HeldBooking,
    HeldData,
    OpenRightsRequest,
    PatientReply,
    PracticeDetails,
    ServiceOption,
    SlotOption,
    StoredPatient,
)

# The doctor's notices that pass a patient on (their facts carry the patient's phone):
# WhatsApp's reply to one of them is an answer to that patient.
RELAYS = ("doctor_patient_message", "doctor_handoff")


class _Services:
    """What both services share: the practice, the moment, and a booking context."""

    def __init__(
        self,
        session: Session,
        practice: PracticeDetails,
        now: datetime,
        render: Render,
        hold_minutes: int,
    ) -> None:
        self._session = session
        self._practice = practice
        self._now = now
        self._render = render
        self._ctx = BookingContext(
            Savepoints(session),
            lambda: now,
            render,
            hold_minutes,
            offer_other_times=await_choice_of_times,
            on_offered=await_offer_answers,
        )

    @property
    def practice(self) -> PracticeDetails:
        return self._practice

    def _booking(self, code: str) -> queries.Booking:
        return queries.booking_by_code(self._ctx.sessions, profile_id=self._practice.id, code=code)


@dataclass
class PatientContact:
    """The writer's `contact` row, as the conversation reads it.

    A plain value, not an ORM object: loading and flushing one on every message
    costs more than the message's own work. The services writes a change at once.
    """

    id: uuid.UUID
    phone: str
    language: str | None
    patient_name: str | None
    patient_age: int | None
    patient_gender: str | None


class SqlPatientServices(_Services):
    """The patient side, for the phone number that is writing (`message_sid`: its message)."""

    def __init__(
        self,
        session: Session,
        practice: PracticeDetails,
        contact: PatientContact,
        now: datetime,
        render: Render,
        hold_minutes: int,
        message_sid: str,
        public_base_url: str | None = None,
    ) -> None:
        super().__init__(session, practice, now, render, hold_minutes)
        self._contact = contact
        self._message_sid = message_sid
        self._public_base_url = public_base_url

    @property
    def phone(self) -> str:
        return self._contact.phone

    def has_consented(self) -> bool:
        accepted = self._session.scalar(
            select(Consent.accepted)
            .where(Consent.profile_id == self._practice.id, Consent.phone == self._contact.phone)
            .order_by(Consent.recorded_at.desc())
            .limit(1)
        )
        return bool(accepted)

    def record_consent(self, accepted: bool, text_version: str) -> None:
        self._session.add(
            Consent(
                profile_id=self._practice.id,
                phone=self._contact.phone,
                accepted=accepted,
                text_version=text_version,
                language=self._contact.language or self._practice.language,
                recorded_at=self._now,
            )
        )

    def set_language(self, language: str) -> None:
        self._contact.language = language
        self._update_contact(language=language)

    def services(self) -> list[ServiceOption]:
        rows = self._session.scalars(
            select(MedicalService)
            .where(MedicalService.profile_id == self._practice.id, MedicalService.is_active)
            .order_by(MedicalService.position, MedicalService.name)
        )
        return [ServiceOption(s.id, s.name, s.duration, s.price) for s in rows]

    def free_days(self, service_id: uuid.UUID, limit: int) -> list[date]:
        return search.free_days(self._session, self._practice, service_id, self._now, limit)

    def free_times(self, service_id: uuid.UUID, day: date) -> list[SlotOption]:
        found = search.free_times(self._session, self._practice, service_id, day, self._now)
        return [SlotOption(slot.slot_id, slot.start) for slot in found]

    def nearest_free(self, service_id: uuid.UUID, around: datetime, limit: int) -> list[SlotOption]:
        found = search.nearest_free(
            self._session, self._practice, service_id, around, self._now, limit
        )
        return [SlotOption(slot.slot_id, slot.start) for slot in found]

    def stored_patient(self) -> StoredPatient | None:
        """Their last request's answers at this practice, else the name kept on the contact.

        Each request the chat sends keeps the name on the contact (`remember_patient`):
        without one there is no request to read, as for every first booking.
        """
        if not self._contact.patient_name:
            return None
        last = self._session.execute(
            select(
                ReservationRequest.patient_name,
                ReservationRequest.patient_age,
                ReservationRequest.patient_gender,
                ReservationRequest.medical_history,
                ReservationRequest.current_medications,
                ReservationRequest.allergies,
                ReservationRequest.preferred_contact_method,
                ReservationRequest.patient_email,
            )
            .where(
                ReservationRequest.profile_id == self._practice.id,
                ReservationRequest.patient_phone == self._contact.phone,
            )
            .order_by(ReservationRequest.created_at.desc(), ReservationRequest.id)
            .limit(1)
        ).first()
        if last is not None:
            if not last.patient_name:
                return None
            return StoredPatient(
                last.patient_name,
                last.patient_age,
                last.patient_gender,
                history=last.medical_history,
                medications=last.current_medications,
                allergies=last.allergies,
                contact=last.preferred_contact_method,
                email=last.patient_email,
                from_request=True,
            )
        contact = self._contact
        if not contact.patient_name:
            return None
        return StoredPatient(contact.patient_name, contact.patient_age, contact.patient_gender)

    def remember_patient(self, patient: StoredPatient) -> None:
        contact = self._contact
        contact.patient_name, contact.patient_age = patient.name, patient.age
        contact.patient_gender = patient.gender
        self._update_contact(
            patient_name=patient.name, patient_age=patient.age, patient_gender=patient.gender
        )

    def _update_contact(self, **values: object) -> None:
        self._session.execute(
            update(Contact)
            .where(Contact.id == self._contact.id)
            .values(**values, updated_at=self._now)
            .execution_options(synchronize_session=False)
        )

    def booking_closed(self) -> bool:
        details = self._practice
        if details.no_show_limit is None or details.no_show_action != "chat_closed":
            return False  # the chat books whatever the count: nothing to read
        practice = self._session.get_one(Practice, details.id)
        consequence = attendance.consequence_for(
            self._session, practice, self._contact.phone, self._now
        )
        return consequence == attendance.Consequence.CHAT_CLOSED

    def hold(self, slot_id: uuid.UUID, intake: PatientIntake) -> requests.Hold:
        if intake.phone != self._contact.phone:
            raise ValueError("a patient can only book for their own phone number")
        return requests.hold_slot(
            self._ctx,
            profile_id=self._practice.id,
            slot_id=slot_id,
            intake=intake,
            patient_language=self._contact.language or self._practice.language,
        )

    def calendar_link(self, hold: requests.Hold) -> str | None:
        if self._public_base_url is None or hold.calendar_token is None:
            return None
        return appointment_url(self._public_base_url, hold.calendar_token)

    def rebook(self, code: str, slot_id: uuid.UUID) -> requests.Hold:
        old = self._session.scalar(
            select(ReservationRequest).where(
                ReservationRequest.profile_id == self._practice.id,
                ReservationRequest.code == code,
                ReservationRequest.patient_phone == self._contact.phone,
                ReservationRequest.status.in_([RequestStatus.REJECTED, RequestStatus.EXPIRED]),
                ReservationRequest.replaces_reservation_id.is_(None),
            )
        )
        if old is None:
            raise NotFound(code)
        service_id = self._session.scalar(select(TimeSlot.service_id).where(TimeSlot.id == slot_id))
        if service_id is not None and service_id != old.service_id:
            raise SlotNotBookable("other_service")
        return self.hold(slot_id, _intake_of(old))

    def bookings(self) -> list[queries.Booking]:
        return queries.patient_bookings(
            self._ctx.sessions,
            profile_id=self._practice.id,
            phone=self._contact.phone,
            now=self._now,
        )

    def withdraw(self) -> None:
        requests.withdraw_request(
            self._ctx, profile_id=self._practice.id, phone=self._contact.phone
        )

    def cancel(self, code: str) -> None:
        booking = self._own(code)
        if booking.kind == "request":
            requests.withdraw_request(
                self._ctx, profile_id=self._practice.id, phone=self._contact.phone, code=code
            )
            return
        appointments.cancel_reservation(
            self._ctx, profile_id=self._practice.id, code=code, patient_phone=self._contact.phone
        )

    def reschedule(self, code: str, slot_id: uuid.UUID) -> requests.Hold | None:
        return moves.move_appointment(
            self._ctx,
            profile_id=self._practice.id,
            code=code,
            patient_phone=self._contact.phone,
            new_slot_id=slot_id,
        )

    def confirm_attendance(self, code: str) -> None:
        attendance.confirm_attendance(
            self._ctx, profile_id=self._practice.id, code=code, patient_phone=self._contact.phone
        )

    def join_waitlist(
        self,
        service_id: uuid.UUID,
        first_day: date,
        last_day: date,
        day_part: str,
        intake: PatientIntake,
    ) -> None:
        waitlist.join(
            self._ctx,
            profile_id=self._practice.id,
            phone=self._contact.phone,
            service_id=service_id,
            first_day=first_day,
            last_day=last_day,
            day_part=day_part,
            intake=intake,
        )

    def accept_offer(self, offer_id: uuid.UUID) -> requests.Hold:
        return waitlist.accept(
            self._ctx,
            offer_id=offer_id,
            phone=self._contact.phone,
            patient_language=self._contact.language or self._practice.language,
        )

    def decline_offer(self, offer_id: uuid.UUID) -> None:
        waitlist.decline(self._ctx, offer_id=offer_id, phone=self._contact.phone)

    def leave_waitlist(self) -> int:
        return waitlist.leave(self._ctx, profile_id=self._practice.id, phone=self._contact.phone)

    def my_data(self) -> HeldData:
        contact = self._contact
        self._note_right(Kind.ACCESS, answered=AT_ONCE)
        return HeldData(
            contact.patient_name,
            contact.patient_age,
            contact.patient_gender,
            contact.language,
            tuple(
                HeldBooking(**vars(row))
                for row in held.held_requests(self._session, self._practice.id, contact.phone)
            ),
        )

    def correct_identity(
        self, name: str | None = None, age: int | None = None, gender: str | None = None
    ) -> None:
        given = {"name": name, "age": age, "gender": gender}
        values = {key: value for key, value in given.items() if value is not None}
        contact = self._contact
        for key, value in values.items():
            setattr(contact, f"patient_{key}", value)
        self._update_contact(**{f"patient_{key}": value for key, value in values.items()})
        held.correct_requests(self._session, self._practice.id, contact.phone, **values)
        self._note_right(Kind.CORRECTION, answered=AT_ONCE)

    def withdraw_consent(self, text_version: str) -> None:
        self.record_consent(False, text_version)
        self.leave_waitlist()  # a freed place offered later would write to them again
        self._note_right(Kind.WITHDRAWAL, answered=AT_ONCE)

    def erase_my_data(self, text_version: str) -> ErasureDone:
        # What is still to come is cancelled first, as the patient would cancel it (the
        # doctor is told, the place goes to the waitlist); then nothing more is sent.
        cancelled = tuple(booking.code for booking in self.bookings())
        for code in cancelled:
            self.cancel(code)
        self.record_consent(False, text_version)
        self.leave_waitlist()
        practice = self._session.get_one(Practice, self._practice.id)
        plan = erasure.request_erasure(self._session, practice, self._contact.phone, self._now)
        local = ZoneInfo(practice.timezone)
        return ErasureDone(
            cancelled,
            plan.bookings,
            plan.messages,
            plan.kept_visits,
            plan.kept_until.astimezone(local).date() if plan.kept_until else None,
        )

    def _note_right(self, kind: Kind, answered: str | None = None) -> RightsRequest:
        practice = self._session.get_one(Practice, self._practice.id)
        return register.record(
            self._session, practice, self._contact.phone, kind, self._now, answered
        )

    def hand_off(self) -> None:
        key = f"handoff:{self._contact.id}:{self._now.isoformat()}"
        self._tell_doctor("doctor_handoff", key, {"timezone": self._practice.timezone})

    def forward_to_practice(self, text: str, urgent: bool) -> None:
        # One notification per incoming message: a retried webhook cannot forward it twice.
        key = f"forward:{self._message_sid}"
        self._tell_doctor("doctor_patient_message", key, {"body": text, "urgent": urgent})

    def _tell_doctor(self, purpose: str, key: str, facts: dict[str, object]) -> None:
        """Queue a notification about this patient to the doctor's own WhatsApp, if on file."""
        practice = self._practice
        if not practice.doctor_phone:
            return
        about = {"patient_name": self._contact.patient_name or "", "phone": self._contact.phone}
        notification = Notification(
            practice.id, purpose, practice.doctor_phone, practice.language, key, about | facts
        )
        queue_notifications(self._session, [notification], self._render, self._now)

    def _own(self, code: str) -> queries.Booking:
        mine = [b for b in self.bookings() if b.code == code]
        if not mine:
            raise NotFound(code)
        return mine[0]


def _intake_of(request: ReservationRequest) -> PatientIntake:
    """What the patient answered for `request`, to ask for another time with."""
    return PatientIntake(
        phone=request.patient_phone,
        name=request.patient_name,
        age=request.patient_age,
        gender=request.patient_gender,
        email=request.patient_email,
        chief_complaint=request.chief_complaint,
        symptoms=request.symptoms,
        medical_history=request.medical_history,
        current_medications=request.current_medications,
        allergies=request.allergies,
        urgency=Urgency(request.urgency_level or Urgency.NORMAL),
        contact_method=ContactMethod(request.preferred_contact_method or ContactMethod.WHATSAPP),
    )


class SqlDoctorServices(_Services):
    """The doctor side, for the practice whose doctor is writing (`message_sid`: their message)."""

    def __init__(
        self,
        session: Session,
        practice: PracticeDetails,
        now: datetime,
        render: Render,
        hold_minutes: int,
        message_sid: str,
    ) -> None:
        super().__init__(session, practice, now, render, hold_minutes)
        self._message_sid = message_sid

    def approve(self, code: str) -> queries.Booking:
        requests.approve_request(self._ctx, profile_id=self._practice.id, code=code)
        return self._booking(code)

    def reject(self, code: str, reason: str | None) -> queries.Booking:
        requests.reject_request(self._ctx, profile_id=self._practice.id, code=code, reason=reason)
        return self._booking(code)

    def pending(self) -> list[queries.PendingRequest]:
        return queries.pending_requests(self._ctx.sessions, profile_id=self._practice.id)

    def agenda(self, day: date) -> list[queries.Booking]:
        return queries.doctor_agenda(self._ctx.sessions, profile_id=self._practice.id, day=day)

    def cancel(self, code: str, reason: str | None) -> queries.Booking:
        if self._booking(code).kind == "request":
            return self.reject(code, reason)
        appointments.cancel_reservation(
            self._ctx, profile_id=self._practice.id, code=code, reason=reason
        )
        return self._booking(code)

    def complete(self, code: str) -> queries.Booking:
        appointments.complete_reservation(self._ctx, profile_id=self._practice.id, code=code)
        return self._booking(code)

    def no_show(self, code: str) -> queries.Booking:
        appointments.mark_no_show(self._ctx, profile_id=self._practice.id, code=code)
        return self._booking(code)

    def note(self, code: str, note_type: str, private: bool, text: str) -> None:
        appointments.add_note(
            self._ctx,
            profile_id=self._practice.id,
            code=code,
            note_type=note_type,
            content=text,
            private=private,
        )

    def block(self, day: date, start: time | None, end: time | None) -> BlockReport:
        return block_period(self._ctx, profile_id=self._practice.id, day=day, start=start, end=end)

    def unblock(self, day: date, start: time | None, end: time | None) -> int:
        return unblock_period(
            self._ctx, profile_id=self._practice.id, day=day, start=start, end=end
        )

    def resume_bot(self, phone: str) -> bool:
        ended = self._session.execute(
            update(Conversation)
            .where(
                Conversation.profile_id == self._practice.id,
                Conversation.phone == to_e164(phone),
                Conversation.handoff_until > self._now,
            )
            .values(handoff_until=None)
            .returning(Conversation.id)
        ).first()
        return ended is not None

    def figures(self, since: datetime, until: datetime) -> figures.Figures:
        return figures.practice_figures(
            self._ctx.sessions, profile_id=self._practice.id, since=since, until=until
        )

    def forgive(self, phone: str) -> int:
        return attendance.forgive(self._ctx, profile_id=self._practice.id, phone=to_e164(phone))

    def phone_of(self, code: str) -> str:
        for booking in (Reservation, ReservationRequest):  # codes are never reused in a practice
            phone = self._session.scalar(
                select(booking.patient_phone)
                .where(booking.profile_id == self._practice.id, booking.code == code)
                .limit(1)
            )
            if phone:
                return phone
        raise NotFound(code)

    def relayed_patient(self, message_sid: str) -> str | None:
        facts = self._session.scalar(
            select(MessageLog.variables).where(
                MessageLog.provider_sid == message_sid,
                MessageLog.profile_id == self._practice.id,
                MessageLog.direction == "out",
                MessageLog.purpose.in_(RELAYS),
            )
        )
        phone = (facts or {}).get("phone")
        return phone if isinstance(phone, str) else None

    def reply_to_patient(self, phone: str, text: str) -> PatientReply:
        practice = self._practice
        contact = self._session.execute(
            select(Contact.patient_name, Contact.language, Contact.last_inbound_at).where(
                Contact.profile_id == practice.id, Contact.phone == phone
            )
        ).first()
        if contact is None or contact.last_inbound_at is None or phone == practice.doctor_phone:
            return PatientReply("unknown_patient")
        name = contact.patient_name or None
        if not in_window(contact.last_inbound_at, self._now):
            return PatientReply("window_closed", name, contact.last_inbound_at)
        notification = Notification(
            practice.id,
            "doctor_reply",
            phone,
            contact.language or practice.language,
            f"doctor_reply:{self._message_sid}",
            {"doctor": practice.name, "body": text},
        )
        queue_notifications(self._session, [notification], self._render, self._now)
        return PatientReply("sent", name)

    def open_rights_requests(self) -> list[OpenRightsRequest]:
        return [
            OpenRightsRequest(row.kind, row.phone, row.requested_at, row.due_at)
            for row in register.open_requests(self._session, self._practice.id)
        ]

    def add_member(self, phone: str, name: str) -> members.Member:
        return members.add_member(
            self._ctx.sessions, profile_id=self._practice.id, phone=phone, name=name, now=self._now
        )


def practice_details(session: Session, profile_id: uuid.UUID) -> PracticeDetails | None:
    """What the flows know of a practice, as the webhook reads it (the desk's pages too)."""
    table = Practice.__table__
    columns = (table.c[attribute.name] for attribute in fields(PracticeDetails))
    found = session.execute(select(*columns).where(table.c.id == profile_id)).first()
    return PracticeDetails(**found._asdict()) if found is not None else None
