"""An incoming WhatsApp message, processed exactly once, one at a time per conversation.

One transaction per message: the conversation row is locked (messages of one
phone number are answered in order), the message is logged (its Twilio
MessageSid is unique, so a retried or duplicated webhook changes nothing more),
the doctor's command or the patient's flow runs, and every reply is logged
before commit. The lock comes first because it tells whether the patient has
consented: before that, what they write is logged without its words. The
statements themselves are in `app.conversation.inbox_store`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.booking.notifications import Render, queue_replies
from app.conversation.choices import as_interactive
from app.conversation.flood_limit import FloodCheck, FloodLimit
from app.conversation.inbox_store import LockedConversation, Received, Replies, store_for
from app.conversation.services import SqlDoctorServices, SqlPatientServices
from app.messaging import interactive
from app.sealed import seal
from bot_flows import texts
from bot_flows.doctor import answer_doctor
from bot_flows.engine import Said
from bot_flows.patient import Chat, Incoming, answer_patient, says_nothing_personal
from bot_flows.patient_states import BEFORE_CONSENT

# What `message_log.body` holds for a patient's message before consent (hard guarantee
# 5): the row stays, for the MessageSid and the flood limit, but not the words.
UNCONSENTED_BODY = "[sin consentimiento: {length} caracteres]"
# ... and for a message past the flood limit: its sid, phone, time and length only.
THROTTLED_BODY = "[limitado: {length} caracteres]"
QUOTE_LENGTH = 40  # characters of an unread message quoted back to its writer


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
    button_payload: str | None = None  # a quick-reply button's id (a template's or ours)
    list_id: str | None = None  # a list item's id
    replied_to: str | None = None  # the provider's id of our message this one replies to


# Whether a (kind, number of choices, language) can go out tappable: the content pool
# has it (Twilio), or the console shows it. None: every reply goes as numbered text.
Tappable = Callable[[str, int, str], bool]


@dataclass(frozen=True)
class InboxSettings:
    render: Render
    hold_minutes: int = 30
    flood: FloodLimit = field(default_factory=FloodLimit)
    tappable: Tappable | None = None
    # Where the app is reached (Config.public_base_url): confirmations link the
    # appointment's calendar file. None: no link.
    public_base_url: str | None = None


@dataclass
class Answer:
    """What was said back; empty for a duplicate or a silenced message.

    `queued`: the replies went to the outbox (one of them is a list or buttons, which
    only the REST API sends), so the webhook's TwiML says nothing.
    """

    replies: list[str] = field(default_factory=list)
    queued: bool = False
    duplicate: bool = False
    practice_language: str | None = None
    practice_id: uuid.UUID | None = None
    throttled: bool = False  # past the flood limit: not read


def receive(
    sessions: sessionmaker[Session],
    message: InboundMessage,
    now: datetime,
    settings: InboxSettings,
    *,
    replies_to_outbox: bool = False,
) -> Answer:
    """Process `message` once; raises `UnknownPractice` for a number no practice uses.

    The replies come back for the webhook's TwiML. They are queued in the outbox
    instead, in the same transaction, when one of them goes as a list or buttons
    (the REST API sends those, and the turn's texts go the same way to keep their
    order), or when the message was kept while the database was down
    (`replies_to_outbox`: no webhook waits for it).
    """
    with sessions.begin() as session:
        store = store_for(session)
        arrival = store.arrive(session, _received(message, now, settings.flood))
        if arrival is None:
            raise UnknownPractice(message.practice_number)
        if arrival.contact is None:
            return Answer(duplicate=True)
        practice, conversation, contact = arrival.practice, arrival.conversation, arrival.contact
        doctor = message.sender == practice.doctor_phone
        language = contact.language or practice.language
        moved: dict[str, object] = {
            "state": conversation.state,
            "data": conversation.data,
            "handoff_until": conversation.handoff_until,
            "flood_window_start": conversation.flood_window_start,
            "flood_count": conversation.flood_count,
            "updated_at": now,
        }
        # The doctor may well tap Aprobar forty times in a minute; patients may not.
        flood = None if doctor else _flood_check(conversation, now, settings.flood)
        if flood is not None:
            moved |= {"flood_window_start": flood.empty_at, "flood_count": flood.unread}
        throttled = flood is not None and not flood.read
        if flood is not None and throttled:
            # Not read: the state stays, so the next message answers the same question.
            said = [_not_read(message, conversation.state)] if flood.tell else []
        elif doctor:
            language = practice.language
            services = SqlDoctorServices(
                session, practice, now, settings.render, settings.hold_minutes, message.sid
            )
            tapped = message.button_payload or message.list_id  # PENDIENTES' list: APROBAR <code>
            said = answer_doctor(message.body, tapped, now, services, message.replied_to)
        else:
            patient_services = SqlPatientServices(
                session,
                practice,
                contact,
                now,
                settings.render,
                settings.hold_minutes,
                message.sid,
                settings.public_base_url,
            )
            chat = Chat(
                state=conversation.state,
                data=dict(conversation.data),
                language=language,
                last_activity=conversation.updated_at,
                handoff_until=conversation.handoff_until,
            )
            tapped = message.list_id or message.button_payload
            said = answer_patient(
                chat, Incoming(message.body, message.has_media, tapped), now, patient_services
            )
            moved |= {"state": chat.state, "data": chat.data, "handoff_until": chat.handoff_until}
            language = chat.language
        replies = [texts.text(s.key, language, **s.values) for s in said]
        taps = _tappable(said, replies, language, doctor, settings.tappable)
        queued = replies_to_outbox or any(taps)
        answered = [] if queued else replies
        store.finish(
            session, conversation.id, moved, Replies(practice.id, message.sender, answered, now)
        )
        if queued:
            bubbles, shown = _joined(replies, taps)
            queue_replies(
                session, practice.id, message.sender, bubbles, now, f"reply:{message.sid}", shown
            )
        return Answer(
            replies,
            queued=queued,
            practice_language=practice.language,
            practice_id=practice.id,
            throttled=throttled,
        )


def _tappable(
    said: Sequence[Said], replies: Sequence[str], language: str, doctor: bool, can: Tappable | None
) -> list[dict[str, object] | None]:
    """Each reply as a list or buttons (`message_log.variables["interactive"]`), or None: text."""
    if can is None or not any(s.choices for s in said):
        return [None] * len(said)
    button = texts.text("choices.doctor_button" if doctor else "choices.button", language)
    taps: list[dict[str, object] | None] = []
    for one, text in zip(said, replies, strict=True):
        made = as_interactive(text, one.choices, button)
        tappable = made is not None and can(made[0], len(made[1].items), language)
        taps.append(interactive.to_json(*made) if made and tappable else None)
    return taps


def _joined(
    replies: Sequence[str], taps: Sequence[dict[str, object] | None]
) -> tuple[list[str], list[dict[str, object] | None]]:
    """A turn sent through the REST API as few messages as it reads well in.

    Plain replies just before a list or buttons open its body ("¡Hola! …" and the
    privacy question, "¡Listo! …" and the menu): one bubble to read, one send to
    pay for, in the order said. Where the whole would pass Twilio's body limit they
    stay apart.
    """
    bubbles: list[str] = []
    shown: list[dict[str, object] | None] = []
    waiting: list[str] = []
    for reply, tap in zip(replies, taps, strict=True):
        if tap is None:
            waiting.append(reply)
            continue
        body = "\n\n".join([*waiting, str(tap["body"])])
        if waiting and interactive.twilio_length(body) <= interactive.BODY_LIMIT:
            tap, reply, waiting = tap | {"body": body}, "\n\n".join([*waiting, reply]), []
        bubbles += [*waiting, reply]
        shown += [None] * len(waiting) + [tap]
        waiting = []
    return bubbles + waiting, shown + [None] * len(waiting)


def _received(message: InboundMessage, now: datetime, flood: FloodLimit) -> Received:
    return Received(
        practice_number=message.practice_number,
        phone=message.sender,
        # Sealed here: the arrival's statement binds plain parameters (app/sealed.py).
        body=seal(message.body),
        guarded_body=seal(_unconsented_body(message.body)),
        purpose="media" if message.has_media and not message.body else None,
        sid=message.sid,
        now=now,
        throttled_body=THROTTLED_BODY.format(length=len(message.body)),
        flood_full_after=flood.full_after(now),
    )


def _unconsented_body(body: str) -> str:
    """A patient's message as logged before consent: only fixed words keep their text."""
    if not body or says_nothing_personal(body):
        return body
    return UNCONSENTED_BODY.format(length=len(body))


def _flood_check(conversation: LockedConversation, now: datetime, limit: FloodLimit) -> FloodCheck:
    """The message against the number's bucket, as the conversation row keeps it."""
    return limit.check(conversation.flood_window_start, conversation.flood_count, now)


def _not_read(message: InboundMessage, state: str) -> Said:
    """Which message was not read, quoted back to its writer (never before consent)."""
    written = " ".join(message.body.split())
    if not written or state in BEFORE_CONSENT:
        return Said("flood")
    if len(written) > QUOTE_LENGTH:
        written = written[: QUOTE_LENGTH - 1].rstrip() + "…"
    return Said("flood_unread", {"quote": written})
