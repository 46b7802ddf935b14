"""An incoming WhatsApp message, processed exactly once, one at a time per conversation.

One transaction per message: the conversation row is locked (messages of one
phone number are answered in order), the message is logged (its Twilio
MessageSid is unique, so a retried or duplicated webhook changes nothing more),
the doctor's command or the patient's flow runs, and every reply is logged
before commit. The lock comes first because it tells whether the patient has
consented: before that, what they write is logged without its words.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.notices import Render
from app.db import dialect_insert, insert_ignoring_conflicts
from app.models import Contact, Conversation, MessageLog, MessageStatus, Profile
from bot_flows import texts
from bot_flows.desks import DoctorDesk, PatientDesk
from bot_flows.doctor import answer_doctor
from bot_flows.engine import Said
from bot_flows.patient import Chat, Incoming, PatientState, answer_patient, says_nothing_personal
from bot_flows.patient_states import BEFORE_CONSENT

FLOOD_WINDOW = timedelta(minutes=1)
# What `message_log.body` holds for a patient's message before consent (hard guarantee
# 5): the row stays, for the MessageSid and the flood limit, but not the words.
UNCONSENTED_BODY = "[sin consentimiento: {length} caracteres]"


class UnknownPractice(LookupError):
    """No practice answers on the WhatsApp number the message was sent to."""


@dataclass(frozen=True)
class InboundMessage:
    """A WhatsApp message as Twilio delivered it, already cleaned and capped."""

    sid: str
    sender: str
    practice_number: str
    body: str
    has_media: bool = False
    button_payload: str | None = None


@dataclass(frozen=True)
class InboxSettings:
    render: Render
    hold_minutes: int = 30
    flood_limit: int = 20


@dataclass
class Answer:
    """What to say back (as TwiML); empty for a duplicate or a silenced message."""

    replies: list[str] = field(default_factory=list)
    duplicate: bool = False


def receive(
    sessions: sessionmaker[Session], message: InboundMessage, now: datetime, settings: InboxSettings
) -> Answer:
    """Process `message` once; raises `UnknownPractice` for a number no practice uses."""
    with sessions.begin() as session:
        profile = session.scalar(
            select(Profile).where(Profile.whatsapp_number == message.practice_number)
        )
        if profile is None:
            raise UnknownPractice(message.practice_number)
        conversation = _lock_conversation(session, profile, message.sender, now)
        doctor = message.sender == profile.doctor_phone
        body = message.body if doctor else _patient_body(message.body, conversation.state)
        if not _log_inbound(session, profile, message, body, now):
            return Answer(duplicate=True)
        contact = _touch_contact(session, profile, message.sender, now)
        language = contact.language or profile.language
        # The doctor may well tap Aprobar twenty times in a minute; patients may not.
        if not doctor and _flooded(conversation, now, settings.flood_limit):
            said = [Said("flood")] if conversation.flood_count == settings.flood_limit + 1 else []
        elif doctor:
            language = profile.language
            desk = DoctorDesk(session, profile, now, settings.render, settings.hold_minutes)
            said = answer_doctor(message.body, message.button_payload, now, desk)
        else:
            patient_desk = PatientDesk(
                session, profile, contact, now, settings.render, settings.hold_minutes, message.sid
            )
            chat = Chat(
                state=conversation.state,
                data=dict(conversation.data),
                language=language,
                last_activity=conversation.updated_at,
                handoff_until=conversation.handoff_until,
            )
            said = answer_patient(
                chat, Incoming(message.body, message.has_media), now, patient_desk
            )
            _store_chat(conversation, contact, chat)
            language = chat.language
        conversation.updated_at = now
        replies = [texts.text(s.key, language, **s.values) for s in said]
        _log_replies(session, profile, message.sender, replies, now)
        return Answer(replies)


def _patient_body(body: str, state: str) -> str:
    """A patient's message as logged: before consent only fixed words keep their text."""
    if not body or state not in BEFORE_CONSENT or says_nothing_personal(body):
        return body
    return UNCONSENTED_BODY.format(length=len(body))


def _log_inbound(
    session: Session, profile: Profile, message: InboundMessage, body: str, now: datetime
) -> bool:
    """Log the message with `body`; False if its MessageSid was seen before (a duplicate)."""
    row = {
        "id": uuid.uuid4(),
        "profile_id": profile.id,
        "direction": "in",
        "phone": message.sender,
        "body": body,
        "status": MessageStatus.RECEIVED,
        "purpose": "media" if message.has_media and not message.body else None,
        "provider_sid": message.sid,
        "created_at": now,
        "updated_at": now,
    }
    return bool(insert_ignoring_conflicts(session, MessageLog.__table__, [row], ["provider_sid"]))


def _touch_contact(session: Session, profile: Profile, phone: str, now: datetime) -> Contact:
    """The sender's contact row, created or stamped with this message: one round trip."""
    insert = dialect_insert(session)
    statement = insert(Contact).values(
        id=uuid.uuid4(),
        profile_id=profile.id,
        phone=phone,
        last_inbound_at=now,
        created_at=now,
        updated_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[Contact.profile_id, Contact.phone],
        set_={"last_inbound_at": now, "updated_at": now},
    )
    return session.scalars(
        statement.returning(Contact), execution_options={"populate_existing": True}
    ).one()


def _lock_conversation(
    session: Session, profile: Profile, phone: str, now: datetime
) -> Conversation:
    """The sender's conversation, created if new, locked until commit: one round trip.

    ON CONFLICT DO UPDATE locks the row it meets as SELECT ... FOR UPDATE would;
    the update writes back what is there, so `updated_at` still says when the
    conversation last moved (its 24-hour reset).
    """
    insert = dialect_insert(session)
    table = Conversation.__table__
    statement = insert(Conversation).values(
        id=uuid.uuid4(),
        profile_id=profile.id,
        phone=phone,
        state=PatientState.NEW,
        data={},
        flood_count=0,
        created_at=now,
        updated_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[Conversation.profile_id, Conversation.phone],
        set_={"updated_at": table.c.updated_at},
    )
    return session.scalars(
        statement.returning(Conversation), execution_options={"populate_existing": True}
    ).one()


def _flooded(conversation: Conversation, now: datetime, limit: int) -> bool:
    """Count the message in the number's one-minute window; True past `limit`."""
    start = conversation.flood_window_start
    if start is None or now - start >= FLOOD_WINDOW:
        conversation.flood_window_start = now
        conversation.flood_count = 1
    else:
        conversation.flood_count += 1
    return conversation.flood_count > limit


def _store_chat(conversation: Conversation, contact: Contact, chat: Chat) -> None:
    conversation.state = chat.state
    conversation.data = dict(chat.data)
    conversation.handoff_until = chat.handoff_until
    contact.language = chat.language


def _log_replies(
    session: Session, profile: Profile, phone: str, replies: list[str], now: datetime
) -> None:
    # Replies travel in the TwiML answer itself; they are logged as sent, each a
    # microsecond after the last, so that the log keeps the order they were said in.
    session.add_all(
        MessageLog(
            profile_id=profile.id,
            direction="out",
            phone=phone,
            body=body,
            status=MessageStatus.SENT,
            purpose="reply",
            created_at=now + timedelta(microseconds=n),
            updated_at=now,
        )
        for n, body in enumerate(replies, start=1)
    )
