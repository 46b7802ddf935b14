"""The content pool at Twilio: made to match its definitions by `sync`, read by `lookup`.

Each (kind, number of items, language) of `interactive.pool` is one Twilio Content
resource whose SID is kept in `content_resource`, per Twilio account. `sync` is
run by an operator (`flask content sync`) after a deploy that changed a
definition; it is idempotent: a second run changes nothing.

What a stored resource was made from is known by its definition's hash, so
Twilio is not asked for its contents; it is asked whether the resource still
exists (someone may delete it in Twilio's Console), because sending with a
deleted SID would fail every list until the next sync.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from requests import RequestException
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client
from twilio.rest.content.v1.content import ContentContext, ContentList

from app.clock import Clock, utc_now
from app.db import SessionSource
from app.messaging import interactive
from app.models.content import ContentResource

# How long a process trusts what it read of the pool: a sync is seen within a minute.
POOL_TTL_SECONDS = 60.0

log = logging.getLogger(__name__)
NOT_FOUND = 404


class Change(StrEnum):
    CREATED = "created"
    # It was in the database, but no longer at Twilio: made again, with a new SID.
    RECREATED = "recreated"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class SyncReport:
    """What a sync did, as pool keys (``list-picker:7:es``) per change, in pool order."""

    keys: dict[Change, list[str]] = field(default_factory=lambda: {c: [] for c in Change})

    def count(self, change: Change) -> int:
        return len(self.keys[change])

    @property
    def changed(self) -> bool:
        return any(self.keys[c] for c in Change if c is not Change.UNCHANGED)


class SyncInterrupted(Exception):
    """Twilio failed or refused at `key`; what `report` lists was done and is stored."""

    def __init__(self, report: SyncReport, key: str, error: Exception) -> None:
        super().__init__(f"content sync stopped at {key}: {_describe(error)}")
        self.report = report
        self.key = key
        self.error = error


def definition_hash(definition: Mapping[str, object]) -> str:
    """SHA-256 of the definition as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def sync(
    sessions: SessionSource,
    client: Client,
    account_sid: str,
    languages: Iterable[str],
    clock: Clock = utc_now,
) -> SyncReport:
    """Create, update or re-create the pool's resources of `account_sid` at Twilio.

    Each resource's SID is stored in a transaction of its own right after Twilio
    answers, so an interrupted sync (`SyncInterrupted`) keeps what it made and the
    next run goes on from there. Run one sync at a time per account.
    """
    with sessions.begin() as session:
        rows = session.scalars(
            select(ContentResource).where(ContentResource.account_sid == account_sid)
        )
        stored = {row.key: (row.sid, row.definition_hash) for row in rows}
    report = SyncReport()
    for kind, count, language in interactive.pool(languages):
        key = interactive.pool_key(kind, count, language)
        wanted = interactive.definition(kind, count, language)
        digest = definition_hash(wanted)
        try:
            change, sid = _sync_one(client, stored.get(key), wanted, digest)
        except (TwilioException, RequestException) as error:
            raise SyncInterrupted(report, key, error) from error
        if change is not Change.UNCHANGED:
            _store(sessions, account_sid, key, sid, digest, clock)
        report.keys[change].append(key)
    return report


def lookup(session: Session, account_sid: str, kind: str, count: int, language: str) -> str | None:
    """The SID to send `count` choices of `kind` in `language` with; None before a sync.

    One read by the table's unique key, not a cache: a sync's new SID is seen at once.
    """
    return session.scalar(
        select(ContentResource.sid).where(
            ContentResource.account_sid == account_sid,
            ContentResource.key == interactive.pool_key(kind, count, language),
        )
    )


class PoolIndex:
    """Which (kind, count, language) an account's pool has, and their SIDs, read at most
    once a `ttl`.

    Asked on every reply with choices, in the webhook and at send time: one read a
    minute per process instead of one per message. A resource `content sync` made
    again (a new SID) reaches each process within the `ttl`; a send with the old SID
    meanwhile is refused by Twilio (21655), retried, and forgets what was read.
    """

    def __init__(self, sessions: SessionSource, account_sid: str, ttl: float = POOL_TTL_SECONDS):
        self._sessions, self._account_sid, self._ttl = sessions, account_sid, ttl
        self._sids: dict[str, str] = {}
        self._read_at: float | None = None
        self._reading = threading.Lock()
        self._told_missing: set[str] = set()

    def __call__(self, kind: str, count: int, language: str) -> bool:
        """Whether the pool has this layout; a missing one is said once in the log."""
        key = interactive.pool_key(kind, count, language)
        if key in self._fresh_sids():
            return True
        if key not in self._told_missing:
            self._told_missing.add(key)
            log.warning(
                "no content %s in the pool: these choices go as numbered text"
                " until `flask content sync` makes it",
                key,
            )
        return False

    def forget(self) -> None:
        """Read the pool again at the next question (a SID was refused)."""
        self._read_at = None

    def sid(self, key: str) -> str | None:
        """The SID of the pool's resource `key` (`interactive.pool_key`), if it has one."""
        return self._fresh_sids().get(key)

    def _fresh_sids(self) -> dict[str, str]:
        read_at = self._read_at
        if read_at is not None and time.monotonic() - read_at < self._ttl:
            return self._sids
        with self._reading:
            if self._read_at == read_at:  # no other thread read it meanwhile
                with self._sessions() as session:
                    rows = session.execute(
                        select(ContentResource.key, ContentResource.sid).where(
                            ContentResource.account_sid == self._account_sid
                        )
                    )
                    self._sids = {key: sid for key, sid in rows}
                self._read_at = time.monotonic()
        return self._sids


def _sync_one(
    client: Client, stored: tuple[str, str] | None, wanted: dict[str, object], digest: str
) -> tuple[Change, str]:
    contents = client.content.v1.contents
    if stored is None:
        return Change.CREATED, _create(contents, wanted)
    sid, stored_digest = stored
    if stored_digest == digest:
        try:
            contents(sid).fetch()
        except TwilioRestException as error:
            if error.status != NOT_FOUND:
                raise
            return Change.RECREATED, _create(contents, wanted)
        return Change.UNCHANGED, sid
    try:
        contents(sid).update(ContentContext.ContentUpdateRequest(wanted))
    except TwilioRestException as error:
        if error.status == NOT_FOUND:
            return Change.RECREATED, _create(contents, wanted)
        if error.status >= 500 or error.status in {401, 403, 429}:
            raise
        # Twilio refuses to edit some resources (one submitted for WhatsApp's approval,
        # error 92009): a new one takes its place, then the old one goes.
        replacement = _create(contents, wanted)
        _delete(contents, sid)
        return Change.UPDATED, replacement
    return Change.UPDATED, sid


def _create(contents: ContentList, wanted: dict[str, object]) -> str:
    sid = contents.create(ContentList.ContentCreateRequest(wanted)).sid
    if not sid:
        raise TwilioException("Twilio created a content resource without a SID")
    return sid


def _delete(contents: ContentList, sid: str) -> None:
    """Delete a replaced resource if Twilio lets us: left behind, it is only unused."""
    try:
        contents(sid).delete()
    except TwilioRestException as error:
        if error.status != NOT_FOUND:
            log.warning("replaced content %s not deleted at Twilio: %s", sid, _describe(error))
    except (TwilioException, RequestException) as error:
        log.warning("replaced content %s not deleted at Twilio: %s", sid, _describe(error))


def _store(
    sessions: SessionSource, account_sid: str, key: str, sid: str, digest: str, clock: Clock
) -> None:
    now = clock()
    with sessions.begin() as session:
        row = session.scalar(
            select(ContentResource).where(
                ContentResource.account_sid == account_sid, ContentResource.key == key
            )
        )
        if row is None:
            row = ContentResource(account_sid=account_sid, key=key, created_at=now)
            session.add(row)
        row.sid, row.definition_hash, row.updated_at = sid, digest, now


def _describe(error: Exception) -> str:
    """Twilio's status and code only: its message may quote what was sent."""
    if isinstance(error, TwilioRestException):
        return f"Twilio answered HTTP {error.status} (error {error.code})"
    if isinstance(error, RequestException):
        return f"Twilio could not be reached ({type(error).__name__})"
    return str(error)
