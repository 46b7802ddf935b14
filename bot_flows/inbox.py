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
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Executable, Row, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from app.booking.notices import Render
from app.models import Contact, Conversation, MessageLog, MessageStatus, Profile
from bot_flows import texts
from bot_flows.desks import DoctorDesk, PatientContact, PatientDesk
from bot_flows.doctor import answer_doctor
from bot_flows.engine import Said
from bot_flows.patient import Chat, Incoming, PatientState, answer_patient, says_nothing_personal
from bot_flows.patient_states import BEFORE_CONSENT

FLOOD_WINDOW = timedelta(minutes=1)
# What `message_log.body` holds for a patient's message before consent (hard guarantee
# 5): the row stays, for the MessageSid and the flood limit, but not the words.
UNCONSENTED_BODY = "[sin consentimiento: {length} caracteres]"
# Core tables, not the ORM classes: the inbox's writes skip the ORM's bulk machinery.
MESSAGES, CONTACTS, CONVERSATIONS = (
    model.__table__ for model in (MessageLog, Contact, Conversation)
)
CONTACT_FIELDS = tuple(attribute.name for attribute in fields(PatientContact))


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
        built = _statements(session)
        profile = session.scalar(built.profile, {"number": message.practice_number})
        if profile is None:
            raise UnknownPractice(message.practice_number)
        conversation = _lock_conversation(session, profile, message.sender, now)
        doctor = message.sender == profile.doctor_phone
        body = message.body if doctor else _patient_body(message.body, conversation.state)
        if not _log_inbound(session, profile, message, body, now):
            return Answer(duplicate=True)
        contact = _touch_contact(session, profile, message.sender, now)
        language = contact.language or profile.language
        moved: dict[str, object] = {"updated_at": now}
        # The doctor may well tap Aprobar twenty times in a minute; patients may not.
        flood = None if doctor else _flood_count(conversation, now)
        if flood is not None:
            moved |= {"flood_window_start": flood[0], "flood_count": flood[1]}
        if flood is not None and flood[1] > settings.flood_limit:
            said = [Said("flood")] if flood[1] == settings.flood_limit + 1 else []
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
            moved |= {"state": chat.state, "data": chat.data, "handoff_until": chat.handoff_until}
            language = chat.language
        session.execute(
            update(CONVERSATIONS).where(CONVERSATIONS.c.id == conversation.id).values(moved)
        )
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
    logged = session.scalar(
        _statements(session).log_inbound,
        {
            "id": uuid.uuid4(),
            "profile_id": profile.id,
            "phone": message.sender,
            "body": body,
            "purpose": "media" if message.has_media and not message.body else None,
            "provider_sid": message.sid,
            "now": now,
        },
    )
    return logged is not None


def _touch_contact(
    session: Session, profile: Profile, phone: str, now: datetime
) -> PatientContact:
    """The sender's contact row, created or stamped with this message: one round trip."""
    values = {"id": uuid.uuid4(), "profile_id": profile.id, "phone": phone, "now": now}
    row = session.execute(_statements(session).touch_contact, values).one()
    return PatientContact(**row._asdict())


def _lock_conversation(
    session: Session, profile: Profile, phone: str, now: datetime
) -> Row[Any]:
    """The sender's conversation, created if new, locked until commit: one round trip.

    ON CONFLICT DO UPDATE locks the row it meets as SELECT ... FOR UPDATE would;
    the update writes back what is there, so `updated_at` still says when the
    conversation last moved (its 24-hour reset).
    """
    values = {"id": uuid.uuid4(), "profile_id": profile.id, "phone": phone, "now": now}
    return session.execute(_statements(session).lock_conversation, values).one()


@dataclass(frozen=True)
class _Statements:
    """The inbox's statements of every message, built once per database dialect.

    Built on each message they cost more Python than their round trips; with bound
    parameters they are the same objects each time, compiled once. The contact and
    the conversation come back as plain rows, not ORM objects, for the same reason.
    """

    profile: Executable
    log_inbound: Executable
    touch_contact: Executable
    lock_conversation: Executable


def _statements(session: Session) -> _Statements:
    return _built(session.get_bind().dialect.name)


@cache
def _built(dialect: str) -> _Statements:
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = bindparam("now")
    key = {name: bindparam(name) for name in ("id", "profile_id", "phone")}
    log_inbound = (
        upsert(MESSAGES)
        .values(
            **key,
            direction="in",
            body=bindparam("body"),
            status=MessageStatus.RECEIVED,
            purpose=bindparam("purpose"),
            provider_sid=bindparam("provider_sid"),
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=[MESSAGES.c.provider_sid])
        .returning(MESSAGES.c.id)
    )
    touch_contact = (
        upsert(CONTACTS)
        .values(**key, last_inbound_at=now, created_at=now, updated_at=now)
        .on_conflict_do_update(
            index_elements=[CONTACTS.c.profile_id, CONTACTS.c.phone],
            set_={"last_inbound_at": now, "updated_at": now},
        )
        .returning(*(CONTACTS.c[name] for name in CONTACT_FIELDS))
    )
    lock_conversation = (
        upsert(CONVERSATIONS)
        .values(
            **key, state=PatientState.NEW, data={}, flood_count=0, created_at=now, updated_at=now
        )
        .on_conflict_do_update(
            index_elements=[CONVERSATIONS.c.profile_id, CONVERSATIONS.c.phone],
            set_={"updated_at": CONVERSATIONS.c.updated_at},
        )
        .returning(*CONVERSATIONS.c)
    )
    profile = select(Profile).where(Profile.whatsapp_number == bindparam("number"))
    return _Statements(profile, log_inbound, touch_contact, lock_conversation)


def _flood_count(conversation: Row[Any], now: datetime) -> tuple[datetime, int]:
    """The number's one-minute window and its count, this message included."""
    start = conversation.flood_window_start
    if start is None or now - start >= FLOOD_WINDOW:
        return now, 1
    return start, conversation.flood_count + 1


def _log_replies(
    session: Session, profile: Profile, phone: str, replies: list[str], now: datetime
) -> None:
    # Replies travel in the TwiML answer itself; they are logged as sent, each a
    # microsecond after the last, so that the log keeps the order they were said in.
    if not replies:
        return
    session.execute(
        insert(MESSAGES),
        [
            {
                "id": uuid.uuid4(),
                "profile_id": profile.id,
                "direction": "out",
                "phone": phone,
                "body": body,
                "status": MessageStatus.SENT,
                "purpose": "reply",
                "created_at": now + timedelta(microseconds=n),
                "updated_at": now,
            }
            for n, body in enumerate(replies, start=1)
        ],
    )
