"""Inbound messages kept outside the database while it cannot be reached, then replayed.

Twilio does not send an inbound WhatsApp message again after an error, so a
message that arrives during a database restart or failover would be lost. The
webhook keeps it instead, whole and signed, in a journal: a Redis list when
Redis answers, else an append-only file on local disk. A `Replayer` (a thread
in every web process and in the worker) feeds the journals back through the
normal path in arrival order once the database answers; the MessageSid dedupe
of the normal path keeps each effect single if a replay is interrupted.

While anything is kept, new messages are kept too, behind it: a message must
never overtake an older one of the same phone.

The journals hold message bodies for minutes, like the webhook's own request;
they are emptied as they are replayed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import exc

from app.sealed import keyring

log = logging.getLogger(__name__)

# What "the database cannot be reached" looks like: refused or dropped connections,
# a server starting or shutting down, an exhausted pool. (psycopg also reports a
# deadlock as an OperationalError; kept and replayed, it loses nothing either.)
DATABASE_DOWN = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)
BATCH = 100
REDIS_KEY = "citabot:deferred-inbox"
REDIS_TOLD = "citabot:deferred-inbox:told"
REDIS_LOCK = "citabot:deferred-inbox:replaying"
LOCK_MS = 60_000
# Trims the replayed head and, once nothing is left, ends the outage: the next one
# tells each patient again.
_DROP = """
redis.call('LTRIM', KEYS[1], ARGV[1], -1)
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
"""


class JournalUnavailable(RuntimeError):
    """Neither Redis nor the local disk could keep the message."""


@dataclass(frozen=True)
class KeptMessage:
    """A webhook request as Twilio signed it: enough to check it again and process it."""

    received_at: float  # seconds since the epoch
    url: str
    signature: str
    form: dict[str, str]

    def dumps(self) -> str:
        """One line, sealed (app/sealed.py): what a patient wrote waits in Redis or on disk."""
        return keyring().seal(json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":")))

    @classmethod
    def loads(cls, line: str | bytes) -> KeptMessage:
        """A kept line, sealed or (kept before sealing) plain."""
        text = line.decode() if isinstance(line, bytes) else line
        return cls(**json.loads(keyring().open(text.strip())))


def _phone_key(phone: str) -> str:
    """How the journals remember who was told: not the number itself."""
    return hashlib.sha256(phone.encode()).hexdigest()[:32]


class RedisJournal:
    """The first choice: shared by every web process and the worker."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._drop = redis.register_script(_DROP)

    def keep(self, message: KeptMessage, phone: str) -> bool:
        """Append `message`; True if `phone` has not been told of this outage yet."""
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(REDIS_KEY, message.dumps())
            pipe.sadd(REDIS_TOLD, _phone_key(phone))
            _, new = pipe.execute()
        return bool(new)

    def size(self) -> int:
        return int(self.redis.llen(REDIS_KEY))

    def peek(self, count: int) -> list[KeptMessage]:
        return [KeptMessage.loads(raw) for raw in self.redis.lrange(REDIS_KEY, 0, count - 1)]

    def drop(self, count: int) -> None:
        if count:
            self._drop(keys=[REDIS_KEY, REDIS_TOLD], args=[count])

    @contextlib.contextmanager
    def replaying(self) -> Iterator[bool]:
        token = os.urandom(8).hex()
        locked = bool(self.redis.set(REDIS_LOCK, token, nx=True, px=LOCK_MS))
        try:
            yield locked
        finally:
            if locked and self.redis.get(REDIS_LOCK) == token.encode():
                self.redis.delete(REDIS_LOCK)


class DiskJournal:
    """The fallback when Redis is down too: JSON lines, fsynced, under a file lock.

    Local to one host: the web processes of that host replay it themselves.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "journal.jsonl"
        self.told_path = directory / "told"

    def keep(self, message: KeptMessage, phone: str) -> bool:
        with self._locked("journal.lock"):
            with self.path.open("a", encoding="utf-8") as journal:
                journal.write(message.dumps() + "\n")
                journal.flush()
                os.fsync(journal.fileno())
            told = set(self._lines(self.told_path))
            key = _phone_key(phone)
            if key in told:
                return False
            with self.told_path.open("a", encoding="utf-8") as told_file:
                told_file.write(key + "\n")
            return True

    def size(self) -> int:
        if not self.maybe_pending():
            return 0
        with self._locked("journal.lock"):
            return len(self._lines(self.path))

    def maybe_pending(self) -> bool:
        """One stat: cheap enough for every webhook."""
        try:
            return self.path.stat().st_size > 0
        except FileNotFoundError:
            return False

    def set_aside(self, message: KeptMessage) -> None:
        """Keep a message that could not be processed where an operator can look at it."""
        with self._locked("journal.lock"), (self.directory / "failed.jsonl").open("a") as failed:
            failed.write(message.dumps() + "\n")

    def peek(self, count: int) -> list[KeptMessage]:
        if not self.maybe_pending():
            return []
        with self._locked("journal.lock"):
            return [KeptMessage.loads(line) for line in self._lines(self.path)[:count]]

    def drop(self, count: int) -> None:
        if not count:
            return
        with self._locked("journal.lock"):
            rest = self._lines(self.path)[count:]
            if not rest:
                self.path.unlink(missing_ok=True)
                self.told_path.unlink(missing_ok=True)
                return
            temporary = self.path.with_suffix(".tmp")
            with temporary.open("w", encoding="utf-8") as journal:
                journal.writelines(line + "\n" for line in rest)
                journal.flush()
                os.fsync(journal.fileno())
            temporary.replace(self.path)

    @contextlib.contextmanager
    def replaying(self) -> Iterator[bool]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / "replay.lock").open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _locked(self, name: str) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / name).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @staticmethod
    def _lines(path: Path) -> list[str]:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [line for line in text.split("\n") if line]


class DeferredInbox:
    """Both journals behind one face: keep in the first that works, replay from both."""

    def __init__(self, redis: Redis | None, directory: Path) -> None:
        self.redis = RedisJournal(redis) if redis is not None else None
        self.disk = DiskJournal(directory)

    def keep(self, message: KeptMessage, phone: str) -> bool:
        """Keep `message`; True if `phone` should be told (once per outage)."""
        if self.redis is not None:
            try:
                return self.redis.keep(message, phone)
            except RedisError as error:
                reason = type(error).__name__
                log.warning("deferred inbox: Redis unreachable (%s), using disk", reason)
        try:
            return self.disk.keep(message, phone)
        except OSError as error:
            raise JournalUnavailable("no journal could keep the message") from error

    def pending(self) -> bool:
        """Whether anything waits: new messages must then queue behind it."""
        if self.disk.maybe_pending():
            return True
        if self.redis is None:
            return False
        try:
            return self.redis.size() > 0
        except RedisError:
            return False

    def backlog(self) -> tuple[int, bool]:
        """How many messages wait, and whether that is all of them (Redis could be asked)."""
        count = self.disk.size()
        if self.redis is None:
            return count, True
        try:
            return count + self.redis.size(), True
        except RedisError:
            return count, False

    def journals(self) -> list[RedisJournal | DiskJournal]:
        return [self.disk] if self.redis is None else [self.redis, self.disk]


Process = Callable[[KeptMessage], None]


class Replayer:
    """Feeds kept messages to `process` in arrival order, once the database answers.

    `process` raises one of DATABASE_DOWN while the database is still away: the
    messages before it are dropped from their journals, the rest wait for the next
    turn. Any other error is a message that can never be processed: it is logged
    (without its words) and set aside in `failed.jsonl` beside the disk journal, so
    it cannot block the ones behind it.
    """

    def __init__(self, inbox: DeferredInbox, process: Process, interval: float = 1.0) -> None:
        self.inbox = inbox
        self.process = process
        self.interval = interval
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def replay(self) -> int:
        """Replay everything that can be now; how many messages were processed."""
        done = 0
        with contextlib.ExitStack() as stack:
            journals = []
            for journal in self.inbox.journals():
                try:
                    if stack.enter_context(journal.replaying()):
                        journals.append(journal)
                except RedisError:
                    continue
            while journals:
                batch = self._merged(journals)
                if not batch:
                    break
                taken = {id(journal): 0 for journal in journals}
                try:
                    for journal, message in batch:
                        self._process(message)
                        taken[id(journal)] += 1
                        done += 1
                finally:
                    for journal in journals:
                        journal.drop(taken[id(journal)])
        return done

    def _process(self, message: KeptMessage) -> None:
        try:
            self.process(message)
        except DATABASE_DOWN:
            raise
        except Exception:
            log.exception("deferred inbox: a kept message could not be processed; set aside")
            self.inbox.disk.set_aside(message)

    @staticmethod
    def _merged(
        journals: list[RedisJournal | DiskJournal],
    ) -> list[tuple[RedisJournal | DiskJournal, KeptMessage]]:
        """The next messages of all journals in arrival order, each journal's own order kept."""
        heads = [(journal, journal.peek(BATCH)) for journal in journals]
        merged: list[tuple[RedisJournal | DiskJournal, KeptMessage]] = []
        positions = [0] * len(heads)
        while True:
            candidates = [
                (messages[positions[n]].received_at, n)
                for n, (_, messages) in enumerate(heads)
                if positions[n] < len(messages)
            ]
            if not candidates:
                return merged
            _, n = min(candidates)
            merged.append((heads[n][0], heads[n][1][positions[n]]))
            positions[n] += 1

    def start(self) -> None:
        """Start the replaying thread of this process, once."""
        if self._thread is not None:
            return
        with self._starting:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="replay", daemon=True)
                self._thread.start()

    def nudge(self) -> None:
        """Something was kept: look again soon (the thread polls anyway)."""
        self._wake.set()

    def _serve(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                if self.inbox.pending():
                    replayed = self.replay()
                    if replayed:
                        log.info("deferred inbox: %d kept messages replayed", replayed)
            except DATABASE_DOWN:
                pass  # still away: the next turn tries again
            except Exception:
                log.exception("deferred inbox: replay failed; trying again")
                time.sleep(self.interval)
