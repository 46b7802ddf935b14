"""Per-sender rate limits: WhatsApp throttles each sender number (80 messages/s by default).

A fixed one-second window per sender: simple, and at worst twice the rate across a
window boundary for an instant, which the provider's own queue absorbs. With Redis
the count is shared by every worker process; without it each process keeps its own.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from redis import Redis

from app.messaging.port import Messenger, Outbound, ProviderMessage

KEY_PREFIX = "citabot:rate:"


class RateLimiter(Protocol):
    def wait(self, sender: str) -> None:
        """Return once one more message from `sender` fits in the rate."""
        ...


class LocalRateLimiter:
    """Counts in this process only."""

    def __init__(
        self,
        per_second: int,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_second, self.now, self.sleep = per_second, now, sleep
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def wait(self, sender: str) -> None:
        while True:
            with self._lock:
                instant = self.now()
                second = math.floor(instant)
                start, count = self._windows.get(sender, (second, 0))
                if start != second:
                    count = 0
                if count < self.per_second:
                    self._windows[sender] = (second, count + 1)
                    return
            self.sleep(second + 1 - instant)


class RedisRateLimiter:
    """Counts in Redis, shared by every process: one key per sender and second."""

    def __init__(
        self,
        redis: Redis,
        per_second: int,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.redis, self.per_second, self.now, self.sleep = redis, per_second, now, sleep

    def wait(self, sender: str) -> None:
        while True:
            instant = self.now()
            second = math.floor(instant)
            key = f"{KEY_PREFIX}{sender}:{second}"
            pipe = self.redis.pipeline(transaction=False)
            pipe.incr(key)
            pipe.expire(key, 2)
            count, _ = pipe.execute()
            if int(count) <= self.per_second:
                return
            self.sleep(second + 1 - instant)


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
