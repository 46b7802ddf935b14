"""The inbox's reads and writes: the same steps, shaped for each database.

Every message does the same two things. It *arrives*: the practice is found by
the number written to, the conversation is locked (created if new), the message
is logged (a MessageSid seen before stops here) and the sender's contact row is
stamped. It *finishes*: the conversation moves on and the replies are logged.

On PostgreSQL each is one statement: the writes sit in WITH clauses and hand
their rows on with RETURNING, so a message costs two round trips besides BEGIN
and COMMIT, where it cost six. SQLite, the embedded default, has no writes in
WITH; there each step is its own statement. Both are built once per process,
with bound parameters, so they are compiled once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    Integer,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause, Select
from sqlalchemy.sql.dml import Insert, Update

from app.conversation.services import PatientContact
from app.db import UTCDateTime
from app.models import Contact, Conversation, MessageLog, MessageStatus, Practice
from app.sealed import seal
from bot_flows.patient_states import BEFORE_CONSENT, PatientState
from bot_flows.ports import PracticeDetails

MESSAGES, CONTACTS, CONVERSATIONS, PROFILES = (
    model.__table__ for model in (MessageLog, Contact, Conversation, Practice)
)
CONTACT_FIELDS = tuple(attribute.name for attribute in fields(PatientContact))
PRACTICE_FIELDS = tuple(attribute.name for attribute in fields(PracticeDetails))
# What a finish writes back to the conversation row (besides updated_at).
MOVES = ("state", "data", "handoff_until", "flood_window_start", "flood_count")


@dataclass(frozen=True)
class Arrival:
    """What a message finds: its practice, its locked conversation, the writer's contact.

    `contact` is None when the MessageSid was logged before: a duplicate, to change
    nothing more.
    """

    practice: PracticeDetails
    conversation: LockedConversation
    contact: PatientContact | None


@dataclass(frozen=True)
class LockedConversation:
    """The sender's conversation row, locked until the message's transaction ends."""

    id: uuid.UUID
    state: str
    data: dict[str, Any]
    handoff_until: datetime | None
    flood_window_start: datetime | None
    flood_count: int
    updated_at: datetime  # when it last moved: its 24-hour reset

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> LockedConversation:
        return cls(**{name: values[name] for name in CONVERSATION_FIELDS})


CONVERSATION_FIELDS = tuple(attribute.name for attribute in fields(LockedConversation))


@dataclass(frozen=True)
class Received:
    """The one message that came in, as it is to be logged.

    `guarded_body` is what is logged instead of `body` when a patient writes before
    consenting; which of the two is kept depends on the conversation's state, known
    only once it is locked.
    """

    practice_number: str
    phone: str
    body: str
    guarded_body: str
    purpose: str | None
    sid: str
    now: datetime
    # A patient past the flood limit: their message is logged by its length alone,
    # so a flood's writes do not grow with what it says.
    throttled_body: str
    # A number whose flood bucket is empty only after this is full (`FloodLimit.full_after`).
    flood_full_after: datetime

    def throttled(self, conversation: LockedConversation) -> bool:
        """Whether this message is beyond the flood limit (the SQL twin is in the arrival)."""
        empty_at = conversation.flood_window_start
        return empty_at is not None and empty_at > self.flood_full_after


@dataclass(frozen=True)
class Replies:
    """What the bot answered one message, to be logged as sent.

    They travel in the TwiML answer itself. Each is stamped a microsecond after
    the one before, so that the log keeps the order they were said in.
    """

    profile_id: uuid.UUID
    phone: str
    bodies: Sequence[str]
    now: datetime

    def times(self) -> list[datetime]:
        return [self.now + timedelta(microseconds=n) for n in range(1, len(self.bodies) + 1)]

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "id": uuid.uuid4(),
                "profile_id": self.profile_id,
                "direction": "out",
                "phone": self.phone,
                "body": body,
                "status": MessageStatus.SENT,
                "purpose": "reply",
                "created_at": at,
                "updated_at": self.now,
            }
            for body, at in zip(self.bodies, self.times(), strict=True)
        ]


class InboxStore(Protocol):
    def arrive(self, session: Session, received: Received) -> Arrival | None:
        """None when no practice answers on `received.practice_number`."""

    def finish(
        self,
        session: Session,
        conversation_id: uuid.UUID,
        moved: dict[str, object],
        replies: Replies,
    ) -> None:
        """Write `moved` (every name in MOVES, and updated_at) and log the replies."""


def store_for(session: Session) -> InboxStore:
    dialect = session.get_bind().dialect.name
    return _postgresql() if dialect == "postgresql" else _sqlite()


def _arrival_params(received: Received) -> dict[str, object]:
    return {
        "number": received.practice_number,
        "phone": received.phone,
        "body": received.body,
        "guarded_body": received.guarded_body,
        "purpose": received.purpose,
        "provider_sid": received.sid,
        "throttled_body": received.throttled_body,
        "flood_full_after": received.flood_full_after,
        "now": received.now,
        "conversation_id": uuid.uuid4(),
        "message_id": uuid.uuid4(),
        "contact_id": uuid.uuid4(),
    }


def _moved_params(conversation_id: uuid.UUID, moved: dict[str, object]) -> dict[str, object]:
    return {"conversation_id": conversation_id} | {f"new_{k}": v for k, v in moved.items()}


def _move() -> Any:
    """UPDATE of the conversation row with every column a message may change."""
    names = (*MOVES, "updated_at")
    return (
        update(CONVERSATIONS)
        .where(CONVERSATIONS.c.id == bindparam("conversation_id"))
        .values({name: bindparam(f"new_{name}") for name in names})
    )


# --- PostgreSQL: one statement each ------------------------------------------------------------


class _PostgresStore:
    def __init__(self) -> None:
        self._arrive, self._labels = _arrive_statement()
        self._move = _move()
        self._finish = _finish_statement(self._move)

    def arrive(self, session: Session, received: Received) -> Arrival | None:
        row = session.execute(self._arrive, _arrival_params(received)).one_or_none()
        if row is None:
            return None
        values = row._mapping
        practice, conversation, contact = (
            {name: values[label] for name, label in labels} for labels in self._labels
        )
        touched = PatientContact(**contact) if values["logged"] is not None else None
        return Arrival(PracticeDetails(**practice), LockedConversation.of(conversation), touched)

    def finish(
        self,
        session: Session,
        conversation_id: uuid.UUID,
        moved: dict[str, object],
        replies: Replies,
    ) -> None:
        params = _moved_params(conversation_id, moved)
        if not replies.bodies:
            session.execute(self._move, params)
            return
        params |= {
            "reply_profile_id": replies.profile_id,
            "reply_phone": replies.phone,
            "reply_now": replies.now,
            "reply_ids": [uuid.uuid4() for _ in replies.bodies],
            "reply_bodies": [seal(body) for body in replies.bodies],
            "reply_times": replies.times(),
        }
        session.execute(self._finish, params)


def _arrive_statement() -> tuple[Select[Any], list[list[tuple[str, str]]]]:
    """practice -> locked conversation -> logged message -> stamped contact, in one statement.

    Each write reads the rows of the one before it, so they run in that order: the
    conversation's lock is taken before the message is logged, and a duplicate
    (nothing logged) stamps no contact. ON CONFLICT DO UPDATE locks the row it
    meets as SELECT ... FOR UPDATE would, and RETURNING gives its latest version.
    """
    phone, now = bindparam("phone", type_=String), bindparam("now", type_=UTCDateTime())
    practice = (
        select(*(PROFILES.c[name] for name in PRACTICE_FIELDS))
        .where(PROFILES.c.whatsapp_number == bindparam("number"))
        .cte("practice")
    )
    new_conversation = {
        "id": bindparam("conversation_id", type_=CONVERSATIONS.c.id.type),
        "profile_id": practice.c.id,
        "phone": phone,
        "state": literal(PatientState.NEW.value, String),
        "data": cast(literal("{}"), JSON),
        "flood_count": literal(0, Integer),
        "created_at": now,
        "updated_at": now,
    }
    locked = (
        _insert_from(CONVERSATIONS, new_conversation, practice)
        .on_conflict_do_update(
            index_elements=[CONVERSATIONS.c.profile_id, CONVERSATIONS.c.phone],
            set_={"updated_at": CONVERSATIONS.c.updated_at},
        )
        .returning(*(CONVERSATIONS.c[name] for name in CONVERSATION_FIELDS))
        .cte("locked")
    )
    guarded = and_(
        locked.c.state.in_([state.value for state in BEFORE_CONSENT]),
        practice.c.doctor_phone.is_distinct_from(phone),
    )
    throttled = and_(
        practice.c.doctor_phone.is_distinct_from(phone),
        locked.c.flood_window_start > bindparam("flood_full_after", type_=UTCDateTime()),
    )
    inbound = {
        "id": bindparam("message_id", type_=MESSAGES.c.id.type),
        "profile_id": practice.c.id,
        "direction": literal("in", String),
        "phone": phone,
        "body": case(
            (throttled, bindparam("throttled_body")),
            (guarded, bindparam("guarded_body")),
            else_=bindparam("body"),
        ),
        "status": literal(MessageStatus.RECEIVED.value, String),
        "purpose": bindparam("purpose", type_=String),
        "provider_sid": bindparam("provider_sid", type_=String),
        "created_at": now,
        "updated_at": now,
    }
    logged = (
        _insert_from(MESSAGES, inbound, locked.join(practice, true()))
        .on_conflict_do_nothing(index_elements=[MESSAGES.c.provider_sid])
        .returning(MESSAGES.c.id)
        .cte("logged")
    )
    new_contact = {
        "id": bindparam("contact_id", type_=CONTACTS.c.id.type),
        "profile_id": practice.c.id,
        "phone": phone,
        "last_inbound_at": now,
        "created_at": now,
        "updated_at": now,
    }
    touched = (
        _insert_from(CONTACTS, new_contact, practice.join(logged, true()))
        .on_conflict_do_update(
            index_elements=[CONTACTS.c.profile_id, CONTACTS.c.phone],
            set_={"last_inbound_at": now, "updated_at": now},
        )
        .returning(*(CONTACTS.c[name] for name in CONTACT_FIELDS))
        .cte("touched")
    )
    groups = [(practice, "p", PRACTICE_FIELDS), (locked, "v", CONVERSATION_FIELDS)]
    groups.append((touched, "c", CONTACT_FIELDS))
    # Short labels ("p0", "v3"): past 4096 bytes psycopg parses a statement's
    # placeholders again on every execution instead of caching them.
    labels = [[(name, f"{key}{n}") for n, name in enumerate(names)] for _, key, names in groups]
    columns = [
        source.c[name].label(label)
        for (source, _, _), pairs in zip(groups, labels, strict=True)
        for name, label in pairs
    ]
    statement = (
        select(*columns, logged.c.id.label("logged"))
        .select_from(practice)
        .outerjoin(locked, true())
        .outerjoin(logged, true())
        .outerjoin(touched, true())
    )
    return statement, labels


def _finish_statement(move: Update) -> Insert:
    """The conversation's move, then its replies logged from three arrays, in one statement.

    One row per element of the arrays, however many replies: the statement is the
    same each time, so it is compiled once (a multi-row VALUES never is).
    """
    said = (
        func.unnest(
            bindparam("reply_ids", type_=ARRAY(MESSAGES.c.id.type)),
            bindparam("reply_bodies", type_=ARRAY(Text())),
            bindparam("reply_times", type_=ARRAY(UTCDateTime())),
        )
        .table_valued("id", "body", "created_at")
        .render_derived()
    )
    outbound = {
        "id": said.c.id,
        "profile_id": bindparam("reply_profile_id", type_=MESSAGES.c.profile_id.type),
        "direction": literal("out", String),
        "phone": bindparam("reply_phone", type_=String),
        "body": said.c.body,
        "status": literal(MessageStatus.SENT.value, String),
        "purpose": literal("reply", String),
        "attempts": literal(0, Integer),
        "created_at": said.c.created_at,
        "updated_at": bindparam("reply_now", type_=UTCDateTime()),
    }
    # Every name is reply_*: a parameter named after a column of the UPDATE would
    # become one more SET of it.
    return _insert_from(MESSAGES, outbound, said).add_cte(move.cte("moved"))


def _insert_from(table: Table, values: dict[str, Any], source: FromClause) -> postgresql.Insert:
    """INSERT INTO table (the keys) SELECT the values FROM source: each column named once."""
    query = select(*values.values()).select_from(source)
    return postgresql.insert(table).from_select(list(values), query, include_defaults=False)


# --- SQLite: one statement per step --------------------------------------------


class _SQLiteStore:
    def __init__(self) -> None:
        upsert = sqlite.insert
        now = bindparam("now")
        key = {
            "profile_id": bindparam("profile_id"),
            "phone": bindparam("phone"),
        }
        self._practice = select(*(PROFILES.c[name] for name in PRACTICE_FIELDS)).where(
            PROFILES.c.whatsapp_number == bindparam("number")
        )
        self._lock = (
            upsert(CONVERSATIONS)
            .values(
                id=bindparam("conversation_id"),
                **key,
                state=PatientState.NEW,
                data={},
                flood_count=0,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_update(
                index_elements=[CONVERSATIONS.c.profile_id, CONVERSATIONS.c.phone],
                set_={"updated_at": CONVERSATIONS.c.updated_at},
            )
            .returning(*(CONVERSATIONS.c[name] for name in CONVERSATION_FIELDS))
        )
        self._log = (
            upsert(MESSAGES)
            .values(
                id=bindparam("message_id"),
                **key,
                direction="in",
                body=bindparam("logged_body"),
                status=MessageStatus.RECEIVED,
                purpose=bindparam("purpose"),
                provider_sid=bindparam("provider_sid"),
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=[MESSAGES.c.provider_sid])
            .returning(MESSAGES.c.id)
        )
        self._touch = (
            upsert(CONTACTS)
            .values(
                id=bindparam("contact_id"),
                **key,
                last_inbound_at=now,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_update(
                index_elements=[CONTACTS.c.profile_id, CONTACTS.c.phone],
                set_={"last_inbound_at": now, "updated_at": now},
            )
            .returning(*(CONTACTS.c[name] for name in CONTACT_FIELDS))
        )
        self._move = _move()

    def arrive(self, session: Session, received: Received) -> Arrival | None:
        params = _arrival_params(received)
        found = session.execute(self._practice, params).one_or_none()
        if found is None:
            return None
        practice = PracticeDetails(**found._asdict())
        params["profile_id"] = practice.id
        conversation = LockedConversation.of(session.execute(self._lock, params).one()._mapping)
        patient = received.phone != practice.doctor_phone
        guarded = patient and conversation.state in BEFORE_CONSENT
        if patient and received.throttled(conversation):
            params["logged_body"] = received.throttled_body
        else:
            params["logged_body"] = received.guarded_body if guarded else received.body
        if session.scalar(self._log, params) is None:
            return Arrival(practice, conversation, None)
        contact = session.execute(self._touch, params).one()
        return Arrival(practice, conversation, PatientContact(**contact._asdict()))

    def finish(
        self,
        session: Session,
        conversation_id: uuid.UUID,
        moved: dict[str, object],
        replies: Replies,
    ) -> None:
        session.execute(self._move, _moved_params(conversation_id, moved))
        if replies.bodies:
            session.execute(insert(MESSAGES), replies.rows())


@cache
def _postgresql() -> _PostgresStore:
    return _PostgresStore()


@cache
def _sqlite() -> _SQLiteStore:
    return _SQLiteStore()
