"""The transactional outbox: messages a booking transition owes, written in its transaction.

A `Notification` is the fact "tell this person this", with what the sentence needs; the
body is written by an injected `render` (the text catalogues), so this layer knows
no wording. Each notification has a `dedupe_key` naming the event, and the outbox keeps
one message per key: a transition retried or raced can never queue it twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app import metrics
from app.background.after_commit import run_after_commit
from app.db import among, insert_ignoring_conflicts, rows_by_id
from app.models import (
    Consent,
    Contact,
    MedicalService,
    MessageLog,
    MessageStatus,
    Practice,
    TimeSlot,
)
from app.models.booking import Reservation, ReservationRequest


@dataclass(frozen=True)
class Notification:
    """One message to queue: purpose, recipient, language and the facts to write it from."""

    profile_id: uuid.UUID
    purpose: str
    phone: str
    language: str
    dedupe_key: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """A notice's body, with the buttons it offers as delivery keeps them (`to_json`)."""

    body: str
    interactive: Mapping[str, object] | None = None


# What a notice says: its body, or its body and buttons.
Render = Callable[[Notification], "str | Written"]

# The columns of a request that its about and facts read: enough to expire it
# from a row, without loading the whole object.
REQUEST_COLUMNS = (
    ReservationRequest.id,
    ReservationRequest.profile_id,
    ReservationRequest.slot_id,
    ReservationRequest.service_id,
    ReservationRequest.code,
    ReservationRequest.patient_name,
    ReservationRequest.patient_phone,
    ReservationRequest.patient_age,
    ReservationRequest.chief_complaint,
    ReservationRequest.urgency_level,
    ReservationRequest.expires_at,
    ReservationRequest.replaces_reservation_id,
)
Booking = ReservationRequest | Reservation | Row[Any]
# What the doctor reads of a request's intake. A patient's own notifications never carry
# it: their sentences do not use it, and an outbox row should hold no more health
# data than its message needs.
CLINICAL_FACTS = frozenset({"age", "reason", "urgency"})
DELIVERY_BATCH = 100  # messages per delivery job when a transaction queues many
# Purposes of the notices that go to the practice (the doctor, the staff), not a patient.
STAFF_PURPOSES = ("doctor_", "desk_")


class Slot(Protocol):
    """What a notification tells of a slot: a `TimeSlot`, or a row with its start."""

    @property
    def start_time(self) -> datetime: ...


@dataclass(frozen=True)
class NotificationContext:
    """Everything a booking notification may mention, loaded once per transition."""

    practice: Practice
    service: MedicalService
    slot: Slot
    patient_language: str

    def facts(self, booking: Booking, **extra: Any) -> dict[str, Any]:
        """The facts of `booking` (a request, a row of its `REQUEST_COLUMNS`, a reservation)."""
        request = None if isinstance(booking, Reservation) else booking
        facts: dict[str, Any] = {
            "code": booking.code,
            "patient_name": booking.patient_name,
            "service": self.service.name,
            "doctor": self.practice.name,
            "start": self.slot.start_time.isoformat(),
            "timezone": self.practice.timezone,
        } | self._shown_to_patients()
        if request is not None:
            facts |= {
                "age": request.patient_age,
                "reason": request.chief_complaint,
                "urgency": request.urgency_level,
                "deadline": request.expires_at.isoformat(),
            }
        return facts | extra

    def _shown_to_patients(self) -> dict[str, Any]:
        """How the doctor is named, and what a confirmation adds: address, price, policy."""
        practice, price = self.practice, self.service.price
        shown = {
            "doctor_title": practice.doctor_title,
            "doctor_gender": practice.doctor_gender,
            "address": practice.address,
            "policy": practice.cancellation_policy,
        }
        if practice.show_prices and practice.currency and price is not None:
            shown |= {"price": str(price), "currency": practice.currency}
        return {name: value for name, value in shown.items() if value is not None}

    def to_doctor(self, purpose: str, key: str, facts: dict[str, Any]) -> Notification | None:
        """A notification to the doctor's own WhatsApp, if the practice has one on file."""
        if not self.practice.doctor_phone:
            return None
        practice = self.practice
        return Notification(
            practice.id, purpose, practice.doctor_phone, practice.language, key, facts
        )

    def to_patient(self, purpose: str, phone: str, key: str, facts: dict[str, Any]) -> Notification:
        """A notification to the patient, in the language they chose, without the clinical facts."""
        kept = {name: value for name, value in facts.items() if name not in CLINICAL_FACTS}
        return Notification(self.practice.id, purpose, phone, self.patient_language, key, kept)


def load_notification_context(
    session: Session, slot_id: uuid.UUID, patient_phone: str
) -> NotificationContext:
    """Load the practice, service and slot of a booking, and the patient's language."""
    slot = session.get_one(TimeSlot, slot_id)
    practice = session.get_one(Practice, slot.profile_id)
    service = session.get_one(MedicalService, slot.service_id)
    return notification_context_for(session, practice, service, slot, patient_phone)


def notification_context_for(
    session: Session,
    practice: Practice,
    service: MedicalService,
    slot: Slot,
    patient_phone: str,
    patient_language: str | None = None,
) -> NotificationContext:
    """The about of a booking whose practice, service and slot (and maybe the patient's
    language) the caller holds already."""
    if patient_language is not None:
        return NotificationContext(practice, service, slot, patient_language)
    language = session.scalar(
        select(Contact.language).where(
            Contact.profile_id == practice.id, Contact.phone == patient_phone
        )
    )
    return NotificationContext(practice, service, slot, language or practice.language)


def load_notification_contexts(
    session: Session, bookings: Sequence[Booking], slots: Mapping[uuid.UUID, Slot] | None = None
) -> dict[uuid.UUID, NotificationContext]:
    """The about of each booking, by booking id, in four queries whatever their number.

    Slots (one per booking, thousands in a sweep) come as rows of their start only,
    or from `slots` when the caller has just read them (by slot id).
    """
    if slots is None:
        slots = {
            row.id: row
            for row in session.execute(
                select(TimeSlot.id, TimeSlot.start_time).where(
                    among(session, TimeSlot.id, {b.slot_id for b in bookings})
                )
            )
        }
    services = rows_by_id(session, MedicalService, {b.service_id for b in bookings})
    profiles = rows_by_id(session, Practice, {b.profile_id for b in bookings})
    languages = {
        (profile_id, phone): language
        for profile_id, phone, language in session.execute(
            select(Contact.profile_id, Contact.phone, Contact.language).where(
                among(session, Contact.profile_id, profiles),
                among(session, Contact.phone, {b.patient_phone for b in bookings}),
            )
        )
    }
    contexts = {}
    for booking in bookings:
        practice = profiles[booking.profile_id]
        language = languages.get((booking.profile_id, booking.patient_phone))
        contexts[booking.id] = NotificationContext(
            practice,
            services[booking.service_id],
            slots[booking.slot_id],
            language or practice.language,
        )
    return contexts


def queue_notifications(
    session: Session, notifications: Iterable[Notification | None], render: Render, now: datetime
) -> list[uuid.UUID]:
    """Queue `notifications` as outbound messages (each key once) and ask for their delivery.

    Returns the ids of the messages queued by this call: none for a key already queued.
    A patient who withdrew their consent is written to no more (MIS DATOS): what would
    go to them is dropped here, where every notice, reminder and offer passes.
    """
    listed = [notification for notification in notifications if notification is not None]
    withdrawn = withdrawn_consents(
        session, {(n.profile_id, n.phone) for n in listed if to_patient(n.purpose)}
    )
    rows = []
    for notification in listed:
        if (notification.profile_id, notification.phone) in withdrawn:
            continue
        written = render(notification)
        if isinstance(written, str):
            written = Written(written)
        variables = dict(notification.facts)
        if written.interactive:
            variables["interactive"] = written.interactive
        rows.append(
            {
                "id": uuid.uuid4(),
                "profile_id": notification.profile_id,
                "direction": "out",
                "phone": notification.phone,
                "body": written.body,
                "status": MessageStatus.QUEUED,
                "purpose": notification.purpose,
                "dedupe_key": notification.dedupe_key,
                "variables": variables,
                "next_attempt_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
    if not rows:
        return []
    ids = insert_ignoring_conflicts(session, MessageLog.__table__, rows, ["dedupe_key"])
    _ask_delivery(session, ids)
    return ids


def to_patient(purpose: str) -> bool:
    """Whether a notice of this purpose goes to a patient (not the doctor or the staff)."""
    return not purpose.startswith(STAFF_PURPOSES)


def withdrawn_consents(
    session: Session, pairs: set[tuple[uuid.UUID, str]]
) -> set[tuple[uuid.UUID, str]]:
    """Which (practice, phone) pairs last answered the privacy notice with a withdrawal.

    A phone that never consented has no notices queued for it, so only a "no" that came
    after a "yes" counts; one query for the lot, on the consent index.
    """
    if not pairs:
        return set()
    rows = session.execute(
        select(Consent.profile_id, Consent.phone, Consent.accepted)
        .where(
            among(session, Consent.profile_id, {profile for profile, _ in pairs}),
            among(session, Consent.phone, {phone for _, phone in pairs}),
        )
        .order_by(Consent.recorded_at)
    )
    latest = {(row.profile_id, row.phone): row.accepted for row in rows}
    return {pair for pair in pairs if latest.get(pair) is False}


def queue_replies(
    session: Session,
    profile_id: uuid.UUID,
    phone: str,
    bodies: Sequence[str],
    now: datetime,
    dedupe_key: str,
    interactives: Sequence[Mapping[str, object] | None] = (),
) -> None:
    """Queue the bot's answer to a message that is not answered in TwiML, in the order
    it was said (one microsecond apart).

    A message kept while the database was down is processed later; an answer with a
    list or buttons (`interactives`, by reply) needs the REST API.
    """
    shown = list(interactives) or [None] * len(bodies)
    rows = [
        {
            "id": uuid.uuid4(),
            "profile_id": profile_id,
            "direction": "out",
            "phone": phone,
            "body": body,
            "status": MessageStatus.QUEUED,
            "purpose": "reply",
            "variables": {"interactive": tapped} if tapped else None,
            "dedupe_key": f"{dedupe_key}:{n}",
            "next_attempt_at": now,
            "created_at": now + timedelta(microseconds=n),
            "updated_at": now,
        }
        for n, (body, tapped) in enumerate(zip(bodies, shown, strict=True), start=1)
    ]
    if rows:
        _ask_delivery(
            session,
            insert_ignoring_conflicts(session, MessageLog.__table__, rows, ["dedupe_key"]),
        )


def _ask_delivery(session: Session, ids: Sequence[uuid.UUID]) -> None:
    """Messages `ids` were just queued: count them, and ask for their delivery after commit."""
    if not ids:
        return
    metrics.outbound_after_commit(session, "queued", len(ids))
    if len(ids) == 1:
        run_after_commit(session, "deliver_message", ids[0])
        return
    # Many at once (a sweep, the reminders): a delivery job per batch, not per message.
    for start in range(0, len(ids), DELIVERY_BATCH):
        run_after_commit(session, "deliver_messages", *ids[start : start + DELIVERY_BATCH])
