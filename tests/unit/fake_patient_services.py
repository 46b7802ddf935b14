"""An in-memory PatientServices, and a patient who talks to the bot through it.

The services holds one practice, one patient's phone, free slots and a log of calls.
It keeps the real services' rules that the conversation can see (tests/contract
checks that it answers as they do): slots are offered inside the booking window and
while the doctor is free then, one open request per phone (one upcoming appointment
without approval), only one's own upcoming bookings can be cancelled or confirmed,
only confirmed appointments move and only within their service, and the intake must
carry the services' own phone number. Tests can make a slot "taken meanwhile" or
make any method refuse once.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from app.booking.errors import (
    AlreadyStarted,
    BookingError,
    MovePending,
    NotFound,
    OfferGone,
    OpenRequestExists,
    SlotNotBookable,
    SlotTaken,
    UpcomingAppointmentExists,
)
from app.booking.intake import PatientIntake
from app.booking.queries import Booking
from app.booking.requests import Hold
from app.conversation.choices import as_interactive
from app.messaging.interactive import LIST_MAX_ITEMS
from app.scheduling.window import BookingWindow
from bot_flows.engine import Said
from bot_flows.patient import Chat, Incoming, PatientState, answer_patient
from bot_flows.ports import (
    ErasureDone,
    HeldBooking,
    HeldData,
    PracticeDetails,
    ServiceOption,
    SlotOption,
    StoredPatient,
)
from bot_flows.texts import text
from tests.twilio_limits import assert_sendable

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday 09:00 in Mexico City
PRACTICE = PracticeDetails(
    id=uuid.UUID(int=1),
    name="Dra. Ana López",  # the title inside the name, as older clinic files have it
    doctor_gender="f",
    doctor_phone="+525511111111",
    language="es",
    timezone="America/Mexico_City",
    emergency_phone="911",
    cancellation_policy="Cancela con 24 horas de anticipación.",
    min_notice_minutes=60,
    booking_horizon_days=60,
)
WEEK = [date(2026, 12, 1) + timedelta(days=n) for n in range(3)]  # Tuesday to Thursday
MORNING = [time(10, 0), time(10, 30), time(11, 0)]
MINUTE = timedelta(minutes=1)
NEAREST_REACH = timedelta(days=3)  # how far either way `nearest_free` looks, as the real one


@dataclass
class FakePatientServices:
    """The patient side of one practice for one phone, in memory.

    `free` maps each service to its free slots; removing one is another patient
    booking it. A free slot is offered while it is inside the practice's booking
    window and no taken slot of any service overlaps it (the doctor is busy then).
    """

    practice: PracticeDetails = PRACTICE
    phone: str = "+525512345678"  # E.164, as the inbox binds the real services
    now: datetime = NOW
    approval_required: bool = True
    hold_minutes: int = 30
    consented: bool = False
    chat_closed: bool = False  # the practice's no-show policy refuses this phone
    must_reconfirm: bool = False  # ... or frees this phone's appointments unless confirmed
    # Where confirmed appointments' calendar files are linked from; None: no link.
    calendar_base: str | None = None
    stored: StoredPatient | None = None
    language: str | None = None
    free: dict[uuid.UUID, list[SlotOption]] = field(default_factory=dict)
    service_list: list[ServiceOption] = field(default_factory=list)
    # Holding one of these fails as if another patient took it a moment before.
    taken_meanwhile: set[uuid.UUID] = field(default_factory=set)
    # method name -> error it raises on its next call
    refusals: dict[str, BookingError] = field(default_factory=dict)
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    intakes: list[PatientIntake] = field(default_factory=list)
    # Requests the doctor rejected or let lapse: code -> (intake, service id).
    closed: dict[str, tuple[PatientIntake, uuid.UUID]] = field(default_factory=dict)
    handoffs: int = 0  # hand_off calls, and forward_to_practice calls below
    forwarded: list[tuple[str, bool]] = field(default_factory=list)
    # What reached the doctor, in order: (purpose, facts), as the real outbox row holds them.
    told: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    # Every slot ever offered, free or taken since: slot id -> (service id, slot).
    _slots: dict[uuid.UUID, tuple[uuid.UUID, SlotOption]] = field(default_factory=dict)
    _booked: dict[str, tuple[Booking, SlotOption]] = field(default_factory=dict)
    # The waitlist: service id -> (first day, last day, part of the day, intake); and the
    # places offered and still open: offer id -> (service id, slot id).
    waiting: dict[uuid.UUID, tuple[date, date, str, PatientIntake]] = field(default_factory=dict)
    offers: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = field(default_factory=dict)
    # The rights register, as the real services note it: (kind, answered at once).
    rights: list[tuple[str, bool]] = field(default_factory=list)

    @classmethod
    def with_services(cls, *names: str, **settings: Any) -> FakePatientServices:
        """A services object whose services each have free mornings from Tuesday to Thursday."""
        services = cls(**settings)
        for name in names:
            services.add_service(name, WEEK, MORNING)
        return services

    def add_service(
        self,
        name: str,
        days: list[date],
        times: list[time],
        duration: int = 30,
        price: Decimal | None = Decimal("500.00"),
    ) -> ServiceOption:
        service = ServiceOption(uuid.uuid4(), name, duration, price)
        self.service_list.append(service)
        self.free[service.id] = []
        for day in days:
            for at in times:
                self.add_slot(service, self._instant(day, at))
        return service

    def add_slot(self, service: ServiceOption, start: datetime) -> SlotOption:
        """A free slot of `service`; once known, a slot taken later is refused as taken."""
        slot = SlotOption(uuid.uuid4(), start)
        self._slots[slot.slot_id] = (service.id, slot)
        self.free.setdefault(service.id, []).append(slot)
        return slot

    def add_booking(
        self,
        code: str,
        service: ServiceOption,
        start: datetime,
        kind: str = "reservation",
        slot_id: uuid.UUID | None = None,
        patient_name: str = "María",
        urgency: str | None = None,
        replaces: str | None = None,
    ) -> Booking:
        """A booking made earlier, as `bookings()` lists it; a "request" waits for the doctor.

        A request carries the intake's urgency ("normal" unless given); an appointment none.
        """
        if kind == "request":
            status, urgency = "pending", urgency or "normal"
        else:
            status, urgency = "confirmed", None
        booking = Booking(
            code, kind, status, start, service.name, patient_name, urgency, service.id, replaces
        )
        self._booked[code] = (booking, SlotOption(slot_id or uuid.uuid4(), start))
        return booking

    # The PatientServices protocol

    def has_consented(self) -> bool:
        self._call("has_consented")
        return self.consented

    def record_consent(self, accepted: bool, text_version: str) -> None:
        self._call("record_consent", accepted, text_version)
        self.consented = accepted

    def set_language(self, language: str) -> None:
        self._call("set_language", language)
        self.language = language

    def services(self) -> list[ServiceOption]:
        self._call("services")
        return list(self.service_list)  # in the order added, as the clinic file lists them

    def booking_closed(self) -> bool:
        self._call("booking_closed")
        return self.chat_closed

    def free_days(self, service_id: uuid.UUID, limit: int) -> list[date]:
        self._call("free_days", service_id, limit)
        days = sorted({self._local_day(slot.start) for slot in self._free(service_id)})
        return days[:limit]

    def free_times(self, service_id: uuid.UUID, day: date) -> list[SlotOption]:
        self._call("free_times", service_id, day)
        return [slot for slot in self._free(service_id) if self._local_day(slot.start) == day]

    def nearest_free(self, service_id: uuid.UUID, around: datetime, limit: int) -> list[SlotOption]:
        """The closest first (the earlier of two as close), within three days of `around`."""
        self._call("nearest_free", service_id, around, limit)
        nearby = [
            slot
            for slot in self._free(service_id)
            if around - NEAREST_REACH <= slot.start <= around + NEAREST_REACH
        ]
        return sorted(nearby, key=lambda slot: (abs(slot.start - around), slot.start))[:limit]

    def stored_patient(self) -> StoredPatient | None:
        """The last request's answers, as the real one reads them; else `stored` (the contact).

        Requests are read only for a patient remembered (`remember_patient`), as there.
        """
        self._call("stored_patient")
        if not (self.stored and self.stored.name):
            return None
        if self.intakes:
            last = self.intakes[-1]
            if not last.name:
                return None
            return StoredPatient(
                last.name, last.age, last.gender, last.medical_history,
                last.current_medications, last.allergies, last.contact_method.value, last.email,
                from_request=True,
            )  # fmt: skip
        return self.stored

    def remember_patient(self, patient: StoredPatient) -> None:
        self._call("remember_patient", patient)
        self.stored = patient

    def hold(self, slot_id: uuid.UUID, intake: PatientIntake) -> Hold:
        """Refused as the real one refuses, in its order: unbookable, one open, then taken."""
        self._call("hold", slot_id, intake)
        return self._hold(slot_id, intake)

    def calendar_link(self, hold: Hold) -> str | None:
        if self.calendar_base is None or not hold.confirmed:
            return None
        return f"{self.calendar_base}/calendar/appointment/{hold.code}.ics"

    def rebook(self, code: str, slot_id: uuid.UUID) -> Hold:
        """Only a request of this phone closed by the doctor or its deadline, in its service."""
        self._call("rebook", code, slot_id)
        if code not in self.closed:
            raise NotFound(code)
        intake, service_id = self.closed[code]
        if self._bookable(slot_id)[0] != service_id:
            raise SlotNotBookable("other_service")
        return self._hold(slot_id, intake)

    def _hold(self, slot_id: uuid.UUID, intake: PatientIntake) -> Hold:
        if intake.phone != self.phone:
            raise ValueError("a patient can only book for their own phone number")
        service_id, slot = self._bookable(slot_id)
        if not self.approval_required:
            ahead = [b.code for b in self._upcoming() if b.kind == "reservation"]
            if ahead:
                raise UpcomingAppointmentExists(ahead[0])
        pending = self._pending()
        if pending:
            raise OpenRequestExists(pending[0])
        if slot_id in self.taken_meanwhile or not self._is_free(service_id, slot):
            self._take(slot_id)
            raise SlotTaken()
        self.intakes.append(intake)
        self._take(slot_id)
        code = f"K{len(self.intakes):05d}"
        service = next(s for s in self.service_list if s.id == service_id)
        kind = "request" if self.approval_required else "reservation"
        self.add_booking(code, service, slot.start, kind, slot.slot_id, intake.name, intake.urgency)
        expires_at = min(self.now + timedelta(minutes=self.hold_minutes), slot.start)
        reservation_id = None if self.approval_required else uuid.uuid4()
        return Hold(uuid.uuid4(), code, expires_at, reservation_id, self.must_reconfirm)

    def bookings(self) -> list[Booking]:
        self._call("bookings")
        return self._upcoming()

    def withdraw(self) -> None:
        self._call("withdraw")
        pending = self._pending()
        if not pending:
            raise NotFound("")
        self._release(pending[0])

    def cancel(self, code: str) -> None:
        self._call("cancel", code)
        self._own(code)
        self._release(code)

    def reschedule(self, code: str, slot_id: uuid.UUID) -> Hold | None:
        """Only one's own confirmed appointment, not yet started, to a free slot of its service.

        With approval the new time is held as a request that names the appointment it
        replaces (one at a time), and the appointment stays where it is.
        """
        self._call("reschedule", code, slot_id)
        booking, old = self._booked.get(code, (None, None))
        if booking is None or old is None or booking.kind != "reservation":
            raise NotFound(code)
        if booking.start <= self.now:
            raise AlreadyStarted(code)
        service_id, slot = self._bookable(slot_id)
        if slot_id == old.slot_id:
            raise SlotNotBookable("same_slot")
        if service_id != booking.service_id:
            raise SlotNotBookable("other_service")
        if self.approval_required:
            return self._ask_to_move(booking, service_id, slot)
        # The old place is given back first: a move may overlap the old time.
        if not self._is_free(service_id, slot, giving_back=old.slot_id):
            raise SlotTaken()
        self._take(slot_id)
        self._release(code)
        self._booked[code] = (replace(booking, start=slot.start), slot)
        return None

    def _ask_to_move(self, booking: Booking, service_id: uuid.UUID, slot: SlotOption) -> Hold:
        asked = [b.code for b, _ in self._booked.values() if b.replaces == booking.code]
        if asked:
            raise MovePending(asked[0])
        if slot.slot_id in self.taken_meanwhile or not self._is_free(service_id, slot):
            raise SlotTaken()
        self._take(slot.slot_id)
        code = f"M{len(self._booked):05d}"
        service = next(s for s in self.service_list if s.id == service_id)
        self.add_booking(
            code, service, slot.start, "request", slot.slot_id, booking.patient_name,
            replaces=booking.code,
        )  # fmt: skip
        expires_at = min(self.now + timedelta(minutes=self.hold_minutes), slot.start)
        return Hold(uuid.uuid4(), code, expires_at)

    def confirm_attendance(self, code: str) -> None:
        self._call("confirm_attendance", code)
        self._own(code)

    def join_waitlist(
        self,
        service_id: uuid.UUID,
        first_day: date,
        last_day: date,
        day_part: str,
        intake: PatientIntake,
    ) -> None:
        self._call("join_waitlist", service_id, first_day, last_day, day_part)
        if intake.phone != self.phone:
            raise ValueError("a patient can only join the list for their own phone number")
        self.waiting[service_id] = (first_day, last_day, day_part, intake)

    def accept_offer(self, offer_id: uuid.UUID) -> Hold:
        """The normal hold with the answers given on joining; gone if not open or taken."""
        self._call("accept_offer", offer_id)
        if offer_id not in self.offers:
            raise OfferGone(offer_id)
        service_id, slot_id = self.offers.pop(offer_id)
        try:
            return self._hold(slot_id, self.waiting[service_id][3])
        except SlotTaken as taken:
            raise OfferGone(offer_id) from taken

    def decline_offer(self, offer_id: uuid.UUID) -> None:
        self._call("decline_offer", offer_id)
        if self.offers.pop(offer_id, None) is None:
            raise OfferGone(offer_id)

    def leave_waitlist(self) -> int:
        self._call("leave_waitlist")
        left = len(self.waiting)
        self.waiting.clear()
        self.offers.clear()
        return left

    def hand_off(self) -> None:
        self._call("hand_off")
        self.handoffs += 1
        self._tell_doctor("doctor_handoff", {"timezone": self.practice.timezone})

    def forward_to_practice(self, text: str, urgent: bool) -> None:
        self._call("forward_to_practice", text, urgent)
        self.forwarded.append((text, urgent))
        self._tell_doctor("doctor_patient_message", {"body": text, "urgent": urgent})

    def my_data(self) -> HeldData:
        """The contact's details and every booking of this phone, with the answers given."""
        self._call("my_data")
        self.rights.append(("access", True))
        stored = self.stored
        bookings = tuple(
            self._held(booking) for booking in sorted(self.booked(), key=lambda b: b.start)
        )
        if stored is None:
            return HeldData(None, None, None, self.language, bookings)
        return HeldData(stored.name, stored.age, stored.gender, self.language, bookings)

    def correct_identity(
        self, name: str | None = None, age: int | None = None, gender: str | None = None
    ) -> None:
        self._call("correct_identity", name, age, gender)
        stored = self.stored or StoredPatient("", None, None)
        self.stored = replace(
            stored,
            name=name if name is not None else stored.name,
            age=age if age is not None else stored.age,
            gender=gender if gender is not None else stored.gender,
        )
        self.rights.append(("correction", True))

    def withdraw_consent(self, text_version: str) -> None:
        self._call("withdraw_consent", text_version)
        self.consented = False
        self.waiting.clear()
        self.rights.append(("withdrawal", True))

    def erase_my_data(self, text_version: str) -> ErasureDone:
        """Open in the register until the job erases; one attended visit kept 5 years
        (Mexico's NOM-004) from 2026-11-20, the fake's fixed past visit."""
        self._call("erase_my_data", text_version)
        cancelled = tuple(booking.code for booking in self._upcoming())
        self.consented = False
        self.waiting.clear()
        self.rights.append(("erasure", False))
        return ErasureDone(cancelled, 2, 14, 1, date(2031, 11, 20))

    # Helpers

    def _held(self, booking: Booking) -> HeldBooking:
        number = booking.code[1:]
        intake = self.intakes[int(number) - 1] if number.isdigit() else None
        if intake is None:
            return HeldBooking(booking.code, booking.service, booking.start, booking.status)
        return HeldBooking(
            booking.code, booking.service, booking.start, booking.status,
            intake.chief_complaint, intake.symptoms, intake.medical_history,
            intake.current_medications, intake.allergies,
        )  # fmt: skip

    def close_request(self, code: str) -> None:
        """The doctor rejects the waiting request `code` (or it lapses): its slot is free again."""
        booking, _ = self._booked[code]
        assert booking.kind == "request" and booking.service_id is not None
        self.closed[code] = (self.intakes[int(code[1:]) - 1], booking.service_id)
        self._release(code)

    def offer_place(self, service: ServiceOption, slot: SlotOption) -> uuid.UUID:
        """A place freed and offered to this waiting patient, as the waitlist's job does."""
        offer_id = uuid.uuid4()
        self.offers[offer_id] = (service.id, slot.slot_id)
        return offer_id

    def booked(self) -> list[Booking]:
        return [booking for booking, _ in self._booked.values()]

    def slot_at(self, service: ServiceOption, day: date, at: time) -> SlotOption:
        start = self._instant(day, at)
        return next(slot for slot in self.free[service.id] if slot.start == start)

    def _tell_doctor(self, purpose: str, facts: dict[str, object]) -> None:
        """What the real services queue for the doctor's WhatsApp, if the practice has one."""
        if not self.practice.doctor_phone:
            return
        name = self.stored.name if self.stored else ""
        self.told.append((purpose, {"patient_name": name, "phone": self.phone} | facts))

    def _call(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))
        refusal = self.refusals.pop(name, None)
        if refusal is not None:
            raise refusal

    def _upcoming(self) -> list[Booking]:
        upcoming = [b for b, _ in self._booked.values() if b.start > self.now]
        return sorted(upcoming, key=lambda b: (b.start, b.code))

    def _pending(self) -> list[str]:
        """The open request of a new booking (a move's request does not count)."""
        return [
            b.code for b, _ in self._booked.values() if b.kind == "request" and b.replaces is None
        ]

    def _own(self, code: str) -> Booking:
        """The patient's own upcoming booking `code`: a past one is not found, as in `bookings`."""
        for booking in self._upcoming():
            if booking.code == code:
                return booking
        raise NotFound(code)

    def _bookable(self, slot_id: uuid.UUID) -> tuple[uuid.UUID, SlotOption]:
        """The slot and its service if it may be booked now, whether or not it is free."""
        known = self._slots.get(slot_id)
        for service_id, slots in self.free.items():  # a slot a test put there by hand
            for slot in slots:
                if known is None and slot.slot_id == slot_id:
                    known = (service_id, slot)
        if known is None:
            raise SlotNotBookable("not_found")
        refusal = BookingWindow.of(self.practice).refusal(known[1].start, self.now)
        if refusal:
            raise SlotNotBookable(refusal)
        return known

    def _free(self, service_id: uuid.UUID) -> list[SlotOption]:
        taken = self._taken()  # once per call: the corpus asks about thousands of slots
        slots = [
            slot
            for slot in self.free.get(service_id, [])
            if self._is_free(service_id, slot, taken=taken, listed=True)
        ]
        return sorted(slots, key=lambda slot: slot.start)

    def _is_free(
        self,
        service_id: uuid.UUID,
        slot: SlotOption,
        giving_back: uuid.UUID | None = None,
        taken: dict[uuid.UUID, tuple[datetime, datetime]] | None = None,
        listed: bool = False,
    ) -> bool:
        """Free, bookable now, and the doctor is not busy with another slot meanwhile."""
        if not listed and all(s.slot_id != slot.slot_id for s in self.free.get(service_id, [])):
            return False
        if BookingWindow.of(self.practice).refusal(slot.start, self.now):
            return False
        start, end = self._span(service_id, slot.start)
        return not any(
            other != slot.slot_id and other != giving_back and busy_start < end and busy_end > start
            for other, (busy_start, busy_end) in (self._taken() if taken is None else taken).items()
        )

    def _taken(self) -> dict[uuid.UUID, tuple[datetime, datetime]]:
        """Slots someone holds (known ones no longer free, and booked ones): id -> span."""
        free = {slot.slot_id for slots in self.free.values() for slot in slots}
        taken = {
            slot_id: self._span(service_id, slot.start)
            for slot_id, (service_id, slot) in self._slots.items()
            if slot_id not in free
        }
        for booking, slot in self._booked.values():
            taken[slot.slot_id] = self._span(booking.service_id, slot.start)
        return taken

    def _span(self, service_id: uuid.UUID | None, start: datetime) -> tuple[datetime, datetime]:
        minutes = next((s.duration for s in self.service_list if s.id == service_id), 30)
        return start, start + timedelta(minutes=minutes)

    def _take(self, slot_id: uuid.UUID) -> None:
        for slots in self.free.values():
            slots[:] = [slot for slot in slots if slot.slot_id != slot_id]

    def _release(self, code: str) -> None:
        booking, slot = self._booked.pop(code)
        if booking.service_id in self.free:
            self.free[booking.service_id].append(slot)

    def _instant(self, day: date, at: time) -> datetime:
        zone = ZoneInfo(self.practice.timezone)
        return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)

    def _local_day(self, instant: datetime) -> date:
        return instant.astimezone(ZoneInfo(self.practice.timezone)).date()


@dataclass(frozen=True)
class Reply:
    """What the bot answered to one message, and how it reads in the chat's language."""

    said: list[Said]
    text: str

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.said]


class Patient:
    """A patient writing to the bot through a fake services; the clock moves with each message.

    Every answer is rendered in both languages (a missing key or placeholder fails
    the test), and the stored conversation must stay JSON and its state readable.
    """

    def __init__(self, services: FakePatientServices | None = None, language: str = "es") -> None:
        self.services = services or FakePatientServices.with_services(
            "Consulta general", "Ultrasonido"
        )
        self.chat = Chat(PatientState.NEW, {}, language, None, None)
        self.now = self.services.now

    @property
    def state(self) -> str:
        return self.chat.state

    def send(
        self,
        text: str = "",
        *,
        media: bool = False,
        wait: timedelta = MINUTE,
        choice: str | None = None,
    ) -> Reply:
        self.now += wait
        self.services.now = self.now
        said = answer_patient(self.chat, Incoming(text, media, choice), self.now, self.services)
        json.dumps(self.chat.data)
        assert self.chat.state in set(PatientState) and len(self.chat.state) <= 40
        for message in said:
            for language in ("es", "en"):
                shown = numbered_options(render(message, language))
                assert len(message.choices) in (0, shown), (message.key, language, shown)
                assert_tappable(message, language)
        rendered = {lang: "\n\n".join(render(s, lang) for s in said) for lang in ("es", "en")}
        return Reply(said, rendered[self.chat.language])

    def tap(self, reply: Reply, number: int) -> Reply:
        """Tap option `number` of the last message of `reply` that offers choices."""
        offered = [message for message in reply.said if message.choices][-1]
        lines = render(offered, self.chat.language).splitlines()
        title = [line for line in lines if line.startswith(f"{number}. ")][-1][len(f"{number}. ") :]
        return self.send(title, choice=offered.choices[number - 1].id)  # WhatsApp's Body: the title

    def say(self, *texts: str) -> Reply:
        """Send several messages; the reply to the last one."""
        replies = [self.send(text) for text in texts]
        return replies[-1]


def assert_tappable(said: Said, language: str) -> None:
    """Up to 10 choices go as a list or buttons that Twilio takes, in each language."""
    if not said.choices:
        return
    made = as_interactive(render(said, language), said.choices, text("choices.button", language))
    if len(said.choices) > LIST_MAX_ITEMS:
        assert made is None
        return
    assert made is not None, (said.key, language)
    kind, tappable = made
    assert [item.id for item in tappable.items] == [choice.id for choice in said.choices]
    assert_sendable(kind, tappable, language)


def numbered_options(text: str) -> int:
    """How many numbered options ("1. ...", "2. ...") the message ends its last list with."""
    numbers = [int(m.group(1)) for m in re.finditer(r"^(\d+)\. ", text, re.MULTILINE)]
    if 1 not in numbers:
        return 0
    run = numbers[len(numbers) - 1 - numbers[::-1].index(1) :]
    assert run == list(range(1, len(run) + 1)), run
    return len(run)


def render(said: Said, language: str) -> str:
    return text(said.key, language, **said.values)
