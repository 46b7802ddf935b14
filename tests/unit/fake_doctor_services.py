"""An in-memory `DoctorServices`: one practice's requests and appointments, and a log of calls.

It refuses the way the booking services do (same exceptions, same legal moves), so
the doctor's commands can be tested without a database; tests/contract checks that
it answers as the real services do. `calls` records every method called, reads
included; `mutations` only those that change something.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.booking.appointments import NOTE_TYPES
from app.booking.blocking import AffectedBooking, BlockReport
from app.booking.errors import AlreadyStarted, NotFound, NotStarted, RequestExpired
from app.booking.figures import AppointmentRow, Figures, RefillRow, RequestRow, summarise
from app.booking.queries import Booking, PendingRequest
from app.booking.transitions import check_transition
from app.messaging.whatsapp_window import in_window
from app.phones import to_e164
from app.practices.members import Member, MemberRefused
from bot_flows.ports import OpenRightsRequest, PatientReply, PracticeDetails

MUTATING = frozenset(
    {
        "approve", "reject", "cancel", "complete", "no_show", "note", "block", "resume_bot",
        "reply_to_patient", "forgive", "unblock", "add_member",
    }
)  # fmt: skip
PATIENT_PHONE = "+525512345678"


@dataclass
class FakeRequest:
    code: str
    start: datetime
    expires_at: datetime
    patient_name: str = "María Pérez"
    age: int | None = 34
    service: str = "Consulta general"
    reason: str | None = "Dolor de cabeza"
    urgency: str | None = "normal"
    status: str = "pending"
    service_id: uuid.UUID | None = None
    patient_phone: str = PATIENT_PHONE
    attendance_confirmed_at: datetime | None = None
    moving_from: datetime | None = None  # a move: when the appointment it replaces is now
    replaces: str | None = None  # a move: the appointment cancelled when it is approved


@dataclass
class FakeAppointment:
    code: str
    start: datetime
    patient_name: str = "María Pérez"
    service: str = "Consulta general"
    status: str = "confirmed"
    service_id: uuid.UUID | None = None
    patient_phone: str = PATIENT_PHONE
    attendance_confirmed_at: datetime | None = None


@dataclass
class FakeContact:
    """A number that wrote to the practice: when last, and the name it gave, if any."""

    last_inbound_at: datetime
    patient_name: str | None = None


@dataclass
class FakeNote:
    code: str
    note_type: str
    private: bool
    text: str


class FakeDoctorServices:
    """The doctor's services of one practice at one moment, in memory."""

    def __init__(self, practice: PracticeDetails, now: datetime) -> None:
        self.practice = practice
        self.now = now
        self.requests: dict[str, FakeRequest] = {}
        self.appointments: dict[str, FakeAppointment] = {}
        # The starts of the slots `block` counts, each `slot_minutes` long. The real
        # services count every slot the period overlaps, booked or already blocked too.
        self.free_slots: list[datetime] = []
        self.slot_minutes = 30
        self.blocks: dict[tuple[date, time | None, time | None], int] = {}  # -> times closed
        self.on_hold: set[str] = set()  # E.164 numbers whose hand-off is under way
        self.no_shows: dict[str, int] = {}  # E.164 number -> no-shows still counting
        # What `figures` summarises (the real arithmetic, over rows a test sets).
        self.request_rows: list[RequestRow] = []
        self.appointment_rows: list[AppointmentRow] = []
        self.refill_rows: list[RefillRow] = []
        self.messages = 0
        self.notes: list[FakeNote] = []
        self.contacts: dict[str, FakeContact] = {}  # by E.164 number
        self.relayed: dict[str, str] = {}  # provider sid of a relay to the doctor -> patient
        self.sent: list[tuple[str, str]] = []  # (patient, text) the doctor wrote to them
        self.members: dict[str, Member] = {}  # staff by E.164 number
        self.rights: list[OpenRightsRequest] = []  # data-rights requests not answered yet
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.refuse_with: Exception | None = None  # raised by the next change, if set

    @property
    def mutations(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [call for call in self.calls if call[0] in MUTATING]

    def add_request(self, code: str, start: datetime, **details: Any) -> FakeRequest:
        expires_at = details.pop("expires_at", self.now + timedelta(minutes=30))
        self.requests[code] = FakeRequest(code, start, expires_at, **details)
        return self.requests[code]

    def add_appointment(self, code: str, start: datetime, **details: Any) -> FakeAppointment:
        self.appointments[code] = FakeAppointment(code, start, **details)
        return self.appointments[code]

    def approve(self, code: str) -> Booking:
        self._record("approve", code)
        request = self._open_request(code)
        check_transition("request", code, request.status, "approved")
        request.status = "approved"
        if request.replaces in self.appointments:
            self.appointments[request.replaces].status = "cancelled"
        appointment = self.add_appointment(
            code,
            request.start,
            patient_name=request.patient_name,
            service=request.service,
            service_id=request.service_id,
            patient_phone=request.patient_phone,
        )
        return _appointment_booking(appointment)

    def reject(self, code: str, reason: str | None) -> Booking:
        self._record("reject", code, reason)
        request = self._open_request(code)
        check_transition("request", code, request.status, "rejected")
        request.status = "rejected"
        return _request_booking(request)

    def pending(self) -> list[PendingRequest]:
        self._record("pending")
        waiting = [r for r in self.requests.values() if r.status == "pending"]
        return [
            PendingRequest(
                r.code, r.patient_name, r.age, r.service, r.start, r.reason, r.urgency,
                r.expires_at, r.moving_from,
            )
            for r in sorted(waiting, key=lambda r: (r.expires_at, r.code))
        ]  # fmt: skip

    def agenda(self, day: date) -> list[Booking]:
        self._record("agenda", day)
        zone = ZoneInfo(self.practice.timezone)
        return [
            booking
            for booking in self._live_bookings()
            if booking.start.astimezone(zone).date() == day
        ]

    def cancel(self, code: str, reason: str | None) -> Booking:
        self._record("cancel", code, reason)
        if code in self.requests and code not in self.appointments:
            request = self.requests[code]
            check_transition("request", code, request.status, "rejected")
            request.status = "rejected"
            return _request_booking(request)
        appointment = self._appointment(code)
        check_transition("reservation", code, appointment.status, "cancelled")
        if appointment.start <= self.now:
            raise AlreadyStarted(code)
        appointment.status = "cancelled"
        return _appointment_booking(appointment)

    def complete(self, code: str) -> Booking:
        self._record("complete", code)
        return self._finish(code, "completed")

    def no_show(self, code: str) -> Booking:
        self._record("no_show", code)
        return self._finish(code, "no_show")

    def note(self, code: str, note_type: str, private: bool, text: str) -> None:
        self._record("note", code, note_type, private, text)
        if note_type not in NOTE_TYPES:
            raise ValueError(f"note type must be one of {NOTE_TYPES}")
        self._appointment(code)
        self.notes.append(FakeNote(code, note_type, private, text))

    def block(self, day: date, start: time | None, end: time | None) -> BlockReport:
        self._record("block", day, start, end)
        if (start is None) != (end is None) or (start and end and end <= start):
            raise ValueError("a blocked range needs a start before its end")
        zone = ZoneInfo(self.practice.timezone)
        since = datetime.combine(day, start or time(0), tzinfo=zone).astimezone(UTC)
        until = (
            datetime.combine(day, end, tzinfo=zone)
            if end
            else datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        ).astimezone(UTC)
        length = timedelta(minutes=self.slot_minutes)
        blocked = [slot for slot in self.free_slots if slot < until and slot + length > since]
        affected = [
            AffectedBooking(b.code, b.start, b.patient_name, b.service, b.status)
            for b in self._live_bookings()
            if b.start < until and b.start + length > since and b.status in ("pending", "confirmed")
        ]
        self.blocks[(day, start, end)] = len(blocked)
        return BlockReport(len(blocked), affected)

    def unblock(self, day: date, start: time | None, end: time | None) -> int:
        """The day's blocks, or the one of that range, lifted: how many times they had closed."""
        self._record("unblock", day, start, end)
        if (start is None) != (end is None) or (start and end and end <= start):
            raise ValueError("a blocked range needs a start before its end")
        lifted = [
            key
            for key in self.blocks
            if key[0] == day and (start is None or key[1:] == (start, end))
        ]
        return sum(self.blocks.pop(key) for key in lifted)

    def resume_bot(self, phone: str) -> bool:
        self._record("resume_bot", phone)
        phone = to_e164(phone)
        if phone not in self.on_hold:
            return False
        self.on_hold.discard(phone)
        return True

    def figures(self, since: datetime, until: datetime) -> Figures:
        self._record("figures", since, until)
        return summarise(
            since,
            until,
            self.request_rows,
            self.appointment_rows,
            self.messages,
            24,
            self.refill_rows,
        )

    def forgive(self, phone: str) -> int:
        self._record("forgive", phone)
        phone = to_e164(phone)
        forgiven = self.no_shows.get(phone, 0)
        self.no_shows[phone] = 0
        return forgiven

    def phone_of(self, code: str) -> str:
        self._record("phone_of", code)
        booking = self.appointments.get(code) or self.requests.get(code)
        if booking is None:
            raise NotFound(code)
        return booking.patient_phone

    def relayed_patient(self, message_sid: str) -> str | None:
        self._record("relayed_patient", message_sid)
        return self.relayed.get(message_sid)

    def reply_to_patient(self, phone: str, text: str) -> PatientReply:
        self._record("reply_to_patient", phone, text)
        contact = self.contacts.get(phone)
        if contact is None or phone == self.practice.doctor_phone:
            return PatientReply("unknown_patient")
        if not in_window(contact.last_inbound_at, self.now):
            return PatientReply("window_closed", contact.patient_name, contact.last_inbound_at)
        self.sent.append((phone, text))
        return PatientReply("sent", contact.patient_name)

    def open_rights_requests(self) -> list[OpenRightsRequest]:
        self._record("open_rights_requests")
        return sorted(self.rights, key=lambda request: request.due_at)

    def add_member(self, phone: str, name: str) -> Member:
        self._record("add_member", phone, name)
        phone = to_e164(phone)
        if phone == self.practice.doctor_phone:
            raise MemberRefused("is_doctor")
        if phone in self.members:
            raise MemberRefused("already")
        self.members[phone] = Member(uuid.uuid4(), name, phone, "staff", self.now)
        return self.members[phone]

    def _record(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))
        if name in MUTATING and self.refuse_with is not None:
            error, self.refuse_with = self.refuse_with, None
            raise error

    def _open_request(self, code: str) -> FakeRequest:
        if code not in self.requests:
            raise NotFound(code)
        request = self.requests[code]
        if request.status == "pending" and request.expires_at <= self.now:
            request.status = "expired"
            raise RequestExpired(code, request.expires_at)
        return request

    def _appointment(self, code: str) -> FakeAppointment:
        if code not in self.appointments:
            raise NotFound(code)
        return self.appointments[code]

    def _finish(self, code: str, status: str) -> Booking:
        appointment = self._appointment(code)
        check_transition("reservation", code, appointment.status, status)
        if appointment.start > self.now:
            raise NotStarted(code)
        appointment.status = status
        return _appointment_booking(appointment)

    def _live_bookings(self) -> list[Booking]:
        """Pending requests and uncancelled appointments, in time order."""
        requests = [_request_booking(r) for r in self.requests.values() if r.status == "pending"]
        appointments = [
            _appointment_booking(a) for a in self.appointments.values() if a.status != "cancelled"
        ]
        return sorted(requests + appointments, key=lambda b: (b.start, b.code))


def _request_booking(request: FakeRequest) -> Booking:
    return Booking(
        code=request.code,
        kind="request",
        status=request.status,
        start=request.start,
        service=request.service,
        patient_name=request.patient_name,
        urgency=request.urgency,
        service_id=request.service_id,
    )


def _appointment_booking(appointment: FakeAppointment) -> Booking:
    return Booking(
        code=appointment.code,
        kind="reservation",
        status=appointment.status,
        start=appointment.start,
        service=appointment.service,
        patient_name=appointment.patient_name,
        service_id=appointment.service_id,
        attendance_confirmed_at=appointment.attendance_confirmed_at,
    )
