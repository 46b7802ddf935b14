"""Erasure: what a practice holds about a phone goes, except the clinical record it must keep.

The chat asks (`request_erasure`, in the patient's own transaction: it only counts,
records the request and owes the job); the job `erase_patient` then erases in one
transaction of its own, after the chat's last reply is logged, so that reply goes too.

- The record of each attended visit (the request's answers, the appointment, the
  doctor's notes) is kept as the law says (`deadlines.clinical_record_years`): it is
  moved, sealed whole, into `blocked_record`, which no use case reads, and the daily
  retention run erases it when its time ends.
- Requests and appointments stay as the agenda's history (times, services, statuses)
  without a name, a phone, answers, notes or a calendar link.
- The contact, the conversation and the waitlist answers are deleted.
- The consents, the rights register and the message log keep the phone only as a keyed
  pseudonym (HMAC), the same for every row of the patient: the register still shows
  what was asked and answered, and the log's per-person rows (one message in flight
  per recipient) keep working. Every message body becomes its length.
- Messages to the doctor or the staff that name the patient (their name, phone or a
  code of theirs) become their length too: they are opened and read here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, delete, func, literal, or_, select, update
from sqlalchemy.orm import Session

from app.background.after_commit import run_after_commit
from app.db import SessionSource
from app.models import (
    AppointmentNote,
    BlockedRecord,
    Consent,
    Contact,
    Conversation,
    MedicalService,
    MessageLog,
    Practice,
    Reservation,
    ReservationRequest,
    RightsRequest,
    TimeSlot,
    WaitlistEntry,
)
from app.models.booking import ReservationStatus
from app.models.messaging import IN_FLIGHT, NOT_PURGED, PURGED_PREFIX
from app.rights import register
from app.rights.deadlines import Kind, clinical_record_years, country_of
from app.sealed import plain_length

ERASED_NAME = "—"  # what the agenda shows where an erased patient's name was
ANSWERS = ("chief_complaint", "symptoms", "medical_history", "current_medications", "allergies")
MENTIONS_BATCH = 1000
# Messages still to be delivered (IN_FLIGHT) keep their text until they go: an erasure
# waits for the notices it caused, a minute at a time, a day at most (then their text is
# left to the retention purge).
RETRY = timedelta(minutes=1)
WAIT_FOR_DELIVERY = timedelta(days=1)


@dataclass(frozen=True)
class ErasurePlan:
    """What an erasure removes and keeps, as the patient is told when they ask."""

    bookings: int  # requests (and their appointments) whose personal data go
    messages: int
    kept_visits: int
    kept_until: datetime | None  # the last blocked record's end; None: nothing is kept


def pseudonym(key: str | bytes, profile_id: uuid.UUID, phone: str) -> str:
    """The keyed hash an erased phone becomes: 20 characters, the same for every row."""
    secret = key.encode() if isinstance(key, str) else key
    digest = hmac.new(secret, f"{profile_id}:{phone}".encode(), hashlib.sha256).digest()
    return "h:" + base64.b32encode(digest).decode().lower()[:18]


def request_erasure(session: Session, practice: Practice, phone: str, now: datetime) -> ErasurePlan:
    """Record the request, owe the job that carries it out, and say what it will do."""
    row = register.record(session, practice, phone, Kind.ERASURE, now)
    run_after_commit(session, "erase_patient", row.id)
    return plan(session, practice, phone, now)


def plan(session: Session, practice: Practice, phone: str, now: datetime) -> ErasurePlan:
    """What erasing `phone` at `practice` would remove and keep."""
    requests = session.scalar(
        select(func.count())
        .select_from(ReservationRequest)
        .where(
            ReservationRequest.profile_id == practice.id,
            ReservationRequest.patient_phone == phone,
        )
    )
    messages = session.scalar(
        select(func.count())
        .select_from(MessageLog)
        .where(MessageLog.profile_id == practice.id, MessageLog.phone == phone)
    )
    ends = [
        kept_until(practice, start) for start in _visit_starts(session, practice.id, phone, now)
    ]
    return ErasurePlan(requests or 0, messages or 0, len(ends), max(ends, default=None))


def kept_until(practice: Practice, visit: datetime) -> datetime:
    """When the record of a visit at `visit` may be erased: so many years later."""
    country = country_of(practice.whatsapp_number, practice.timezone)
    years = clinical_record_years(country, practice.clinical_record_years)
    try:
        return visit.replace(year=visit.year + years)
    except ValueError:  # 29 February, into a year without one
        return visit.replace(year=visit.year + years, day=28)


def erase(sessions: SessionSource, now: datetime, key: str | bytes, request_id: uuid.UUID) -> str:
    """Carry out an erasure request: "erased", "waiting" (for a notice to be delivered
    first), or "done" if it already was (safe to repeat)."""
    with sessions.begin() as session:
        asked = session.get(RightsRequest, request_id, with_for_update=True)
        if asked is None or asked.kind != Kind.ERASURE or asked.answered_at is not None:
            return "done"
        practice = session.get_one(Practice, asked.profile_id)
        phone, hashed = asked.phone, pseudonym(key, practice.id, asked.phone)
        mentions = _mentions_of(session, practice.id, phone)
        if any(m.in_flight for m in mentions) and now - asked.requested_at < WAIT_FOR_DELIVERY:
            # A notice naming them (the cancellation of their appointment, just now) is
            # still to be delivered: its text must stay until it goes. Try again shortly.
            run_after_commit(session, "erase_patient", asked.id, at=now + RETRY)
            return "waiting"
        mentions = [m for m in mentions if not m.in_flight]
        kept = _block_visits(session, practice, phone, now)
        _forget_bookings(session, practice.id, phone, hashed)
        _forget_person(session, practice.id, phone, hashed)
        _forget_messages(session, practice.id, phone, hashed, [m.message_id for m in mentions])
        asked.answered_at = now
        asked.how_answered = (
            f"erased; {len(kept)} visits blocked until {max(kept).date().isoformat()}"
            if kept
            else "erased"
        )
    return "erased"


def finish_open_erasures(
    sessions: SessionSource, now: datetime, key: str | bytes, older_than: datetime
) -> int:
    """Carry out erasures whose job never ran (the queue was down): the daily run's duty."""
    with sessions() as session:
        open_ids = session.scalars(
            select(RightsRequest.id).where(
                RightsRequest.kind == Kind.ERASURE,
                RightsRequest.answered_at.is_(None),
                RightsRequest.requested_at < older_than,
            )
        ).all()
    return sum(erase(sessions, now, key, request_id) == "erased" for request_id in open_ids)


def erase_ended_records(sessions: SessionSource, now: datetime) -> int:
    """Erase the blocked records whose time has ended; how many."""
    with sessions.begin() as session:
        gone = session.execute(delete(BlockedRecord).where(BlockedRecord.blocked_until <= now))
        return gone.rowcount or 0


# --- the steps of `erase` ------------------------------------------------------------------


def _visit_starts(
    session: Session, profile_id: uuid.UUID, phone: str, now: datetime
) -> list[datetime]:
    return list(session.scalars(_visits(profile_id, phone, now, TimeSlot.start_time)))


def _visits(profile_id: uuid.UUID, phone: str, now: datetime, *columns: Any) -> Any:
    """The attended visits: completed, or confirmed and past (the doctor did not mark them)."""
    return (
        select(*columns)
        .select_from(Reservation)
        .join(TimeSlot, TimeSlot.id == Reservation.slot_id)
        .where(
            Reservation.profile_id == profile_id,
            Reservation.patient_phone == phone,
            or_(
                Reservation.status == ReservationStatus.COMPLETED,
                and_(
                    Reservation.status == ReservationStatus.CONFIRMED,
                    TimeSlot.start_time <= now,
                ),
            ),
        )
        .order_by(TimeSlot.start_time)
    )


def _block_visits(
    session: Session, practice: Practice, phone: str, now: datetime
) -> list[datetime]:
    """Move each attended visit's record, sealed whole, into `blocked_record`; their ends."""
    query = _visits(
        practice.id, phone, now, Reservation, TimeSlot.start_time, MedicalService.name
    ).join(MedicalService, MedicalService.id == Reservation.service_id)
    ends = []
    for reservation, start, service in session.execute(query).all():
        asked = (
            session.get(ReservationRequest, reservation.request_id)
            if reservation.request_id
            else None
        )
        notes = session.scalars(
            select(AppointmentNote)
            .where(AppointmentNote.reservation_id == reservation.id)
            .order_by(AppointmentNote.created_at)
        ).all()
        record = {
            "code": reservation.code,
            "patient": {
                "name": reservation.patient_name,
                "phone": phone,
                "age": asked.patient_age if asked else None,
                "sex": asked.patient_gender if asked else None,
            },
            "service": service,
            "start": start.isoformat(),
            "status": reservation.status,
            "answers": {field: getattr(asked, field) for field in ANSWERS} if asked else {},
            "appointment_notes": reservation.notes,
            "notes": [
                {
                    "type": note.note_type,
                    "content": note.content,
                    "private": note.is_private,
                    "written": note.created_at.isoformat() if note.created_at else None,
                }
                for note in notes
            ],
        }
        end = kept_until(practice, start)
        session.add(
            BlockedRecord(
                profile_id=practice.id,
                blocked_until=end,
                record=json.dumps(record, ensure_ascii=False),
                blocked_at=now,
            )
        )
        ends.append(end)
    return ends


def _forget_bookings(session: Session, profile_id: uuid.UUID, phone: str, hashed: str) -> None:
    """Requests and appointments keep their place in the agenda's history, nobody's data."""
    request = ReservationRequest
    session.execute(
        update(request)
        .where(request.profile_id == profile_id, request.patient_phone == phone)
        .values(
            patient_name=ERASED_NAME,
            patient_phone=hashed,
            patient_email=None,
            patient_age=None,
            patient_gender=None,
            rejection_reason=None,
            **dict.fromkeys(ANSWERS),
        )
        .execution_options(synchronize_session=False)
    )
    mine = (Reservation.profile_id == profile_id, Reservation.patient_phone == phone)
    session.execute(
        delete(AppointmentNote)
        .where(AppointmentNote.reservation_id.in_(select(Reservation.id).where(*mine)))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Reservation)
        .where(*mine)
        .values(
            patient_name=ERASED_NAME,
            patient_phone=hashed,
            patient_email=None,
            notes=None,
            calendar_token=None,
        )
        .execution_options(synchronize_session=False)
    )


def _forget_person(session: Session, profile_id: uuid.UUID, phone: str, hashed: str) -> None:
    """The contact and conversation go; consents, the register and the waitlist keep a pseudonym."""
    for model in (Contact, Conversation):
        session.execute(
            delete(model)
            .where(model.profile_id == profile_id, model.phone == phone)
            .execution_options(synchronize_session=False)
        )
    for model, values in (
        (Consent, {}),
        (RightsRequest, {}),
        (WaitlistEntry, {"intake": None}),
    ):
        session.execute(
            update(model)
            .where(model.profile_id == profile_id, model.phone == phone)
            .values(phone=hashed, **values)
            .execution_options(synchronize_session=False)
        )


def _forget_messages(
    session: Session, profile_id: uuid.UUID, phone: str, hashed: str, mentions: list[uuid.UUID]
) -> None:
    """The patient's messages and those naming them keep their length; theirs, a pseudonym."""
    purged = literal(PURGED_PREFIX) + cast(plain_length(MessageLog.body), String) + literal("]")
    theirs = and_(MessageLog.profile_id == profile_id, MessageLog.phone == phone)
    # Not yet sent to them (a reminder queued before): it would go to no one now.
    session.execute(
        delete(MessageLog)
        .where(theirs, MessageLog.status == "queued")
        .execution_options(synchronize_session=False)
    )
    for chunk in _chunks(mentions, MENTIONS_BATCH):
        session.execute(
            update(MessageLog)
            .where(MessageLog.id.in_(chunk), NOT_PURGED)
            .values(body=purged, variables=None)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(MessageLog)
        .where(theirs, NOT_PURGED)
        .values(body=purged)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(MessageLog)
        .where(theirs)
        .values(phone=hashed, variables=None)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Mention:
    message_id: uuid.UUID
    in_flight: bool  # still to be delivered: its text is needed until then


def _mentions_of(session: Session, profile_id: uuid.UUID, phone: str) -> list[Mention]:
    """The practice's other messages that name the patient, found by opening each one.

    They cannot be found in SQL (their bodies are sealed); an erasure is rare, and a
    practice's messages still kept are a few thousand. A false match (another patient
    of the same name) loses only that message's text, which the agenda does not need.
    """
    names = {
        name.strip()
        for name in _names_of(session, profile_id, phone)
        if name and len(name.strip()) >= 3 and name != ERASED_NAME
    }
    words = [*names, *_codes_of(session, profile_id, phone)]
    # Whole words only: "Ana" names Ana, not "mañana".
    named = re.compile("|".join(rf"\b{re.escape(word)}\b" for word in words), re.IGNORECASE)
    national = re.sub(r"\D", "", phone)[-10:]  # "+52 33 1234 5678" and "3312345678" alike

    def names_them(text: str | None) -> bool:
        if not text:
            return False
        if words and named.search(text):
            return True
        return len(national) >= 7 and national in re.sub(r"\D", "", text)

    query = (
        select(MessageLog.id, MessageLog.status, MessageLog.body, MessageLog.variables)
        .where(MessageLog.profile_id == profile_id, MessageLog.phone != phone, NOT_PURGED)
        .execution_options(yield_per=MENTIONS_BATCH)
    )
    return [
        Mention(row.id, row.status in IN_FLIGHT)
        for row in session.execute(query)
        if names_them(row.body) or names_them(json.dumps(row.variables, ensure_ascii=False))
    ]


def _names_of(session: Session, profile_id: uuid.UUID, phone: str) -> Iterable[str]:
    for model, column in (
        (Contact, Contact.patient_name),
        (ReservationRequest, ReservationRequest.patient_name),
        (Reservation, Reservation.patient_name),
    ):
        phone_column = model.phone if model is Contact else model.patient_phone
        yield from session.scalars(
            select(column).where(model.profile_id == profile_id, phone_column == phone).distinct()
        )


def _codes_of(session: Session, profile_id: uuid.UUID, phone: str) -> Iterable[str]:
    for model in (ReservationRequest, Reservation):
        yield from session.scalars(
            select(model.code).where(
                model.profile_id == profile_id,
                model.patient_phone == phone,
                model.code.is_not(None),
            )
        )


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
