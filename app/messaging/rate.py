"""Per-sender rate limits: WhatsApp throttles each sender number (80 messages/s by default).

Each sender's messages are spaced evenly, 1/rate seconds apart: a send books the
sender's next free instant and waits for it, so N messages from one number take
at least (N - 1)/rate seconds, with no burst at a window's edge (a fixed
one-second window lets twice the rate through across a boundary). With Redis the
next free instant is shared by every worker process, on Redis's own clock;
without it each process keeps its own, and so does a process that cannot reach
Redis: messages keep going out while Redis is down (several processes may then
exceed the rate together; WhatsApp answers 429, which is retried).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from redis import Redis
from redis.exceptions import RedisError

from app.messaging.port import Messenger, Outbound, ProviderMessage

KEY_PREFIX = "citabot:rate:"
REDIS_PAUSE = 30  # seconds without asking Redis after it failed to answer
log = logging.getLogger(__name__)

# KEYS[1]: the sender's next free instant (microseconds, Redis time); ARGV[1]: the
# spacing in microseconds. Books the next free instant; returns how long to wait for it.
_BOOK = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local at = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
local after = at + tonumber(ARGV[1])
redis.call('SET', KEYS[1], after, 'PX', math.floor((after - now) / 1000) + 1000)
return at - now
"""


class RateLimiter(Protocol):
    def wait(self, sender: str) -> None:
        """Return once one more message from `sender` fits in the rate."""
        ...


class LocalRateLimiter:
    """Spaces each sender's messages in this process only."""

    def __init__(
        self,
        per_second: int,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval, self.now, self.sleep = 1.0 / per_second, now, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, sender: str) -> None:
        with self._lock:
            now = self.now()
            at = max(self._next.get(sender, now), now)
            self._next[sender] = at + self.interval
        if at > now:
            self.sleep(at - now)


class RedisRateLimiter:
    """Spaces each sender's messages across every process: one Redis key per sender."""

    def __init__(
        self, redis: Redis, per_second: int, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.spacing_us = max(1, round(1_000_000 / per_second))
        self.sleep = sleep
        self._book = redis.register_script(_BOOK)
        self._fallback = LocalRateLimiter(per_second, sleep=sleep)
        self._redis_again_at = 0.0  # monotonic; after a failure Redis is left alone a while

    def wait(self, sender: str) -> None:
        if time.monotonic() < self._redis_again_at:
            self._fallback.wait(sender)
            return
        try:
            waited_us = int(self._book(keys=[KEY_PREFIX + sender], args=[self.spacing_us]))
        except RedisError as error:
            log.warning("rate limit kept in this process for %d s: %s", REDIS_PAUSE, error)
            self._redis_again_at = time.monotonic() + REDIS_PAUSE
            self._fallback.wait(sender)
            return
        if waited_us > 0:
            self.sleep(waited_us / 1_000_000)


class RateLimitedMessenger:
    """A messenger that waits for its sender's turn before each send."""

    def __init__(self, inner: Messenger, limiter: RateLimiter) -> None:
        self.inner, self.limiter = inner, limiter

    @property
    def requires_templates(self) -> bool:
        return self.inner.requires_templates

    def send(self, message: Outbound) -> str:
        self.limiter.wait(message.sender)
        return self.inner.send(message)

    def sent_since(self, sender: str, recipient: str, since: datetime) -> list[ProviderMessage]:
        return self.inner.sent_since(sender, recipient, since)
