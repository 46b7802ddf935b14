"""What the conversation may ask of the practice: the services behind the flows.

A services object is bound to one practice, one phone number and one moment. The real services
(`app.conversation.services`) call the booking services inside the message's transaction;
unit tests use in-memory fakes. Refusals arrive as `app.booking.errors` exceptions.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal, Protocol

from app.booking.blocking import BlockReport
from app.booking.figures import Figures
from app.booking.intake import PatientIntake
from app.booking.queries import Booking, PendingRequest
from app.booking.requests import Hold
from app.practices.intake_settings import complete_intake
from app.practices.members import Member


@dataclass(frozen=True)
class PracticeDetails:
    """The practice as a message sees it: its `profile` row, read once per message."""

    id: uuid.UUID
    name: str  # the doctor's name, as patients know the practice
    doctor_phone: str | None
    language: str
    timezone: str
    emergency_phone: str | None
    cancellation_policy: str | None
    min_notice_minutes: int
    booking_horizon_days: int
    no_show_limit: int | None = None  # set: the practice has a no-show policy
    no_show_action: str = "approval"  # what it asks past the limit (`attendance.Consequence`)
    phone: str | None = None  # the practice's phone for calls, if on file
    address: str | None = None  # shown to patients with their appointment
    doctor_title: str | None = None  # "Dra.", "Dr.", ...; the name may already start with it
    doctor_gender: str = "x"  # 'f', 'm' or 'x' (neutral wording), for grammar
    show_prices: bool = False
    currency: str | None = None  # ISO 4217, the services' prices
    # Each intake question's setting ('required' / 'optional' / 'off'), always complete:
    # a stored value that leaves questions out is completed with the defaults.
    intake: Mapping[str, str] = field(default_factory=lambda: complete_intake(None), hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "intake", complete_intake(self.intake))

    @property
    def emergency_number(self) -> str:
        """What a patient with a red flag is told to call."""
        return self.emergency_phone or "911"


@dataclass(frozen=True)
class ServiceOption:
    id: uuid.UUID
    name: str
    duration: int
    price: Decimal | None


@dataclass(frozen=True)
class SlotOption:
    """A free time: the slot to book and when it starts (an instant; shown in local time)."""

    slot_id: uuid.UUID
    start: datetime


@dataclass(frozen=True)
class StoredPatient:
    """What a returning patient told us last time; only ever shown to the same phone.

    With `from_request` the answers are those of their last request at this practice,
    where a health answer of None means "none" (or not asked): it is offered as it is.
    Without it only the name, age and sex are known (the `contact` row).
    """

    name: str
    age: int | None
    gender: str | None
    history: str | None = None
    medications: str | None = None
    allergies: str | None = None
    contact: str | None = None  # 'whatsapp', 'phone' or 'email'
    email: str | None = None
    from_request: bool = False


@dataclass(frozen=True)
class HeldBooking:
    """One request or appointment of the patient's, with what they answered for it.

    The intake only as the patient gave it: never the doctor's notes.
    """

    code: str
    service: str
    start: datetime
    status: str  # the request's status, or the appointment's once approved
    reason: str | None = None
    symptoms: str | None = None
    history: str | None = None
    medications: str | None = None
    allergies: str | None = None


@dataclass(frozen=True)
class ErasureDone:
    """What an erasure cancelled, erased and keeps, as the patient is told."""

    cancelled: tuple[str, ...]  # codes of the appointments and requests cancelled first
    bookings: int  # requests whose answers are erased
    messages: int  # messages whose text is erased
    kept_visits: int  # attended visits whose record the law keeps
    kept_until: date | None  # when the last of those is erased; None: nothing kept


@dataclass(frozen=True)
class HeldData:
    """What the practice holds about the phone that asks (MIS DATOS), and only that phone."""

    name: str | None
    age: int | None
    gender: str | None
    language: str | None
    bookings: tuple[HeldBooking, ...] = ()


@dataclass(frozen=True)
class OpenRightsRequest:
    """A patient's data-rights request the practice has not answered yet (PENDIENTES)."""

    kind: str  # access, correction, withdrawal, erasure
    phone: str
    requested_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class PatientReply:
    """What became of a doctor's text for a patient (`RESPONDER`, or a reply to a relay).

    `outcome` is "sent" (queued from the practice number), "unknown_patient" (the
    number never wrote to this practice, or is the doctor's own) or "window_closed"
    (the patient last wrote more than 24 hours ago: WhatsApp carries no free text then).
    """

    outcome: Literal["sent", "unknown_patient", "window_closed"]
    patient_name: str | None = None
    last_wrote: datetime | None = None


class PatientServices(Protocol):
    """What the patient's flow may do, for the phone number that is writing."""

    @property
    def practice(self) -> PracticeDetails: ...
    @property
    def phone(self) -> str: ...

    def has_consented(self) -> bool: ...
    def record_consent(self, accepted: bool, text_version: str) -> None: ...
    def set_language(self, language: str) -> None: ...

    def services(self) -> list[ServiceOption]: ...
    def booking_closed(self) -> bool:
        """The practice's no-show policy takes no booking by chat from this phone now."""

    def free_days(self, service_id: uuid.UUID, limit: int) -> list[date]:
        """Local dates that still have a free time, soonest first."""

    def free_times(self, service_id: uuid.UUID, day: date) -> list[SlotOption]:
        """Free times on a local date, in time order."""

    def nearest_free(self, service_id: uuid.UUID, around: datetime, limit: int) -> list[SlotOption]:
        """The free times closest to `around` (for "that time was taken meanwhile")."""

    def stored_patient(self) -> StoredPatient | None: ...
    def remember_patient(self, patient: StoredPatient) -> None: ...

    def hold(self, slot_id: uuid.UUID, intake: PatientIntake) -> Hold: ...
    def calendar_link(self, hold: Hold) -> str | None:
        """Where the patient's calendar app gets the confirmed `hold`'s file; None: nowhere."""

    def rebook(self, code: str, slot_id: uuid.UUID) -> Hold:
        """Hold `slot_id` with the answers of the patient's own request `code`, nothing asked.

        Only a booking's request that the doctor rejected or let lapse: any other code is
        `NotFound`, a slot of another service `SlotNotBookable`; then as `hold` refuses.
        """

    def bookings(self) -> list[Booking]: ...
    def withdraw(self) -> None: ...
    def cancel(self, code: str) -> None: ...
    def reschedule(self, code: str, slot_id: uuid.UUID) -> Hold | None:
        """Move the appointment now (None), or, where the doctor approves bookings, ask them.

        Asking holds the new time as a request (the returned `Hold`) and the old
        appointment stands until the doctor answers; one move at a time (`MovePending`).
        """

    def confirm_attendance(self, code: str) -> None:
        """The patient answered the attendance question with "1": noted with its time, and
        the doctor's agenda shows it. Only a confirmed appointment not yet started."""

    def join_waitlist(
        self,
        service_id: uuid.UUID,
        first_day: date,
        last_day: date,
        day_part: str,
        intake: PatientIntake,
    ) -> None:
        """Put the patient on the practice's waitlist, their answers kept for the request."""

    def accept_offer(self, offer_id: uuid.UUID) -> Hold:
        """Take the freed place offered: the normal hold with the answers given on joining.

        `OfferGone` when someone else took it first or the offer lapsed; then as `hold`.
        """

    def decline_offer(self, offer_id: uuid.UUID) -> None:
        """Pass on the place offered and stay on the list (`OfferGone` if already closed)."""

    def leave_waitlist(self) -> int:
        """Leave the practice's waitlist; how many entries were left."""

    def hand_off(self) -> None:
        """Tell the doctor the patient wants a person; the bot stays quiet meanwhile."""

    def my_data(self) -> HeldData:
        """What the practice holds about this phone; noted as an access answered at once."""

    def correct_identity(
        self, name: str | None = None, age: int | None = None, gender: str | None = None
    ) -> None:
        """Correct the given details on file; noted as a correction answered at once."""

    def withdraw_consent(self, text_version: str) -> None:
        """Record the withdrawal (a declined consent), leave the waitlist (its offers would
        write again), and note it in the register, answered at once."""

    def erase_my_data(self, text_version: str) -> ErasureDone:
        """Cancel what is still to come, stop writing to the phone, and have everything
        about it erased, except the clinical record the law keeps (blocked meanwhile)."""

    def forward_to_practice(self, text: str, urgent: bool) -> None:
        """Pass on to the doctor what the patient wrote during a hand-off (urgent: red flag)."""


class DoctorServices(Protocol):
    """What the doctor's commands may do, for the practice whose doctor is writing."""

    @property
    def practice(self) -> PracticeDetails: ...

    def approve(self, code: str) -> Booking: ...
    def reject(self, code: str, reason: str | None) -> Booking: ...
    def pending(self) -> list[PendingRequest]: ...
    def agenda(self, day: date) -> list[Booking]: ...
    def cancel(self, code: str, reason: str | None) -> Booking: ...
    def complete(self, code: str) -> Booking: ...
    def no_show(self, code: str) -> Booking: ...
    def note(self, code: str, note_type: str, private: bool, text: str) -> None: ...
    def block(self, day: date, start: time | None, end: time | None) -> BlockReport: ...
    def unblock(self, day: date, start: time | None, end: time | None) -> int:
        """Lift the day's blocks (or the one of that range); how many times opened again."""

    def resume_bot(self, phone: str) -> bool:
        """End a hand-off: the bot answers that patient again. False if none was on."""

    def figures(self, since: datetime, until: datetime) -> Figures:
        """The practice's figures over [since, until), as `flask report` prints them."""

    def forgive(self, phone: str) -> int:
        """PERDONAR: the phone's no-shows so far stop counting; how many there were."""

    def phone_of(self, code: str) -> str:
        """The phone of the patient of this practice's request or appointment `code`."""

    def relayed_patient(self, message_sid: str) -> str | None:
        """The patient a message sent to the doctor passed on (WhatsApp's reply gesture).

        `message_sid` is the provider's id of our message; None when it is no relay
        of a patient (a new-request notice, another practice's message, unknown).
        """

    def reply_to_patient(self, phone: str, text: str) -> PatientReply:
        """Send the doctor's `text` to the patient `phone` from the practice number."""

    def open_rights_requests(self) -> list[OpenRightsRequest]:
        """The practice's data-rights requests not answered yet, the soonest due first."""

    def add_member(self, phone: str, name: str) -> Member:
        """EQUIPO: add a staff member, who may then sign in to the desk.

        Raises `app.practices.members.MemberRefused` with why not.
        """
